"""The analyst queries as SQL over the store's DuckDB views (pure builders: SQL + parameters).

Every builder returns ``(sql, params)``; ``Store`` runs them. They read the
de-duplicated ``events`` view unless they say otherwise, so one real event
counts once however many articles reported it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..errors import StoreError
from . import fts

FREQS = ("day", "week", "month", "year")


def check_day(value: date | str | None, name: str = "date") -> str | None:
    """A filter date as ``YYYY-MM-DD`` (a ``date``, or text in that form, or an ISO timestamp); a
    ``StoreError`` that shows the value, never the SQL, when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]).isoformat() if len(text) == 10 or text[10:11] in ("T", " ") \
            else date.fromisoformat(text).isoformat()
    except ValueError:
        raise StoreError(f"{name} {str(value)[:40]!r} is not a date", None,
                         f"write it as YYYY-MM-DD, e.g. --{name} 2025-01-31") from None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# The aggregates of a dyad per period (also used by the web's dyad with several actors per side).
DYAD_COUNTS = """count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1) AS verbal_coop,
               count(*) FILTER (WHERE quad_class = 2) AS material_coop,
               count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
               count(*) FILTER (WHERE quad_class = 4) AS material_conflict,
               round(avg(goldstein), 3) AS mean_goldstein,
               CAST(sum(num_mentions) AS BIGINT) AS mentions,
               CAST(sum(num_articles) AS BIGINT) AS articles"""


def dyad_sql(a: str, b: str, freq: str = "month", since: date | str | None = None,
             until: date | str | None = None, both: bool = True, outlet: str | None = None,
             outlet_country: str | None = None) -> tuple[str, list]:
    """Events between countries (or actor codes) ``a`` and ``b`` per period, direction and quad class;
    only those reported by ``outlet`` (domain or source name) or by outlets of ``outlet_country``."""
    if freq not in FREQS:
        raise StoreError(f"unknown frequency {freq!r}", None, f"use one of {', '.join(FREQS)}")
    a, b = a.upper(), b.upper()
    where = ["date IS NOT NULL"]
    params: list = [freq]

    def col(side: str, x: str) -> str:
        # a three-letter argument is a country (CHN), a longer one an actor code (CHNGOV)
        return f"{side}_country" if len(x) == 3 else f"{side}_code"

    if both and len(a) == len(b) == 3 and a != b:
        # both directions as IN-lists, which DuckDB pushes down into the Parquet scan
        where.append("source_country IN (?, ?) AND target_country IN (?, ?) AND source_country <> target_country")
        params += [a, b, a, b]
    else:
        pair = f"({col('source', a)} = ? AND {col('target', b)} = ?)"
        if both:
            where.append(f"({pair} OR ({col('source', b)} = ? AND {col('target', a)} = ?))")
            params += [a, b, b, a]
        else:
            where.append(pair)
            params += [a, b]
    if since:
        where.append("date >= CAST(? AS DATE)")
        params.append(check_day(since, "since"))
    if until:
        where.append("date <= CAST(? AS DATE)")
        params.append(check_day(until, "until"))
    ow, op = outlet_where(outlet, outlet_country)
    where += ow
    params += op
    sql = f"""
        SELECT CAST(date_trunc(?, date) AS DATE) AS period,
               coalesce(source_country, source_code) AS source,
               coalesce(target_country, target_code) AS target,
               {DYAD_COUNTS}
        FROM events
        WHERE {' AND '.join(where)}
        GROUP BY ALL
        ORDER BY period, source, target"""
    return sql, params


@dataclass
class EventFilter:
    actor: str | None = None        # name (substring) or actor code
    country: str | None = None      # either side's country
    sector: str | None = None       # either side's sector (GOV, MIL, ...)
    code: str | None = None         # CAMEO code prefix: "04", "042", "0421"
    root: str | None = None         # CAMEO root code
    since: str | None = None
    until: str | None = None
    location: str | None = None     # place name (substring) or country of the place
    text: str | None = None         # words in the evidence sentence of any mention
    source: str | None = None       # only this side...
    target: str | None = None       # ...and this side (country or code)
    min_articles: int = 1
    limit: int | None = 100
    extra: dict = field(default_factory=dict)
    outlet: str | None = None           # reported by this outlet (domain such as bbc.co.uk, or source name)
    outlet_country: str | None = None   # reported by an outlet of this country (ISO alpha-3)
    # calibrated probability (calibration.py) that the best mention's CAMEO root is right, at least
    min_confidence: float | None = None
    acled: str | None = None            # issue 17: ACLED event type or sub-event type of a mention
    story: str | None = None            # events some article of this story reports (issue 11)


