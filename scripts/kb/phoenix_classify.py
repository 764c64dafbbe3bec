"""Decide what a Phoenix dictionary entry is (person, organisation, role
phrase) and turn its codes into dated (country, sector) periods."""

from __future__ import annotations

import re
from dataclasses import dataclass

import kbcommon as kb
from phoenix_reader import CodeSpan, phrase_words

# Words that make a phrase an organisation, body or place rather than a person.
ORG_WORDS = {
    "ARMY", "ARMIES", "FRONT", "BRIGADE", "BRIGADES", "MOVEMENT", "PARTY", "ORGANIZATION",
    "ORGANISATION", "GROUP", "GROUPS", "COMMITTEE", "COMMITTEES", "COUNCIL", "UNION", "LEAGUE",
    "FORCE", "FORCES", "LIBERATION", "REVOLUTIONARY", "RESISTANCE", "JIHAD", "ALLIANCE",
    "ASSOCIATION", "SOCIETY", "FOUNDATION", "INSTITUTE", "INSTITUTION", "CENTER", "CENTRE", "FUND",
    "BANK", "AGENCY", "COMMISSION", "OFFICE", "MINISTRY", "DEPARTMENT", "AUTHORITY",
    "GOVERNMENT", "ADMINISTRATION", "COURT", "TRIBUNAL", "ASSEMBLY", "CONGRESS", "PARLIAMENT",
    "NETWORK", "COALITION", "CELLS", "CELL", "COMMANDOS", "COMMANDO", "FIGHTERS", "MILITIA",
    "MILITIAS", "BATTALION", "REGIMENT", "CORPS", "GUARD", "GUARDS", "POLICE", "SERVICE",
    "SERVICES", "BUREAU", "PROGRAM", "PROGRAMME", "MISSION", "FORUM", "FEDERATION",
    "CONFEDERATION", "COMMUNITY", "TASK", "TEAM", "INC", "INC.", "CORP", "CORP.", "CORPORATION",
    "COMPANY", "CO", "CO.", "LTD", "LTD.", "HOLDINGS", "PLC", "JAISH", "JAYSH", "LIWA", "LIWAA",
    "HARAKAT", "HARAKAH", "KATAIB", "KATAEB", "ANSAR", "JABHAT", "JAMAAT", "JAMA'AT", "TANZIM",
    "HIZB", "LASHKAR", "TEHRIK", "SARAYA", "SECURITY", "INTELLIGENCE", "MILITARY", "NAVY",
    "UNIVERSITY", "COLLEGE", "SCHOOL", "ACADEMY", "HOSPITAL", "CHURCH", "MOSQUE", "FLEET",
    "HOUSE", "PALACE", "STREET", "YARD", "KREMLIN", "HEADQUARTERS", "POLITBURO", "SOVIET",
    "REPUBLIC", "STATE", "STATES", "NATIONS", "INTERNATIONAL", "WORLD", "GLOBAL", "NATIONAL",
    "UNITED", "PEOPLE'S", "PEOPLES", "DEMOCRATIC", "ISLAMIC", "ARMED", "RIFLES", "SABHA",
    "THINK", "TANK", "PROJECT", "TRUST", "PARTNERS", "SYSTEMS", "TECHNOLOGIES", "ENERGY",
    "RESOURCES", "MINISTRIES", "PRESS", "NEWS", "TIMES", "RADIO", "TELEVISION", "TV", "MEDIA",
    "BOARD", "AUTHORITIES", "DECLARATION", "OBSERVATORY", "REGIME", "COMMAND",
    "DIVISION", "UNIT", "UNITS", "SQUAD", "RIOT", "CARTEL", "GANG", "MAFIA", "CLAN",
}

