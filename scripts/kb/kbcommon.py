"""Shared helpers for the knowledge-base conversion scripts.

Everything here is about *our* table conventions: which codes are allowed,
how a CAMEO code string is split into country + sector, how TSV files are
written and read, and how upper-case dictionary names become Title Case.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata

VERSION = "2025.12.1"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "src", "communique", "kb", "data")

# --------------------------------------------------------------------------
# codes

# Sector codes we emit.  CAMEO's MED is deliberately NOT used because it
# means "media" in CAMEO but "health" in PLOVER: media is JRN (PLOVER) and
# health is HLH (CAMEO), so every code has exactly one meaning.
SECTORS = {
    "GOV", "MIL", "COP", "SPY", "LEG", "JUD", "PTY", "OPP", "REB", "PRM", "UAF",
    "ELI", "CVL", "BUS", "EDU", "HLH", "JRN", "REF", "HRI", "ENV", "REL", "LAB",
    "CRM", "AGR", "DEV", "NGO", "IGO", "PRE", "SOC", "UNK",
}

# Non-state "country" codes (PLOVER table "International non-state actor names").
NONSTATE = {"UNO", "EUR", "IGO", "NGO", "MNC", "IMG", "ISM"}

# Historical states that get their own row in countries.tsv.
HISTORICAL = {"SUN", "YUG", "SCG", "CSK", "DDR", "YMD", "VDR", "ANT"}

# CAMEO / Phoenix country codes that differ from ISO 3166-1 alpha-3.
CAMEO_TO_ISO = {
    "USR": "SUN",   # Soviet Union
    "KSV": "XKX",   # Kosovo (World Bank code used by Phoenix)
    "KOS": "XKX",   # Kosovo (PLOVER manual)
    "ROM": "ROU",   # Romania, pre-2002 ISO/CAMEO code
    "ZAR": "COD",   # Zaire
    "TMP": "TLS",   # East Timor, pre-2002 ISO code
    "FRY": "SCG",   # Federal Republic of Yugoslavia (1992-2003) = Serbia and Montenegro
    "FRN": "FRA",   # typo in Phoenix (WALLIS_AND_FUTUNA)
    "BUR": "MMR",   # Burma
    "DHY": "BEN",   # Dahomey
    "HVO": "BFA",   # Upper Volta
    "RHO": "ZWE",   # Rhodesia
    "SRP": "BIH",   # Republika Srpska (entity of Bosnia and Herzegovina)
    "KRJ": "HRV",   # Republic of Serbian Krajina (1991-95), in Croatia
    "GZA": "PSE",   # Gaza
}

# Second CAMEO element that narrows a country to one of its ISO territories
# (USAASM -> ASM) or marks a status we translate to a sector.
STATUS_ELEMENTS = {"UNR": "PRE", "OCC": "", "AUT": "PRE"}

# CAMEO agent codes that are not in SECTORS, mapped to ours ("" = ignore).
CAMEO_SECTOR_MAP = {
    "MED": "JRN",          # CAMEO media
    "INS": "REB", "SEP": "REB",
    "PPL": "UNK",
    "MOD": "", "RAD": "",  # moderate / radical: attitude, not a sector
    "IMG": "REB",
    "NGM": "NGO",
    "SPY": "SPY",
    "CRM": "CRM",
    "ATG": "", "FRM": "", "PRS": "",
}
RELIGION_CODES = {
    "MUS", "CHR", "JEW", "BUD", "HIN", "CTH", "PRO", "ORT", "SHI", "SFI", "CPT",
    "MAR", "JAN", "SIK", "ZRO", "BAH", "CON", "TAO", "SHN", "JAI", "ALE", "DRZ",
    "ITH", "ANG", "LDS", "SUN", "WAH", "DOX", "PRS", "MOS",
}


def load_iso3() -> dict[str, object]:
    import pycountry

    return {c.alpha_3: c for c in pycountry.countries}


ISO = load_iso3()
COUNTRY_CODES = set(ISO) | {"XKX"} | HISTORICAL
ALL_COUNTRY_CODES = COUNTRY_CODES | NONSTATE


def map_sector(element: str) -> str:
    if element in SECTORS and element != "MED":
        return element
    if element in CAMEO_SECTOR_MAP:
        return CAMEO_SECTOR_MAP[element]
    return ""


def decode_cameo(code: str) -> tuple[str, list[str], list[str]]:
    """Split a CAMEO actor code into (country, sectors, other elements).

    >>> decode_cameo("BLRGOV")
    ('BLR', ['GOV'], [])
    >>> decode_cameo("USAASMGOV")
    ('ASM', ['GOV'], [])
    >>> decode_cameo("IGOUNOREFHCR")
    ('UNO', ['REF'], ['HCR'])
    >>> decode_cameo("NGODNKREF")
    ('DNK', ['REF'], [])
    """
    code = code.strip().strip("~").upper()
    elems = [code[i:i + 3] for i in range(0, len(code), 3)]
    elems = [e for e in elems if len(e) == 3]
    if not elems:
        return "", [], []
    country = ""
    head = elems[0]
    rest = elems[1:]
    if head == "IGO":
        country = "IGO"
        if rest and rest[0] in ("UNO", "EUR"):
            country = rest[0]
            rest = rest[1:]
    elif head in ("NGO", "MNC", "IMG", "ISM"):
        country = head
        if rest and rest[0] not in RELIGION_CODES and (rest[0] in ISO or rest[0] in CAMEO_TO_ISO):
            country = CAMEO_TO_ISO.get(rest[0], rest[0])
            rest = rest[1:]
    elif head in COUNTRY_CODES or head in CAMEO_TO_ISO:
        country = CAMEO_TO_ISO.get(head, head)
    elif head in SECTORS or head in CAMEO_SECTOR_MAP or head in RELIGION_CODES:
        rest = elems  # sector-only code such as [ELI]
    else:
        rest = elems  # regional code (AFR, SAS, MEA ...): no country
    sectors: list[str] = []
    other: list[str] = []
    for i, e in enumerate(rest):
        if i == 0 and country in COUNTRY_CODES and (e in ISO or e in CAMEO_TO_ISO) and e not in SECTORS:
            country = CAMEO_TO_ISO.get(e, e)   # territory / entity: USAASM, SDNSSD, BIHSRP
            continue
        if e in STATUS_ELEMENTS:
            if STATUS_ELEMENTS[e]:
                sectors.append(STATUS_ELEMENTS[e])
            continue
        s = map_sector(e)
        if s:
            if s not in sectors:
                sectors.append(s)
        elif e in RELIGION_CODES:
            other.append(e)
        else:
            other.append(e)
    return country, sectors, other


# --------------------------------------------------------------------------
# dates

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def valid_date(text: str) -> bool:
    if text == "":
        return True
    if not _DATE_RE.match(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def day_after(iso: str) -> str:
    d = _dt.date.fromisoformat(iso)
    return (d + _dt.timedelta(days=1)).isoformat()


# --------------------------------------------------------------------------
# TSV I/O


def read_tsv(path: str) -> list[dict[str, str]]:
    """Read one of our TSV files (comment lines first, then a header)."""
    with open(path, encoding="utf-8") as fh:
        lines = [ln.rstrip("\n") for ln in fh]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    header = body[0].split("\t")
    rows = []
    for ln in body[1:]:
        cells = ln.split("\t")
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells, strict=False)))
    return rows


def clean_cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return re.sub(r" {2,}", " ", text).strip()


def join_values(values) -> str:
    """'|'-join unique non-empty values, keeping first-seen order."""
    seen = []
    keys = set()
    for v in values:
        v = clean_cell(v).replace("|", "/")
        if v and v.casefold() not in keys:
            keys.add(v.casefold())
            seen.append(v)
    return "|".join(seen)


def write_tsv(path: str, header: list[str], rows: list[dict], comments: list[str]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(f"# version: {VERSION}\n")
        for c in comments:
            fh.write(f"# {c}\n" if c else "#\n")
        fh.write("\t".join(header) + "\n")
        for r in rows:
            fh.write("\t".join(clean_cell(r.get(h, "")) for h in header) + "\n")


# --------------------------------------------------------------------------
# names


def fold(text: str) -> str:
    """Diacritic- and case-insensitive key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