EVENT_COLUMNS = ("event_id, date, source_name, source_code, source_country, cameo, plover_event, "
                 "target_name, target_code, target_country, quad_class, goldstein, place_name, place_country, "
                 "num_mentions, num_articles, num_sources, first_seen, last_seen, evidence, story_id, "
                 "merge_confidence, why")
STORY_COLUMNS = "story_id, title, first_seen, last_seen, n_articles, n_sources, why"


def events_where(f: EventFilter) -> tuple[str, list]:
    where: list[str] = []
    params: list = []
    if f.actor:
        where.append("(source_name ILIKE ? ESCAPE '\\' OR target_name ILIKE ? ESCAPE '\\' "
                     "OR source_code = ? OR target_code = ?)")
        params += [_like(f.actor), _like(f.actor), f.actor.upper(), f.actor.upper()]
    if f.country:
        where.append("(source_country = ? OR target_country = ?)")
        params += [f.country.upper()] * 2
    if f.sector:
        where.append("(source_sector = ? OR target_sector = ?)")
        params += [f.sector.upper()] * 2
    if f.source:
        where.append("(source_country = ? OR source_code = ?)")
        params += [f.source.upper()] * 2
    if f.target:
        where.append("(target_country = ? OR target_code = ?)")
        params += [f.target.upper()] * 2
    if f.code:
        where.append("starts_with(cameo, ?)")
        params.append(f.code)
    if f.root:
        where.append("cameo_root = ?")
        params.append(f.root.zfill(2))
    if f.since:
        where.append("date >= CAST(? AS DATE)")
        params.append(check_day(f.since, "since"))
    if f.until:
        where.append("date <= CAST(? AS DATE)")
        params.append(check_day(f.until, "until"))
    if f.location:
        where.append("(place_name ILIKE ? ESCAPE '\\' OR place_country = ?)")
        params += [_like(f.location), f.location.upper()]
    if f.min_articles > 1:
        where.append("num_articles >= ?")
        params.append(f.min_articles)
    if f.min_confidence is not None:
        where.append("confidence >= ?")
        params.append(float(f.min_confidence))
    if f.text:
        conds = " AND ".join("sentence_text ILIKE ? ESCAPE '\\'" for _ in f.text.split())
        where.append(f"event_id IN (SELECT event_id FROM event_mentions WHERE {conds})")
        params += [_like(w) for w in f.text.split()]
    if f.acled:  # issue 17: any mention of the event has this ACLED event type or sub-event type
        check_acled(f.acled)
        where.append("event_id IN (SELECT event_id FROM event_mentions "
                     "WHERE lower(acled_type) = ? OR lower(acled_sub_event_type) = ?)")
        params += [f.acled.strip().lower()] * 2
    if f.story:
        where.append("event_id IN (SELECT l.event_id FROM links l JOIN story_articles s USING (article_key) "
                     "WHERE s.story_id = ?)")
        params.append(f.story)
    ow, op = outlet_where(f.outlet, f.outlet_country)
    where += ow
    params += op
    return (" AND ".join(where) or "TRUE"), params


def check_acled(value: str) -> str:
    """``value`` if it names an ACLED event type or sub-event type (any case), else a ``StoreError``."""
    from ..kb.acled import ACLED_TYPES  # plain data; the kb package imports no spaCy

    names = {n.lower() for t, subs in ACLED_TYPES.items() for n in (t, *subs)}
    if value.strip().lower() not in names:
        raise StoreError(f"unknown ACLED type {value!r}", "--acled-type",
                         f"use an event type ({', '.join(ACLED_TYPES)}) or a sub-event type such as "
                         "'Peaceful protest' or 'Air/drone strike' (kb/data/EVENTS.md)")
    return value