# Leading words that are titles, not part of a name.
TITLE_WORDS = {
    "PRESIDENT", "PRIME", "MINISTER", "SECRETARY", "SECRETARY-GENERAL", "GENERAL", "GEN.", "GEN",
    "SENATOR", "SEN.", "MR", "MR.", "MRS", "MRS.", "MS", "MS.", "DR", "DR.", "SIR", "DAME", "LORD",
    "LADY", "KING", "QUEEN", "PRINCE", "PRINCESS", "SHEIKH", "SHAIKH", "SHEIK", "EMIR", "AMIR",
    "SULTAN", "CROWN", "FORMER", "EX-", "EX", "VICE", "DEPUTY", "CHAIRMAN", "CHANCELLOR",
    "AYATOLLAH", "HOJATOLISLAM", "MULLAH", "MAULANA", "REV.", "REVEREND", "FATHER", "POPE",
    "CARDINAL", "BISHOP", "ARCHBISHOP", "COL.", "COLONEL", "MAJ.", "MAJOR", "CAPT.", "CAPTAIN",
    "LT.", "LIEUTENANT", "ADM.", "ADMIRAL", "MARSHAL", "FIELD", "BRIG.", "CHIEF", "LEADER",
    "SOVIET", "RUSSIAN", "AMERICAN", "US", "U.S.", "CIA", "DEFENSE", "DEFENCE", "FOREIGN",
    "COMMUNIST", "REFORMER", "SPEAKER", "GOVERNOR", "MAYOR", "AMBASSADOR", "ENVOY", "JUDGE",
    "JUSTICE", "DATO'", "DATO", "DATUK", "SERI", "TUN", "TAN", "H.E.", "HIS", "HER", "ROYAL",
    "HIGHNESS", "MAJESTY", "EXCELLENCY", "HON.", "HONOURABLE", "THE", "CONGRESSMAN",
    "CONGRESSWOMAN", "REPRESENTATIVE", "REP.", "UN", "U.N.", "UNITED",
    "NATIONS", "NATIONAL", "SECURITY", "ADVISOR", "ADVISER", "ASSEMBLY", "MOSCOW", "PARTY",
    "DIRECTOR", "COMMANDER", "HEAD", "HRH", "EMPEROR", "GRAND", "DUKE", "BARON", "VISCOUNT",
    "EARL", "COUNT", "ALHAJI", "ALHAJ", "HAJJI", "HAJI", "ENGINEER", "ENG.", "PROF.", "PROFESSOR", "LYONPO", "DASHO", "LYONCHHEN",
}

# Titles that, leading a phrase, mark it as a person (subset of TITLE_WORDS).
PERSON_TITLES = TITLE_WORDS - {
    "THE", "UNITED", "NATIONS", "NATIONAL", "SECURITY", "ASSEMBLY", "PARTY", "SOVIET", "RUSSIAN",
    "AMERICAN", "US", "U.S.", "CIA", "DEFENSE", "DEFENCE", "FOREIGN", "COMMUNIST", "UN", "U.N.",
    "MOSCOW", "HIS", "HER", "ROYAL", "GRAND", "FIELD", "HEAD", "CHIEF", "LEADER", "TAN", "COUNT",
    "CROWN", "VICE", "DEPUTY", "FORMER", "EX-", "EX",
}

# First words that start a personal name (collected from Phoenix's CountryInfo people);
# filled by the converters with the first token of every CountryInfo entry.
FIRST_NAMES: set[str] = set()


def tokens(phrase: str) -> list[str]:
    return [t for t in phrase_words(phrase).upper().split() if t]


def has_org_word(phrase: str) -> bool:
    return any(t.strip("(),") in ORG_WORDS for t in tokens(phrase))


def is_title_token(tok: str) -> bool:
    tok = tok.strip(",")
    if tok in TITLE_WORDS or tok.startswith("EX-"):
        return True
    pieces = [p for p in tok.split("-") if p]
    return len(pieces) > 1 and all(p in TITLE_WORDS or p in ("ELECT", "DESIGNATE") for p in pieces)


def strip_titles(phrase: str) -> list[str]:
    toks = tokens(phrase)
    while toks and is_title_token(toks[0]):
        toks = toks[1:]
    return toks


def looks_like_person(phrase: str) -> bool:
    toks = tokens(phrase)
    if not toks or has_org_word(phrase) or len(toks) > 6:
        return False
    if any(ch.isdigit() for ch in phrase):
        return False
    first = toks[0]
    if first in PERSON_TITLES or first in FIRST_NAMES:
        return True
    return len(first.rstrip(".")) == 1 and len(toks) >= 2  # "R._K._PACHAURI"


@dataclass
class Period:
    country: str
    sector: str
    start: str
    end: str
    raw: str


