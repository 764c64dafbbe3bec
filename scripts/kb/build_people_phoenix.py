"""Build src/communique/kb/data/people/phoenix.tsv (format: people/FORMAT.md).

People are taken from
* Phoenix.Countries.actors.txt: the CountryInfo entries (``NAME_  # CountryInfo.txt``)
  and the hand-added person entries of each country block;
* Phoenix.International.actors.txt: office holders of international
  organisations (dated entries, [ELI] entries, person-like names).
Country blocks, organisations and offices ("PRESIDENT_OF_THE_UNITED_STATES_")
are not people and are skipped (see build_countries.py / build_organizations.py).

Names: ALL_CAPS_UNDERSCORE -> Title Case (kbcommon.title_case_name); leading
titles are removed ("PRESIDENT_XI_JINPING" -> "Xi Jinping"), bare surnames
and title+surname forms are not kept as names or aliases.  Entries with the
same name in the same country are one person; a hand-added entry whose first
and last name match a CountryInfo person only adds aliases.
Each dated code becomes one row (one tenure); a default code becomes an open
row after the last dated tenure.  role and gender stay empty.
"""

from __future__ import annotations

import os
import re

import kbcommon as kb
import phoenix_classify as pc
from build_organizations import COUNTRIES_FILE_ORGS, collect_first_names
from phoenix_reader import PHOENIX_DIR, read_actor_file

OUT = os.path.join(kb.DATA, "people", "phoenix.tsv")
HEADER = ["person_id", "name", "aliases", "gender", "country", "sector", "role", "start", "end", "source"]

# One-word names that really are how these people are known.
MONONYMS = {"SUHARTO", "SUKARNO", "HIROHITO", "AKIHITO", "SUGIHARTO", "MARDIYANTO", "SIDDARAMAIAH",
            "NARUHITO", "BOEDIONO", "WIRANTO"}


def clean_phrase(phrase: str) -> str | None:
    """Remove nicknames, '(ACTING', ', BARON_X' and mojibake; None if unusable."""
    if "\x1a" in phrase or "\ufffd" in phrase:
        return None
    text = re.sub(r'"[^"]*"', " ", phrase)            # "NANDO"
    text = re.sub(r"\(.*$", " ", text)                 # (ACTING_  (1ST_TIME_
    text = re.sub(r",(?!_?JR\.?)[^,]*$", " ", text)    # , BARON_MARTONMERE_  (but keep , JR.)
    text = text.replace("`", "'")
    text = re.sub(r"[_\s]+", " ", text).strip(" ,")
    return text or None


def person_name(phrase: str, country: str, allow_mononym: bool = False) -> str | None:
    text = clean_phrase(phrase)
    if text is None:
        return None
    toks = pc.strip_titles(text)
    toks = [t for t in toks if not re.fullmatch(r"'[A-Z]?", t)]
    if not toks:
        return None
    if len(toks) == 1:
        if not (allow_mononym and toks[0].rstrip(".") in MONONYMS):
            return None
    if any(t.strip(".,'") in pc.ORG_WORDS for t in toks):
        return None
    name = kb.title_case_name(" ".join(toks), country)
    if len(name.split()) < 2 and not (allow_mononym and toks[0].rstrip(".") in MONONYMS):
        return None                                   # "Al-Assad": a surname alone
    return name


def name_key(name: str) -> str:
    return kb.fold(name).replace(".", "").replace("-", " ")


def first_last(name: str) -> tuple[str, str]:
    toks = name_key(name).split()
    return (toks[0], toks[-1]) if toks else ("", "")


class Person:
    def __init__(self, name: str, source: str, curated: bool):
        self.name = name
        self.aliases: list[str] = []
        self.periods: list[pc.Period] = []
        self.sources = {source}
        self.curated = curated  # CountryInfo entry (authoritative dates)

    def countries(self) -> set[str]:
        return {p.country for p in self.periods if p.country}


def entry_periods(e, head_country: str) -> list[pc.Period]:
    out = []
    for p in pc.periods_from_codes(e.codes):
        country, sector = p.country, p.sector
        if not country:
            country = head_country
        if country in ("NGO",) and not sector:
            sector = "NGO"
        elif country == "MNC" or (p.raw.startswith("MNC")):
            sector = "BUS"
        elif country in ("UNO", "EUR", "IGO") and sector != "ELI":
            sector = "IGO"
        if not country or not sector or sector not in kb.SECTORS:
            continue
        if country not in kb.ALL_COUNTRY_CODES:
            continue
        out.append(pc.Period(country, sector, p.start, p.end, p.raw))
    return out


