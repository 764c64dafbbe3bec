"""Build src/communique/kb/data/countries.tsv.

Inputs
  scripts/kb/countries_manual.tsv  hand-maintained names, aliases, adjectives, capitals
  scripts/kb/country_facts.tsv     representative lat/lon (see extract_country_facts.py)
  pycountry                        ISO 3166-1 / 3166-3 alpha-2 codes
  Phoenix.Countries.actors.txt     CAMEO codes of the country entries and extra spellings

Phoenix country entries also list cities, provinces and nicknames as
synonyms (BELARUS_ +MINSK_ +GOMEL_ +LAST_EUROPEAN_DICTATORSHIP_).  Only
synonyms that are spelling variants of a name or adjective we already have
(string similarity >= 0.85) are kept; places and nicknames are dropped.
"""

from __future__ import annotations

import difflib
import os
import re

import kbcommon as kb
import pycountry
from phoenix_reader import PHOENIX_DIR, phrase_words, read_actor_file

MANUAL = os.path.join(kb.HERE, "countries_manual.tsv")
FACTS = os.path.join(kb.HERE, "country_facts.tsv")
OUT = os.path.join(kb.DATA, "countries.tsv")

HEADER = ["iso3", "iso2", "cameo", "name", "aliases", "adjectives", "capital",
          "lat", "lon", "start", "end", "source"]

BASE_SOURCE = ("ISO 3166-1; https://en.wikipedia.org/wiki/List_of_adjectival_and_demonymic_forms_for_countries_and_nations; "
               "CIA World Factbook (coordinates)")
HIST_SOURCE = ("ISO 3166-3; https://en.wikipedia.org/wiki/ISO_3166-3; "
               "https://en.wikipedia.org/wiki/List_of_adjectival_and_demonymic_forms_for_countries_and_nations")

# Phoenix spellings that are ambiguous between countries: never added.
PHOENIX_SPELLING_STOP = {"congo", "guinea", "dominica", "niger", "samoa", "korea", "sudan",
                         "virgin islands", "antilles", "macedonia", "georgia",
                         # places and parts of a country that resemble its name
                         "chiloe", "buganda", "mongol", "americay", "us vi", "czech socialist republic",
                         "slovak socialist republic", "yemens", "hollander"}


def iso2_of(code: str) -> str:
    if code == "XKX":
        return "XK"
    c = pycountry.countries.get(alpha_3=code)
    if c:
        return c.alpha_2
    for h in pycountry.historic_countries:
        if h.alpha_3 == code:
            return h.alpha_2
    return {"SUN": "SU", "YUG": "YU", "SCG": "CS", "CSK": "CS", "DDR": "DD",
            "YMD": "YD", "VDR": "VD", "ANT": "AN"}.get(code, "")


def phoenix_country_entries():
    """Phoenix entries whose codes are bare country codes (no sector)."""
    found = []
    for e in read_actor_file(os.path.join(PHOENIX_DIR, "Phoenix.Countries.actors.txt")):
        if "countryinfo" in e.comment.lower() or not e.codes:
            continue
        decoded = [kb.decode_cameo(c.code) for c in e.codes]
        if all(country and set(sectors) <= {"PRE"} for country, sectors, _ in decoded):
            found.append(e)
    return found