def stories_sql(f: EventFilter, columns: str = STORY_COLUMNS) -> tuple[str, list]:
    """Stories (newest first) with at least one event matching the event filters of ``f``; ``since``
    and ``until`` select stories seen in that period, ``min_articles`` counts the story's articles."""
    ef = EventFilter(**{**f.__dict__, "since": None, "until": None, "min_articles": 1, "limit": None,
                        "story": None})
    where: list[str] = []
    params: list = []
    ewhere, eparams = events_where(ef)
    if ewhere != "TRUE":
        where.append("story_id IN (SELECT s.story_id FROM story_articles s JOIN links l USING (article_key) "
                     f"WHERE l.event_id IN (SELECT event_id FROM events WHERE {ewhere}))")
        params += eparams
    if f.since:
        where.append("coalesce(last_seen, first_seen) >= CAST(? AS DATE)")
        params.append(check_day(f.since, "since"))
    if f.until:
        where.append("first_seen <= CAST(? AS DATE)")
        params.append(check_day(f.until, "until"))
    if f.min_articles > 1:
        where.append("n_articles >= ?")
        params.append(f.min_articles)
    if f.story:
        where.append("story_id = ?")
        params.append(f.story)
    sql = (f"SELECT {columns} FROM stories WHERE {' AND '.join(where) or 'TRUE'} "
           "ORDER BY last_seen DESC NULLS LAST, n_articles DESC, story_id")
    if f.limit:
        sql += f" LIMIT {int(f.limit)}"
    return sql, params


def _outlet_domain(outlet: str) -> str:
    from ..sources import domain_of

    return (domain_of(outlet) or outlet).lower() if "." in outlet else outlet.lower()


def outlet_where(outlet: str | None, outlet_country: str | None) -> tuple[list[str], list]:
    """Conditions on ``events`` that keep the events some article of the outlet (or of an outlet of the
    country) reports: the outlet is the article's source domain (GDELT's SourceCommonName)."""
    conds: list[str] = []
    params: list = []
    if outlet:
        conds.append("(a.source_domain = ? OR lower(a.source) = ?)")
        params += [_outlet_domain(outlet), outlet.lower()]
    if outlet_country:
        conds.append("a.source_country = ?")
        params.append(outlet_country.upper())
    if not conds:
        return [], []
    return ["event_id IN (SELECT m.event_id FROM event_mentions m JOIN articles a USING (article_key) "
            f"WHERE {' AND '.join(conds)})"], params


def outlets_sql(by: str = "outlet", country: str | None = None, since: str | None = None,
                until: str | None = None, top: int | None = 50, domain: str = "source_domain",
                country_col: str = "source_country") -> tuple[str, list]:
    """Articles, coded event mentions and de-duplicated events per outlet (``by="outlet"``) or per
    outlet country (``by="country"``). ``domain``/``country_col`` are the SQL of the outlet columns."""
    if by not in ("outlet", "country"):
        raise StoreError(f"unknown grouping {by!r}", None, "use outlet or country")
    where = [f"{domain} IS NOT NULL"]
    params: list = []
    if country:
        where.append(f"{country_col} = ?")
        params.append(country.upper())
    if since:
        where.append("a.date >= CAST(? AS DATE)")
        params.append(str(since))
    if until:
        where.append("a.date <= CAST(? AS DATE)")
        params.append(str(until))
    key = f"{domain} AS outlet, any_value({country_col}) AS country" if by == "outlet" \
        else f"{country_col} AS country, count(DISTINCT {domain}) AS outlets"
    sql = f"""
        WITH a AS (SELECT * FROM articles a WHERE {' AND '.join(where)}),
        ev AS (SELECT m.article_key, count(DISTINCT m.event_id) AS events FROM event_mentions m
               SEMI JOIN a USING (article_key) GROUP BY m.article_key)
        SELECT {key}, count(*) AS articles, CAST(sum(a.n_events) AS BIGINT) AS event_mentions,
               CAST(coalesce(sum(ev.events), 0) AS BIGINT) AS events,
               min(a.date) AS first_article, max(a.date) AS last_article
        FROM a LEFT JOIN ev USING (article_key)
        GROUP BY {'outlet' if by == 'outlet' else 'country'}
        ORDER BY articles DESC, {'outlet' if by == 'outlet' else 'country'}"""
    if top:
        sql += f" LIMIT {int(top)}"
    return sql, params


def events_sql(f: EventFilter, columns: str = EVENT_COLUMNS) -> tuple[str, list]:
    where, params = events_where(f)
    sql = f"SELECT {columns} FROM events WHERE {where} ORDER BY date DESC NULLS LAST, num_articles DESC, event_id"
    if f.limit:
        sql += f" LIMIT {int(f.limit)}"
    return sql, params