def collect() -> list[Person]:
    people: list[Person] = []
    by_name: dict[str, Person] = {}                  # name key | country
    by_first_last: dict[tuple[str, str, str], Person] = {}

    def index(person: Person, name: str) -> None:
        for c in person.countries():
            by_name.setdefault(name_key(name) + "|" + c, person)
            by_first_last.setdefault(first_last(name) + (c,), person)

    def add(e, fname: str, curated: bool) -> None:
        periods = entry_periods(e, "")
        if not periods:
            return
        main_country = periods[-1].country
        national = [p.country for p in periods if p.country in kb.COUNTRY_CODES]
        name_country = national[-1] if national else main_country   # for Korean-style hyphens
        name = person_name(e.phrase, name_country, allow_mononym=True)
        aliases = []
        for s in e.synonyms:
            if pc.has_org_word(s):
                continue
            a = person_name(s, name_country)
            if a:
                aliases.append(a)
        if name is None:
            # title+surname head ("PRESIDENT_JOSIPOVIC_"): use a full-name synonym if there is one
            full = [a for a in aliases if len(a.split()) >= 2]
            if not full:
                return
            name, aliases = full[0], full[1:]
        countries = {p.country for p in periods}
        person = None
        for c in sorted(countries):
            person = by_name.get(name_key(name) + "|" + c)
            if person is None and not curated:
                person = by_first_last.get(first_last(name) + (c,))
            if person is not None:
                break
        if person is None:
            person = Person(name, fname, curated)
            people.append(person)
        person.sources.add(fname)
        if name_key(name) != name_key(person.name):
            person.aliases.append(name)
        elif "-" in name and "-" not in person.name:
            person.aliases.append(person.name)   # prefer "Ban Ki-moon" over "Ban Ki Moon"
            person.name = name
        person.aliases.extend(aliases)
        if curated or not person.curated:
            person.periods.extend(periods)
        else:
            # a curated (CountryInfo) person only takes periods in other countries,
            # e.g. the UN office of a former national minister
            known = person.countries()
            person.periods.extend(p for p in periods if p.country not in known)
        person.curated = person.curated or curated
        index(person, name)
        for a in aliases:
            index(person, a)

    # CountryInfo people first (authoritative), then hand-added, then International
    entries = read_actor_file(os.path.join(PHOENIX_DIR, "Phoenix.Countries.actors.txt"))
    for e in entries:
        if e.codes and "countryinfo" in e.comment.lower():
            add(e, "Phoenix.Countries.actors.txt", True)
    for e in entries:
        if not e.codes or "countryinfo" in e.comment.lower():
            continue
        decoded = [kb.decode_cameo(c.code) for c in e.codes]
        if all(country and set(s) <= {"PRE"} for country, s, _ in decoded):
            continue                       # country block
        if pc.has_org_word(e.phrase) or e.phrase.strip("_ ") in COUNTRIES_FILE_ORGS:
            continue                       # organisation
        if pc.is_role_phrase(e.phrase) and not pc.looks_like_person(e.phrase):
            continue                       # office such as US_SECRETARY_OF_STATE_
        add(e, "Phoenix.Countries.actors.txt", False)
    for e in read_actor_file(os.path.join(PHOENIX_DIR, "Phoenix.International.actors.txt")):
        if not e.codes or pc.has_org_word(e.phrase):
            continue
        dated = any(not c.default for c in e.codes)
        eli = any("ELI" in kb.decode_cameo(c.code)[1] for c in e.codes)
        if dated or eli or "rulers" in e.comment.lower() or pc.looks_like_person(e.phrase):
            if pc.is_role_phrase(e.phrase) and not pc.looks_like_person(e.phrase):
                continue
            add(e, "Phoenix.International.actors.txt", False)
    return people


def main() -> None:
    collect_first_names()
    people = collect()
    seen_people = []
    ids_taken: dict[str, str] = {}
    rows = []
    for p in people:
        if not p.periods:
            continue
        main_country = p.periods[-1].country
        base = kb.slug(p.name)
        pid = f"{base}_phx"
        if pid in ids_taken:
            pid = f"{base}_{main_country.lower()}_phx"
            n = 2
            while pid in ids_taken:
                pid = f"{base}_{main_country.lower()}{n}_phx"
                n += 1
        ids_taken[pid] = p.name
        aliases = kb.join_values(a for a in p.aliases if name_key(a) != name_key(p.name))
        source = "; ".join(f"phoenix:{s}" for s in sorted(p.sources))
        seen = set()
        for per in sorted(p.periods, key=lambda x: (x.start or "0000", x.end or "9999", x.country, x.sector)):
            k = (per.country, per.sector, per.start, per.end)
            if k in seen:
                continue
            seen.add(k)
            rows.append({"person_id": pid, "name": p.name, "aliases": aliases, "gender": "",
                         "country": per.country, "sector": per.sector, "role": "",
                         "start": per.start, "end": per.end, "source": source})
        seen_people.append(pid)
    kb.write_tsv(OUT, HEADER, rows, [
        # read/coverage/status: docs/KB.md; the dictionaries' last dated entry is 2015-02-17
        "read: 2025-12",
        "coverage: 2015-02-17",
        "status: frozen (the dictionaries stop in early 2015, their last dated entry is 2015-02-17: an empty end only",
        "  means \"still in office then\"; such a tenure ends on the coverage date unless a curated table or an "
        "overlay continues it)",
        "People converted from the Phoenix/PETRARCH2 actor dictionaries (CountryInfo.140130 and later",
        "hand additions; MIT licence, Open Event Data Alliance).  Data end around 2015: later tenures are missing.",
        "One row per (country, sector, period) code of the dictionary; role and gender are not in the source.",
        "ELI rows record the dictionary's 'elite' status (before or after office), e.g. birth-year-to-office ranges.",
        "Generated by scripts/kb/build_people_phoenix.py; do not edit by hand.",
    ])
    print(f"people/phoenix.tsv: {len(rows)} rows, {len(seen_people)} people")


if __name__ == "__main__":
    main()
