"""The GDELT 2.0 event table: 61 tab-separated columns in GDELT's order, one de-duplicated event per row.

Columns, types and order follow the GDELT 2.0 Event Codebook (no header line, like
GDELT's files; ``header=True`` adds one). Where communique knows nothing the field
is empty. Where our values differ in meaning from GDELT's they are listed in
``DIFFERENCES`` (and in ``docs/exports.md``), in short:

- ``GLOBALEVENTID`` is a 60-bit number derived from our event id (stable, not sequential);
- ``NumMentions``/``NumSources``/``NumArticles``/``AvgTone`` count every article in the
  store that reports the event, not only those of the first 15 minutes, and grow as
  articles arrive; a copy of a reporting article (syndicated or re-posted, ``store/copies.py``)
  counts as one more article, source and set of mentions, like GDELT's separate documents;
- ``SQLDATE`` is the event's own date when the text gives the day, else the publication
  date of the first report (GDELT always uses publication dates);
- ``Actor1Name`` is the canonical name (upper-cased) of the actor, ``Actor1Type1Code`` its
  sector; ethnic, religious and second/third type codes are empty;
- ``ActionGeo_*`` come from the event's location (GeoNames): ``FeatureID`` is a GeoNames id
  (GDELT: GNS/GNIS), ``ADM1Code`` is the FIPS country code + the GeoNames admin1 code of the
  place's division (see ``DIFFERENCES``), ``ADM2Code`` is empty;
  ``Actor1Geo_*``/``Actor2Geo_*`` are empty (we do not locate actors);
- ``DATEADDED`` is when the first report was ingested (UTC), ``SOURCEURL`` the first
  report's URL, or ``<source> <article id>`` when it has none.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from ..store.queries import EventFilter, events_where

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code"]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]

COLUMNS: list[str] = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"Actor1Geo_{c}" for c in _GEO] + [f"Actor2Geo_{c}" for c in _GEO] + [f"ActionGeo_{c}" for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)
assert len(COLUMNS) == 61

_INT = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions", "NumSources",
        "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED"}
_FLOAT = {"FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat",
          "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long"}
# GDELT's types, for readers: INTEGER, FLOAT or STRING (codes are strings: "042" keeps its zero).
TYPES: dict[str, str] = {c: "INTEGER" if c in _INT else "FLOAT" if c in _FLOAT else "STRING" for c in COLUMNS}

DIFFERENCES = {
    "GLOBALEVENTID": "60-bit number from the communique event id: stable across runs, not sequential",
    "SQLDATE": "event date when the text gives the day, else publication date of the first report",
    "NumMentions": "all mentions in the store so far, copies of reporting articles included (GDELT: first 15 "
                   "minutes only); grows with later articles",
    "NumSources": "distinct outlets (article source, else URL host) in the store so far, copies' outlets included",
    "NumArticles": "distinct articles in the store so far, copies (not coded again) included",
    "AvgTone": "mean communique tone (VADER-based, GDELT-like scale) of all reporting articles",
    "IsRootEvent": "1 when the first report mentions it in the article's first paragraph",
    "Actor1Name": "canonical name from the knowledge base or coreference, upper-cased",
    "Actor1KnownGroupCode": "the 3-letter group of IGO/NGO/MNC actor codes (IGOUNO -> UNO)",
    "Actor1Type1Code": "communique sector (GOV, MIL, ...); Type2/Type3, ethnic and religion codes are empty",
    "Actor1Geo_*": "empty: communique does not geolocate actors (same for Actor2Geo_*)",
    "ActionGeo_Type": "from the GeoNames feature: country 1, US state 2, US city 3, city 4, province 5; "
                      "empty for regions",
    "ActionGeo_CountryCode": "FIPS 10-4, converted from ISO 3166 alpha-3 (exports/data/iso3_fips.tsv)",
    "ActionGeo_ADM1Code": "FIPS country code for country-level places; below country level the FIPS country "
                          "code + the GeoNames admin1 code of the place's first-level division (USIL, IZ07; "
                          "GeoNames' code is FIPS 10-4 for most countries, postal for the US as in GDELT, "
                          "ISO 3166-2 for GB, BE, CH, ME and a few others, where it differs from GDELT's); "
                          "empty when the gazetteer has none",
    "ActionGeo_FeatureID": "GeoNames id (GDELT: GNS/GNIS id); FIPS country code for country-level places",
    "DATEADDED": "UTC time the first report was ingested into this store",
    "SOURCEURL": "URL of the first report, or '<source> <article id>' when it has none",
}


@lru_cache(maxsize=1)
def fips_table() -> pa.Table:
    """ISO alpha-3 -> FIPS 10-4 and country name."""
    path = Path(str(resources.files("communique").joinpath("exports/data/iso3_fips.tsv")))
    iso, fips, name = [], [], []
    with open(path, encoding="utf-8") as fh:
        header = None
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if header is None:
                header = parts
                continue
            iso.append(parts[0])
            fips.append(parts[1] or None)
            name.append(parts[2].strip())
    return pa.table({"iso3": iso, "fips": fips, "cname": name})


def _clean(expr: str) -> str:
    return f"regexp_replace(coalesce({expr}, ''), '[\\t\\r\\n]+', ' ', 'g')"


def select_sql(where: str = "TRUE", admin1: bool = True) -> str:
    """The SELECT that yields the 61 GDELT columns from the store's ``events`` view (``admin1``: the
    view has ``place_admin1_code``, which events de-duplicated before issue 16 lack)."""
    day = "coalesce(CASE WHEN e.date_precision = 'day' THEN e.date END, e.first_seen)"
    actor_cols = []
    for n, side in (("1", "source"), ("2", "target")):
        code = f"e.{side}_code"
        group = f"CASE WHEN regexp_matches(coalesce({code}, ''), '^(IGO|NGO|MNC|NGM)[A-Z]{{3}}') " \
                f"THEN substr({code}, 4, 3) END"
        actor_cols += [
            f"{_clean(code)} AS Actor{n}Code",
            f"{_clean(f'upper(e.{side}_name)')} AS Actor{n}Name",
            f"CASE WHEN length(e.{side}_country) = 3 AND {group} IS NULL THEN e.{side}_country ELSE '' END "
            f"AS Actor{n}CountryCode",
            f"coalesce({group}, '') AS Actor{n}KnownGroupCode",
            f"'' AS Actor{n}EthnicCode", f"'' AS Actor{n}Religion1Code", f"'' AS Actor{n}Religion2Code",
            f"{_clean(f'e.{side}_sector')} AS Actor{n}Type1Code", f"'' AS Actor{n}Type2Code",
            f"'' AS Actor{n}Type3Code",
        ]
    empty_geo = lambda n: [f"NULL::INTEGER AS {n}Geo_Type", f"'' AS {n}Geo_FullName",  # noqa: E731
                           f"'' AS {n}Geo_CountryCode", f"'' AS {n}Geo_ADM1Code", f"'' AS {n}Geo_ADM2Code",
                           f"NULL::DOUBLE AS {n}Geo_Lat", f"NULL::DOUBLE AS {n}Geo_Long",
                           f"'' AS {n}Geo_FeatureID"]
    us = "e.place_country = 'USA'"
    action = [
        f"""CASE WHEN e.place_name IS NULL THEN NULL
                 WHEN e.place_feature = 'country' THEN 1
                 WHEN e.place_feature = 'admin1' THEN CASE WHEN {us} THEN 2 ELSE 5 END
                 WHEN e.place_feature = 'region' THEN NULL
                 ELSE CASE WHEN {us} THEN 3 ELSE 4 END END::INTEGER AS ActionGeo_Type""",
        f"""{_clean("CASE WHEN e.place_name IS NULL THEN NULL WHEN e.place_feature = 'country' OR f.cname IS NULL "
                    "THEN e.place_name ELSE e.place_name || ', ' || f.cname END")} AS ActionGeo_FullName""",
        "coalesce(f.fips, '') AS ActionGeo_CountryCode",
        "CASE WHEN e.place_feature = 'country' THEN coalesce(f.fips, '') "
        + ("WHEN f.fips IS NOT NULL AND e.place_admin1_code LIKE '__.%' "
           "THEN f.fips || split_part(e.place_admin1_code, '.', 2) " if admin1 else "")
        + "ELSE '' END AS ActionGeo_ADM1Code",
        "'' AS ActionGeo_ADM2Code",
        "round(e.place_lat, 4) AS ActionGeo_Lat", "round(e.place_lon, 4) AS ActionGeo_Long",
        "CASE WHEN e.place_feature = 'country' THEN coalesce(f.fips, '') "
        "ELSE coalesce(CAST(e.place_geonames_id AS VARCHAR), '') END AS ActionGeo_FeatureID",
    ]
    cols = [
        "('0x' || substr(e.event_id, 4, 15))::BIGINT AS GLOBALEVENTID",
        f"CAST(strftime({day}, '%Y%m%d') AS INTEGER) AS SQLDATE",
        f"CAST(strftime({day}, '%Y%m') AS INTEGER) AS MonthYear",
        f"CAST(year({day}) AS INTEGER) AS Year",
        f"round(year({day}) + (month({day}) * 30 + day({day})) / 365.0, 4) AS FractionDate",
        *actor_cols,
        "CAST(coalesce(e.is_root, false) AS INTEGER) AS IsRootEvent",
        "e.cameo AS EventCode", "e.base_code AS EventBaseCode", "e.cameo_root AS EventRootCode",
        "CAST(e.quad_class AS INTEGER) AS QuadClass", "e.goldstein AS GoldsteinScale",
        "e.num_mentions AS NumMentions", "e.num_sources AS NumSources", "e.num_articles AS NumArticles",
        "round(e.avg_tone, 4) AS AvgTone",
        *empty_geo("Actor1"), *empty_geo("Actor2"), *action,
        "CAST(strftime(e.first_added, '%Y%m%d%H%M%S') AS BIGINT) AS DATEADDED",
        f"""{_clean("coalesce(e.source_url, a.source || ' ' || a.article_id, a.article_id, e.first_article_key)")}
            AS SOURCEURL""",
    ]
    return f"""
        SELECT {', '.join(cols)}
        FROM events e
        LEFT JOIN _gdelt_fips f ON f.iso3 = e.place_country
        LEFT JOIN (SELECT article_key, source, article_id FROM articles) a ON a.article_key = e.first_article_key
        WHERE {where}
        ORDER BY SQLDATE NULLS LAST, GLOBALEVENTID"""


def export_gdelt(store, path: str | Path, filt: EventFilter | None = None, header: bool = False) -> int:
    """Write the store's de-duplicated events as a GDELT 2.0 event table; return the row count."""
    con = store.con
    con.register("_gdelt_fips", fips_table())
    where, params = events_where(filt) if filt else ("TRUE", [])
    where = where.replace("event_id IN", "e.event_id IN")
    try:
        admin1 = "place_admin1_code" in {r[0] for r in con.execute("DESCRIBE events").fetchall()}
    except duckdb.Error:
        admin1 = False
    sql = select_sql(where, admin1)
    if filt and filt.limit:
        sql += f" LIMIT {int(filt.limit)}"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    con.execute(f"COPY ({sql}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' "
                f"(FORMAT csv, DELIMITER '\t', HEADER {'true' if header else 'false'}, QUOTE '', ESCAPE '')",
                params).fetchall()
    tmp.replace(path)
    return int(con.execute(f"SELECT count(*) FROM ({sql})", params).fetchall()[0][0])