def slug(text: str) -> str:
    text = fold(text)
    text = re.sub(r"[^a-z0-9]+", "_", text)
    return text.strip("_")


LOWER_PARTICLES = {
    "bin", "binti", "bint", "ibn", "van", "von", "der", "den", "de", "da", "das",
    "dos", "do", "du", "del", "della", "y", "e", "zu", "ter", "ten", "af",
}
ARTICLE_PREFIXES = {"al", "el", "ul", "ud", "ad", "as", "ash", "an", "ar", "at", "az"}
ROYAL_HOUSES = {"khalifa", "khalifah", "thani", "nahyan", "saud", "sabah", "maktoum",
                "said", "qasimi", "nuaimi", "mualla", "sharqi", "sheikh", "hashimi"}
ROMAN = {"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"}
EAST_ASIAN_HYPHEN_LOWER = {"KOR", "PRK", "TWN", "HKG", "MAC", "CHN", "SGP"}


def _cap_piece(piece: str, roman_ok: bool = False) -> str:
    if not piece:
        return piece
    low = piece.lower()
    if roman_ok and low in ROMAN:
        return piece.upper()
    if low.startswith("mc") and len(low) > 2:
        return "Mc" + low[2].upper() + low[3:]
    if "'" in low:
        head, _, tail = low.partition("'")
        if len(head) <= 1:            # O'Neill, D'Alema
            return head.upper() + "'" + tail[:1].upper() + tail[1:]
        return head[:1].upper() + head[1:] + "'" + tail  # Sa'id, Dato'
    if low == "jr.":
        return "Jr."
    return low[:1].upper() + low[1:]


def title_case_name(upper: str, country: str = "") -> str:
    """'ALYAKSANDR_LUKASHENKA_' -> 'Alyaksandr Lukashenka'.

    Particles (bin, van, de, al-) are lower-cased except at the start, Gulf
    royal houses keep a capital 'Al', Korean/Taiwanese/HK given names are
    lower-cased after the hyphen (Ban Ki-moon).
    """
    text = upper.replace("_", " ").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip()
    words = text.split(" ")
    out: list[str] = []
    for i, w in enumerate(words):
        low = w.lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if i > 0 and low in LOWER_PARTICLES:
            out.append(low)
            continue
        if low in ("al", "el") and nxt:
            if nxt.strip("-") in ROYAL_HOUSES:
                out.append("Al")
            else:
                out.append(("al-" if low == "al" else "el-") if i > 0 else ("Al-" if low == "al" else "El-"))
            continue
        pieces = w.split("-")
        capped = []
        for j, p in enumerate(pieces):
            pl = p.lower()
            if j == 0 and len(pieces) > 1 and pl in ARTICLE_PREFIXES and i > 0:
                capped.append(pl)
            elif j > 0 and country in EAST_ASIAN_HYPHEN_LOWER:
                capped.append(pl)
            else:
                capped.append(_cap_piece(p, roman_ok=(i > 0 and i == len(words) - 1)))
        out.append("-".join(capped))
    name = " ".join(out).replace(", Jr.", " Jr.")
    name = name.replace("al- ", "al-").replace("el- ", "el-").replace("Al- ", "Al-").replace("El- ", "El-")
    return name.strip()