def _norm(text: str) -> str:
    text = kb.fold(text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _similarity(a: str, choices: list[str]) -> float:
    return max((difflib.SequenceMatcher(None, a, c).ratio() for c in choices), default=0.0)


def _names(row: dict) -> list[str]:
    return [_norm(v) for v in [row["name"]] + row["aliases"].split("|") if v]


def _adjectives(row: dict) -> list[str]:
    return [_norm(v) for v in row["adjectives"].split("|") if v]


def build() -> list[dict]:
    rows = {r["iso3"]: dict(r) for r in kb.read_tsv(MANUAL)}
    facts = {r["iso3"]: r for r in kb.read_tsv(FACTS)}

    missing = sorted(set(kb.ISO) - set(rows))
    if missing:
        raise SystemExit(f"countries_manual.tsv lacks ISO codes: {missing}")

    # every surface form -> owning iso3 (keeps added spellings unambiguous)
    capitals = {_norm(r["capital"]) for r in rows.values() if r["capital"]}
    owner: dict[str, str] = {}
    for r in rows.values():
        for v in [r["name"]] + r["aliases"].split("|") + r["adjectives"].split("|"):
            if v:
                owner.setdefault(_norm(v), r["iso3"])

    cameo: dict[str, str] = {"SUN": "USR", "XKX": "KSV"}
    extra_names: dict[str, list[str]] = {}
    extra_adjs: dict[str, list[str]] = {}
    for e in phoenix_country_entries():
        key = _norm(phrase_words(e.phrase))
        default_codes = [c.code for c in e.codes if not c.start and not c.end] or [e.codes[-1].code]
        raw = default_codes[0]
        decoded = kb.decode_cameo(raw)[0]
        iso = None
        if decoded in rows and _similarity(key, _names(rows[decoded])) >= 0.75:
            iso = decoded
        if iso is None:
            iso = owner.get(key)
        if iso is None:
            best = difflib.get_close_matches(key, list(owner), n=1, cutoff=0.85)
            iso = owner[best[0]] if best else None
        if iso is None:
            continue
        ambiguous_head = decoded in rows and decoded != iso and key in PHOENIX_SPELLING_STOP
        if raw != iso and iso not in cameo and not ambiguous_head:
            cameo[iso] = raw.replace("FRN", "FRA")  # FRNWLF is a typo in Phoenix
        names, adjs = _names(rows[iso]), _adjectives(rows[iso])
        for syn in e.synonyms:
            text = phrase_words(syn).strip(" ,")
            if not text or not re.fullmatch(r"[A-Za-z' .-]+", text):
                continue  # parentheses, mojibake, digits
            k = _norm(text)
            k_bare = re.sub(r"^the ", "", k)
            if len(k) < 4 or k in PHOENIX_SPELLING_STOP or k in owner or k_bare in owner or k in capitals:
                continue
            if text.startswith("'"):
                continue
            name_score = _similarity(k, names)
            adj_score = _similarity(k, adjs)
            pretty = " ".join(w if w in ("of", "the", "and") else w.capitalize() for w in text.lower().split())
            looks_adjective = re.search(r"(an|ans|ese|ish|i|is|ic)$", k) is not None
            if adj_score >= 0.85 and adj_score > name_score and looks_adjective:
                extra_adjs.setdefault(iso, []).append(pretty)
                owner[k] = iso
            elif name_score >= 0.85 and not re.search(r"(ese|ian|ians|er|ish)$", k):
                extra_names.setdefault(iso, []).append(pretty)
                owner[k] = iso

    out = []
    for iso, r in rows.items():
        f = facts.get(iso, {})
        src = HIST_SOURCE if iso in kb.HISTORICAL else BASE_SOURCE
        if iso in extra_names or iso in extra_adjs:
            src += "; phoenix:Phoenix.Countries.actors.txt"
        out.append({
            "iso3": iso,
            "iso2": iso2_of(iso),
            "cameo": cameo.get(iso, iso),
            "name": r["name"],
            "aliases": kb.join_values([a for a in r["aliases"].split("|") if a != r["name"]]
                                      + extra_names.get(iso, [])),
            "adjectives": kb.join_values(r["adjectives"].split("|") + extra_adjs.get(iso, [])),
            "capital": r["capital"],
            "lat": f.get("lat", ""),
            "lon": f.get("lon", ""),
            "start": r["start"],
            "end": r["end"],
            "source": src,
        })
    out.sort(key=lambda x: (x["iso3"] in kb.HISTORICAL, x["iso3"]))
    return out


def main() -> None:
    rows = build()
    kb.write_tsv(OUT, HEADER, rows, [
        "Countries and territories: all ISO 3166-1 codes, Kosovo (XKX) and historical states.",
        "cameo = code used by CAMEO/Phoenix when it differs from iso3 (compound codes such as USAASM mark dependencies).",
        "aliases/adjectives are |-separated; lat/lon is a representative point of the country, not the capital.",
        "Generated by scripts/kb/build_countries.py from scripts/kb/countries_manual.tsv; do not edit by hand.",
    ])
    print(f"countries.tsv: {len(rows)} rows")


if __name__ == "__main__":
    main()
