"""Build src/communique/kb/data/organizations.tsv.

1. Hand-built rows from scripts/kb/orgs/*.tsv (they always win).
2. Organisations converted from the Phoenix dictionaries:
   Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt and the
   non-person, non-country entries of Phoenix.Countries.actors.txt.
   An entry is skipped when any of its names is already a hand-built name or
   alias, a country name/alias/adjective or a metonym.  People found in these
   files are left to build_people_phoenix.py.

Phoenix codes are mapped to our convention by kbcommon.decode_cameo:
IGOUNO... -> UNO, IGOEUR... -> EUR, other IGO -> IGO; NGO/MNC with a
national code -> that country (NGO sector NGO, companies BUS); transnational
militant groups and regional codes (SASREB, MEAREB) -> IMG.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import OrderedDict

import kbcommon as kb
import phoenix_classify as pc
from phoenix_reader import PHOENIX_DIR, phrase_words, read_actor_file

ORG_DIR = os.path.join(kb.HERE, "orgs")
MANUAL_FILES = ["igo.tsv", "ngo.tsv", "armed_groups.tsv", "national_usa_europe.tsv",
                "national_eurasia.tsv", "national_mideast.tsv", "national_asia.tsv",
                "national_africa.tsv", "national_americas.tsv", "companies.tsv"]
OUT = os.path.join(kb.DATA, "organizations.tsv")
HEADER = ["org_id", "name", "aliases", "kind", "country", "sector", "start", "end", "source"]
KINDS = {"igo", "ngo", "party", "agency", "legislature", "court", "military", "police",
         "intelligence", "media", "armed_group", "company", "university", "other"}

PHOENIX_FILES = ["Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt",
                 "Phoenix.Countries.actors.txt"]

# Hand-added entries of Phoenix.Countries.actors.txt that are bodies although
# their name has no organisation word.
COUNTRIES_FILE_ORGS = {"DGSE", "VOLKSKAMMER", "BUNDESRAT", "REICHSTAG", "LOK_SABHA", "KNESSET",
                       "SHIN_BET", "MOSSAD", "PESHMERGA", "KREMLIN", "ERGENEKON", "PUSSY_RIOT",
                       "SCOTLAND_YARD", "INTER-SERVICES_INTELLIGENCE", "ASSAM_RIFLES",
                       "WESTMINSTER_PALACE", "MALACANANG_PALACE", "HER_MAJESTYS_ARMED_FORCES",
                       "PEOPLES_LIBERATION_ARMY", "JABHAT_AL_NUSRA", "AHRAR_AL_SHAM",
                       "GHURABA_AL-SHAM", "JAYSH_AL_SHA'BI", "JAISH_AL_MUHAJIREEN_WAL_ANSAR",
                       "DAMASCUS_DECLARATION", "HAZM_MOVEMENT", "THE_ISLAMIC_STATE"}

NOT_FIRST_NAMES = {"ABU", "AL", "EL", "BIN", "IBN", "THE", "DE", "LE", "LA", "SAN", "SANTA", "NEW",
                   "NORTH", "SOUTH", "WEST", "EAST", "RED", "BLACK", "WHITE", "GREEN", "FREE",
                   "HOLY", "GOLDEN", "ISLAMIC", "SAINT", "ST.", "GRAND", "GREAT", "ROYAL"}


def wiki_url(name: str) -> str:
    return "https://en.wikipedia.org/wiki/" + name.replace(" ", "_")


def load_manual() -> list[dict]:
    rows = []
    for fn in MANUAL_FILES:
        for r in kb.read_tsv(os.path.join(ORG_DIR, fn)):
            r = {h: kb.clean_cell(r.get(h, "")) for h in HEADER}
            if not r["org_id"]:
                r["org_id"] = f"{r['country'].lower()}_{kb.slug(r['name'])}"
            if not r["source"]:
                r["source"] = wiki_url(r["name"])
            rows.append(r)
    return rows


def surface_keys(name: str, aliases: str) -> list[str]:
    keys = [kb.fold(name)] + [kb.fold(a) for a in aliases.split("|") if a]
    return [re.sub(r"^the ", "", k) for k in keys if k]


def resolve_alias_conflicts(rows: list[dict]) -> list[str]:
    """An alias naming two different organisations stays with the first one."""
    owner: dict[str, str] = {}
    for r in rows:  # names first: a name always beats an alias elsewhere
        owner.setdefault(re.sub(r"^the ", "", kb.fold(r["name"])), r["org_id"])
    dropped = []
    for r in rows:
        keep = []
        for a in r["aliases"].split("|"):
            if not a:
                continue
            k = re.sub(r"^the ", "", kb.fold(a))
            if owner.setdefault(k, r["org_id"]) == r["org_id"]:
                keep.append(a)
            else:
                dropped.append(f"{a} ({r['org_id']}, kept for {owner[k]})")
        r["aliases"] = kb.join_values(keep)
    return dropped


# ---------------------------------------------------------------- Phoenix

def kind_for(head: str, country: str, sector: str, name: str) -> str:
    n = name.upper()
    if head == "MNC":
        return "company"
    if sector in ("REB", "UAF", "PRM", "CRM"):
        return "armed_group"
    if re.search(r"\b(PARTY|PARTIES)\b", n):
        return "party"
    if re.search(r"\b(UNIVERSITY|COLLEGE|ACADEMY|SCHOOL)\b", n):
        return "university"
    if re.search(r"\b(COURT|TRIBUNAL)\b", n):
        return "court"
    if re.search(r"\b(PARLIAMENT|ASSEMBLY|CONGRESS|SENATE|KNESSET|DUMA|SABHA|BUNDESTAG|BUNDESRAT|VOLKSKAMMER)\b", n) and sector in ("LEG", "GOV", ""):
        return "legislature"
    if re.search(r"\b(NEWS|PRESS|TIMES|RADIO|TELEVISION|BROADCASTING|BBC|CNN|REUTERS)\b", n) or sector == "JRN":
        return "media"
    if sector in ("REB", "UAF", "PRM", "CRM"):
        return "armed_group"
    if sector in ("OPP", "CVL", "PRE"):
        return "other"
    if sector == "SPY":
        return "intelligence"
    if sector == "COP":
        return "police"
    if sector == "MIL":
        return "military"
    if sector == "LEG":
        return "legislature"
    if sector == "JUD":
        return "court"
    if head == "IGO" or country in ("UNO", "EUR", "IGO"):
        return "igo"
    if head == "NGO" or country == "NGO":
        return "ngo"
    if country in kb.COUNTRY_CODES:
        return "agency"
    return "other"


STOP_TOKENS = {"the", "of", "and", "for", "in", "al", "el", "wa", "wal", "de", "la", "le", "du",
               "des", "a", "an", "fi", "ul", "e", "i"}


def _sig_tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[\s\-']+", kb.fold(text)) if len(t) > 2 and t not in STOP_TOKENS}


def keep_synonym(syn: str, name: str) -> bool:
    """Keep spelling variants, acronyms and names of the body itself; drop the
    leaders, spokesmen and unrelated groups that Phoenix lists as synonyms."""
    text = phrase_words(syn)
    if not re.search(r"[A-Za-z]{2}", text) or re.fullmatch(r"[\d\W_]+", text):
        return False
    if " " not in text.strip() and len(text.strip(" .")) <= 8:
        return True                      # acronym such as FARC, ELN, JI
    if pc.has_org_word(syn):
        return True
    if _sig_tokens(text) & _sig_tokens(phrase_words(name)):
        return not pc.looks_like_person(syn)
    return difflib.SequenceMatcher(None, kb.fold(text), kb.fold(phrase_words(name))).ratio() >= 0.6


def phoenix_org_rows(taken: set[str], acronyms: set[str]) -> tuple[list[dict], list[str]]:
    rows: OrderedDict[str, dict] = OrderedDict()
    spans_seen: dict[str, str] = {}
    skipped = []
    for fn in PHOENIX_FILES:
        for e in read_actor_file(os.path.join(PHOENIX_DIR, fn)):
            if not e.codes:
                continue
            is_countries_file = fn.startswith("Phoenix.Countries")
            if is_countries_file and "countryinfo" in e.comment.lower():
                continue
            decoded = [kb.decode_cameo(c.code) for c in e.codes]
            if all(country and set(s) <= {"PRE"} for country, s, _ in decoded):
                continue  # a country entry
            if is_countries_file:
                if pc.is_role_phrase(e.phrase) or not (pc.has_org_word(e.phrase) or e.phrase.strip("_ ") in COUNTRIES_FILE_ORGS):
                    continue  # people and offices: build_people_phoenix.py
            elif pc.is_role_phrase(e.phrase):
                continue
            if pc.looks_like_person(e.phrase) or any("ELI" in s for _, s, _ in decoded):
                continue  # people: build_people_phoenix.py
            if any(not c.default for c in e.codes) and not pc.has_org_word(e.phrase) and fn.endswith("International.actors.txt"):
                continue  # dated International entries are office holders
            name, syns = pc.pretty_org_name(e.phrase, acronyms)
            if not re.search(r"[A-Za-z]{2}", name):
                continue
            for s in e.synonyms:
                if keep_synonym(s, e.phrase):
                    sname, sextra = pc.pretty_org_name(s, acronyms)
                    syns += [sname] + sextra
            keys = surface_keys(name, "|".join(syns))
            if any(k in taken for k in keys):
                skipped.append(name)
                continue
            head = e.codes[0].code[:3]
            for p in pc.periods_from_codes(e.codes):
                country, sector = p.country, p.sector
                if not country:
                    if sector in ("REB", "UAF", "PRM") or head == "IMG":
                        country = "IMG"
                    else:
                        continue
                if country == "IMG" and not sector:
                    sector = "REB"
                if head == "MNC" or country == "MNC":
                    sector = "BUS"
                elif head == "NGO" and country in kb.COUNTRY_CODES and not sector:
                    sector = "NGO"
                if sector and sector not in kb.SECTORS:
                    sector = ""
                key = kb.fold(name) + "|" + country + "|" + sector + "|" + p.start + "|" + p.end
                span_key = kb.fold(name) + "|" + p.start + "|" + p.end
                if span_key in spans_seen and spans_seen[span_key] != key:
                    continue  # same name listed again with another code: first listing wins
                spans_seen[span_key] = key
                if key in rows:
                    rows[key]["aliases"] = kb.join_values(rows[key]["aliases"].split("|") + syns)
                    continue
                rows[key] = {
                    "org_id": "",
                    "name": name,
                    "aliases": kb.join_values([s for s in syns if kb.fold(s) != kb.fold(name)]),
                    "kind": kind_for(head, country, sector, name),
                    "country": country,
                    "sector": sector,
                    "start": p.start,
                    "end": p.end,
                    "source": f"phoenix:{fn}",
                }
    # stable ids: one id per distinct name
    ids: dict[str, str] = {}
    used: set[str] = set()
    for r in rows.values():
        k = kb.fold(r["name"])
        if k not in ids:
            base = "phx_" + (kb.slug(r["name"])[:60] or "org")
            oid, n = base, 2
            while oid in used:
                oid, n = f"{base}_{n}", n + 1
            used.add(oid)
            ids[k] = oid
        r["org_id"] = ids[k]
    return list(rows.values()), skipped


def collect_first_names() -> None:
    from collections import Counter
    counts: Counter = Counter()
    for e in read_actor_file(os.path.join(PHOENIX_DIR, "Phoenix.Countries.actors.txt")):
        if "countryinfo" in e.comment.lower():
            toks = phrase_words(e.phrase).upper().split()
            if len(toks) >= 2:
                counts[toks[0]] += 1
    pc.FIRST_NAMES.update(t for t, n in counts.items()
                          if n >= 3 and t not in NOT_FIRST_NAMES and t not in pc.ORG_WORDS)


def taken_surface_forms(manual: list[dict]) -> set[str]:
    taken = set()
    for r in manual:
        taken.update(surface_keys(r["name"], r["aliases"]))
    for path in (os.path.join(kb.DATA, "countries.tsv"),):
        for c in kb.read_tsv(path):
            for v in [c["name"]] + c["aliases"].split("|") + c["adjectives"].split("|"):
                if v:
                    taken.add(re.sub(r"^the ", "", kb.fold(v)))
    for m in kb.read_tsv(os.path.join(kb.DATA, "metonyms.tsv")):
        taken.add(re.sub(r"^the ", "", kb.fold(m["phrase"])))
    return taken


def main() -> None:
    collect_first_names()
    manual = load_manual()
    acronyms = set()
    for r in manual:
        for v in [r["name"]] + r["aliases"].split("|"):
            for t in re.findall(r"\b[A-Z][A-Z0-9&\-]{1,9}\b", v):
                acronyms.add(t)
    taken = taken_surface_forms(manual)
    phx, skipped = phoenix_org_rows(taken, acronyms)
    rows = manual + phx
    dropped = resolve_alias_conflicts(rows)
    kb.write_tsv(OUT, HEADER, rows, [
        "Organisations: intergovernmental (UNO = UN system, EUR = EU, IGO = others), NGOs, national bodies,",
        "armed groups, media, universities and companies.  Several rows with one org_id record a code that",
        "changes over time (start/end inclusive, empty = open).  sector empty = general-purpose body.",
        "Sector codes: CAMEO/PLOVER; JRN = media (CAMEO MED), HLH = health (PLOVER MED); MED is not used.",
        "kind: igo|ngo|party|agency|legislature|court|military|police|intelligence|media|armed_group|company|university|other",
        "Hand-built rows: scripts/kb/orgs/*.tsv; rows with source phoenix:<file> converted from the Phoenix",
        "dictionaries (MIT licence, Open Event Data Alliance).  Generated by scripts/kb/build_organizations.py.",
    ])
    print(f"organizations.tsv: {len(rows)} rows ({len(manual)} hand-built, {len(phx)} from Phoenix); "
          f"{len(skipped)} Phoenix entries already covered; {len(dropped)} conflicting aliases dropped")
    with open(os.path.join(kb.HERE, "build_organizations.log"), "w", encoding="utf-8") as fh:
        fh.write("# Phoenix entries skipped because a hand-built row covers them\n")
        fh.write("\n".join(skipped) + "\n")
        fh.write("# aliases dropped because another organisation already uses them\n")
        fh.write("\n".join(dropped) + "\n")


if __name__ == "__main__":
    main()