def periods_from_codes(codes: list[CodeSpan]) -> list[Period]:
    """Dated (country, primary sector) periods of one entry.

    A default (undated) code applies whenever no dated restriction does; we
    keep it as an open period starting the day after the last dated period
    ends (or undated when there is no dated period at all).  A default that
    can never apply (a dated period is open-ended) is dropped.
    """
    dated = [c for c in codes if not c.default]
    defaults = [c for c in codes if c.default]
    out: list[Period] = []
    for c in dated:
        country, sectors, _ = kb.decode_cameo(c.code)
        out.append(Period(country, sectors[0] if sectors else "", c.start, c.end, c.code))
    if defaults:
        c = defaults[-1]
        country, sectors, _ = kb.decode_cameo(c.code)
        if not dated:
            out.append(Period(country, sectors[0] if sectors else "", "", "", c.code))
        elif all(d.end for d in dated):
            last_end = max(d.end for d in dated)
            out.append(Period(country, sectors[0] if sectors else "", kb.day_after(last_end), "", c.code))
    # fill a missing country from the other periods of the same entry ([ELI] after [BLRGOV ...])
    known = [p.country for p in out if p.country]
    for p in out:
        if not p.country and known:
            p.country = known[-1]
    # drop inverted / duplicate periods
    seen = set()
    clean = []
    for p in sorted(out, key=lambda p: (p.start or "0000", p.end or "9999")):
        if p.start and p.end and p.start > p.end:
            p.start, p.end = p.end, p.start
        key = (p.country, p.sector, p.start, p.end)
        if key in seen:
            continue
        seen.add(key)
        clean.append(p)
    return clean


SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "de", "du", "des", "la", "le",
               "el", "al", "del", "da", "do", "dos", "das", "y", "et", "wa", "wal", "fi", "an", "a"}


ROLE_WORDS = {"PRESIDENT", "SECRETARY", "MINISTER", "ATTORNEY", "AMBASSADOR", "REPRESENTATIVE",
              "DIRECTOR", "VICE", "VICE-PRESIDENT", "SPOKESMAN", "CHANCELLOR", "ENVOY", "ADVISOR",
              "ADVISER", "CHAIRMAN", "PREMIER", "GOVERNOR", "MAYOR", "LEADER", "CHIEF", "HEAD"}


def is_role_phrase(phrase: str) -> bool:
    """'PRESIDENT_OF_THE_UNITED_STATES_', 'US_SECRETARY_OF_DEFENSE_': an office, not a body."""
    toks = [t.strip("(),") for t in tokens(phrase)]
    return any(t in ROLE_WORDS for t in toks) and not any(
        t in ORG_WORDS - {"SECURITY", "NATIONAL", "UNITED", "STATES", "STATE", "NATIONS"} for t in toks)


def _pretty_word(w: str, i: int, n_words: int, acronyms: set[str]) -> str:
    bare = w.strip("(),.")
    up = bare.upper()
    if up in {"INC", "LTD", "CORP", "CO", "PLC", "LLC"}:
        return w[:1].upper() + w[1:].lower()
    if up in acronyms or (n_words == 1 and len(bare) <= 5) or (
            bare.isalpha() and len(bare) >= 2 and not re.search(r"[AEIOUY]", up)):
        return w.upper()
    if "." in w and len(w.replace(".", "")) <= 4:
        return w.upper()                  # U.N., U.S.
    if i > 0 and w.lower() in SMALL_WORDS:
        return w.lower()
    pieces = []
    for p in w.split("-"):
        pb = p.strip("(),.")
        if pb.isalpha() and len(pb) >= 2 and not re.search(r"[AEIOUY]", pb.upper()):
            pieces.append(p.upper())
        else:
            pieces.append(kb._cap_piece(p))
    return "-".join(pieces)


def pretty_org_name(phrase: str, acronyms: set[str]) -> tuple[str, list[str]]:
    """'JAPANESE_RED_ARMY_(JRA)_' -> ('Japanese Red Army', ['JRA'])."""
    text = phrase_words(phrase)
    extra = []
    m = re.search(r"\(([^()]*)\)\s*$", text)
    if m and text[:m.start()].strip():
        inner = m.group(1).strip()
        text = text[:m.start()].strip(" -,")
        if inner and re.fullmatch(r"[A-Za-z0-9.&\- ]{2,12}", inner) and " " not in inner:
            extra.append(inner.upper())
    words = text.split()
    name = " ".join(_pretty_word(w, i, len(words), acronyms) for i, w in enumerate(words))
    name = re.sub(r"\s+--?\s+", " - ", name).strip(" ,")
    return name, extra