def quotes_sql(speaker: str | None = None, contains: str | None = None, since: str | None = None,
               until: str | None = None, limit: int | None = 100) -> tuple[str, list]:
    where: list[str] = []
    params: list = []
    if speaker:
        where.append("(q.speaker_name ILIKE ? ESCAPE '\\' OR q.speaker_text ILIKE ? ESCAPE '\\' "
                     "OR q.speaker_code = ?)")
        params += [_like(speaker), _like(speaker), speaker.upper()]
    for w in (contains or "").split():
        where.append("q.span_text ILIKE ? ESCAPE '\\'")
        params.append(_like(w))
    if since:
        where.append("q.article_date >= CAST(? AS DATE)")
        params.append(check_day(since, "since"))
    if until:
        where.append("q.article_date <= CAST(? AS DATE)")
        params.append(check_day(until, "until"))
    sql = f"""
        SELECT q.quote_id, q.article_date AS date, q.speaker_name AS speaker, q.speaker_code,
               q.type, q.cue_text AS cue, q.span_text AS quote, a.title, a.source
        FROM quotes q LEFT JOIN articles a USING (article_key)
        WHERE {' AND '.join(where) or 'TRUE'}
        ORDER BY q.article_date DESC NULLS LAST, q.quote_id"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql, params


def actors_sql(top: int = 20, kind: str | None = None, country: str | None = None) -> tuple[str, list]:
    where = ["name IS NOT NULL", "lower(name) NOT IN ('he','she','they','it','we','i','you','him','her','them')"]
    params: list = []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if country:
        where.append("country = ?")
        params.append(country.upper())
    sql = f"""
        WITH m AS (
            SELECT name, any_value(code) FILTER (WHERE code IS NOT NULL) AS code,
                   mode(country) AS country, mode(sector) AS sector, mode(kind) AS kind,
                   count(*) AS mentions, count(DISTINCT article_key) AS articles
            FROM actors WHERE {' AND '.join(where)} GROUP BY name),
        e AS (
            SELECT name, count(*) AS events FROM (
                SELECT source_name AS name FROM mentions UNION ALL SELECT target_name FROM mentions)
            WHERE name IS NOT NULL GROUP BY name)
        SELECT m.name, m.code, m.country, m.sector, m.kind, m.mentions, m.articles,
               coalesce(e.events, 0) AS events
        FROM m LEFT JOIN e USING (name)
        ORDER BY m.mentions DESC, m.articles DESC, m.name
        LIMIT {int(top)}"""
    return sql, params


def search_sql(query: str, limit: int = 20, any_term: bool = False) -> tuple[str, list]:
    """BM25 over the ``terms`` table; quoted phrases must also occur in the text."""
    words, phrases = fts.parse_query(query)
    if not words:
        raise StoreError(f"nothing to search for in {query!r}", None,
                         "give at least one word of two or more letters that is not a stop word")
    params: list = [words]
    having = "" if any_term else f"HAVING count(*) = {len(words)}"
    phrase_where = ""
    for p in phrases:
        phrase_where += " AND a.text ILIKE ? ESCAPE '\\'"
        params.append(_like(p))
    sql = f"""
        WITH q AS (SELECT unnest(?::VARCHAR[]) AS term),
        n AS (SELECT count(*)::DOUBLE AS n, greatest(avg(n_terms), 1) AS avgdl FROM articles),
        hits AS (SELECT t.term, t.article_key, t.tf FROM terms t SEMI JOIN q USING (term)),
        df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
        s AS (
            SELECT h.article_key,
                   sum(ln(1 + (n.n - df.df + 0.5) / (df.df + 0.5)) * h.tf * {fts.K1 + 1}
                       / (h.tf + {fts.K1} * (1 - {fts.B} + {fts.B} * a.n_terms / n.avgdl))) AS score,
                   count(*) AS matched
            FROM hits h JOIN df USING (term) JOIN articles a USING (article_key) CROSS JOIN n
            GROUP BY h.article_key {having})
        SELECT a.article_key, a.date, a.title, a.source, round(s.score, 3) AS score, s.matched, a.text
        FROM s JOIN articles a USING (article_key)
        WHERE TRUE {phrase_where}
        ORDER BY s.score DESC, a.article_key
        LIMIT {int(limit)}"""
    return sql, params


def snippet(text: str, words: list[str], width: int = 160) -> str:
    low = text.lower()
    pos = min((i for w in words if (i := low.find(w)) >= 0), default=0)
    start = max(0, pos - width // 3)
    s = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + s + ("…" if start + width < len(text) else "")
