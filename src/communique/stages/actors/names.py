"""Names the entity recogniser missed, found from the text itself (part of step 1, units).

Three kinds, each a general property of news text rather than a list of answers:

* **A person's name repeated in part.** Once an article has named "Alexander Lebed", a later
  "Lebed" (or an all-caps "LEBED" in a headline, or a "Lebed" the tagger called an
  organisation) is that person: wire stories name a person in full once and by surname after.
* **Initial and surname** ("P. Simmons", "M. Waugh"): the form of names in scorecards,
  results and bylines, which the tagger rarely marks.
* **Companies by their suffix** ("Driefontein Consolidated Ltd", "McDonald & Co", "Lear Corp";
  suffixes are the ``company_suffix`` rows of ``kb/data/actor_patterns.tsv``).
* **An organisation's name repeated.** A team, company or other organisation found once is the
  same organisation where its name recurs untagged ("Essex" in the report after "Essex" in the
  results; "Homegate" after "Homegate Hospitality Inc").
* **Players in cricket scorecards.** A dismissal names its fielder and bowler ("c Healy b
  Fleming 44", "lbw b Ata-ur-Rehman 21", "st Kaluwitharana b Chandana"), a batting line starts
  with its batsman ("R. Ponting not out 46"), a bowling analysis names its bowler ("McGrath
  9.5-0-44-1"): the line's form says the word is a person.
* **Teams in results lines.** Sports results are written as lines of names and numbers
  ("Harlequins 75 Gloucester 19", a standings row "Falkirk 3 1 1 1 1 1 4", "Derbyshire
  beat Worcestershire by nine wickets", a fixture "May 18 v Worcestershire"). A name in such a
  line is a team (an organisation) even when it is also a place name.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy
from spacy.attrs import IS_TITLE, IS_UPPER, LENGTH, LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ...kb._text import actor_key as canon
from ...kb.actors import ActorKB
from ...kb.tables import data_path, read_table
from .._lexicon import HONORIFICS
from .._state import doc_text
from .units import Lookups, Unit, sentence_initial
from .words import NOT_PLACES

_PERSON_KINDS = ("person", "nperson")
# units the tagger alone made (no knowledge-base entry) that a repeated surname may correct
_RETYPABLE = ("norg", "place")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday "
                    "thursday friday saturday sunday".split())


def name_units(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    """``units`` with the three kinds of names above added (and mistyped surnames corrected)."""
    if not len(doc):
        return units
    units = _company_names(doc, units)
    units = _initial_names(doc, units, kb, look)
    units = _repeated_names(doc, units, kb, look)
    units = _scorecard_names(doc, units)
    units = units + _team_names(doc, units, look)
    units = units + _listed_names(doc, units, kb, look)
    return _repeated_orgs(doc, units, kb, look)


# -- players in cricket scorecards -------------------------------------------------------
_PLAYER = r"(?:[A-Z]\.[ \t]?){0,2}[A-Z][A-Za-z'-]+(?:[ \t][A-Z][A-Za-z'-]+)?"
_SCORECARD = (
    # "c Healy b Fleming 44", "lbw b Gough 4", "st Kaluwitharana b Chandana 6": fielder and bowler
    re.compile(rf"(?<![\w.])(?:c|st|b|c[ \t]&[ \t]b|c[ \t]and[ \t]b)[ \t]+(?P<a>{_PLAYER})(?=[ \t]+(?:b[ \t]|\d))"),
    # "R. Ponting not out 46", "Saeed Anwar c Stewart b Gough 33": the batsman opens the line
    re.compile(rf"(?m)^[ \t]*(?P<a>{_PLAYER})(?=[ \t]+(?:c|b|st|lbw|run[ \t]out|not[ \t]out)[ \t])"),
    # "McGrath 9.5-0-44-1": a bowling analysis (overs-maidens-runs-wickets)
    re.compile(rf"(?<![\w.])(?P<a>{_PLAYER})[ \t]+\d{{1,2}}(?:\.\d)?-\d{{1,2}}-\d{{1,3}}-\d{{1,2}}\b"),
)


def _scorecard_names(doc: Doc, units: list[Unit]) -> list[Unit]:
    """``units`` with the players named by the form of a scorecard line (above); the tagger's own
    guesses over the same words ("Ostrander 0" run into the next line's "R. Vellacott") give way. One regex
    pass per form, only over texts with a bowling analysis or a dismissal ("lbw", "not out")."""
    text = doc_text(doc)   # joined once per document (doc.text joins every token again)
    if not re.search(r"\d-\d+-\d+-\d|\blbw\b|\bnot out\b", text):
        return units
    by_token = {i: u for u in units for i in range(u.start, u.end)}
    mine: set[int] = set()
    dropped: set[int] = set()
    out: list[Unit] = []
    for pat in _SCORECARD:
        for m in pat.finditer(text):
            name = m.group("a")
            if name.split()[0].lower() in _MONTHS or name.lower() in NOT_PLACES:
                continue
            span = doc.char_span(m.start("a"), m.end("a"), alignment_mode="contract")
            if span is None or not len(span) or any(i in mine for i in range(span.start, span.end)):
                continue
            over = {id(u): u for i in range(span.start, span.end) if (u := by_token.get(i)) is not None}
            if any(u.kind not in ("nperson", "norg") or u.entry is not None for u in over.values()):
                continue   # a knowledge-base name stays
            dropped.update(over)
            out.append(Unit(span.start, span.end, "nperson", text=span.text))
            mine.update(range(span.start, span.end))
    if not out:
        return units
    return sorted([u for u in units if id(u) not in dropped] + out, key=lambda u: u.start)


# -- a name followed by its country in brackets -----------------------------------------
_LISTED = re.compile(r"(?<![\w'-])((?:[A-Z][\w'-]*[ \t]+){0,3}[A-Z][\w'-]*)[ \t]+\(([A-Z][\w. ]{1,30})\)")


def _listed_names(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    """Results and entry lists name competitors with their country: "Rodney Eyles (Australia)
    beat Derek Ryan (Ireland)", "Red Star (Yugoslavia)". The name is a person, or a team when
    one of its words is a common English word."""
    text = doc_text(doc)
    if "(" not in text:
        return []
    taken = {i for u in units for i in range(u.start, u.end)}
    out: list[Unit] = []
    for m in _LISTED.finditer(text):
        if not any(e.kind == "country" for e in kb.lookup(m.group(2))):
            continue
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
        if span is None or not len(span) or any(i in taken for i in range(span.start, span.end)):
            continue
        words = [t.lower_ for t in span]
        if words[0] in _MONTHS or any(w in NOT_PLACES for w in words) or canon(span.text) in kb.phrases:
            continue
        kind = "norg" if any(_common(look, w) for w in words) else "nperson"
        out.append(Unit(span.start, span.end, kind, text=span.text))
        taken.update(range(span.start, span.end))
    return out


def _common(look: Lookups, low: str) -> bool:
    """A word English writes in lower case ("total", "sales"); an unknown word ("haitai") is not."""
    form = look.forms.get(low)
    return form == low if form is not None else low in look.common_nouns or low in look.common_adjs


# -- companies by their suffix ---------------------------------------------------------
@lru_cache(maxsize=1)
def _company_pattern() -> re.Pattern:
    table = read_table(data_path("actor_patterns.tsv"), ("kind", "word", "country", "sector"))
    suffixes = sorted((row["word"] for _, row in table if row["kind"] == "company_suffix"), key=len, reverse=True)
    alt = "|".join(re.escape(w).replace(r"\ ", "[ \t]+") for w in suffixes)
    # one to five capitalised words (initials "A.G." and "&" between them), then the suffix
    word = r"(?:[A-Z][\w'.-]*|&)"
    return re.compile(rf"(?<![\w-])(?:{word}[ \t]+){{1,5}}(?:{alt})(?:\.|(?![\w-]))")


def _company_names(doc: Doc, units: list[Unit]) -> list[Unit]:
    text = doc_text(doc)
    by_token = {i: u for u in units for i in range(u.start, u.end)}
    out = list(units)
    taken: set[int] = set()
    for m in _company_pattern().finditer(text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        start, end = span.start, span.end
        while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].text == "&"):
            start += 1
        if end - start < 2 or any(i in taken for i in range(start, end)):
            continue
        inside = {id(u): u for i in range(start, end) if (u := by_token.get(i)) is not None}
        if any(u.start < start or u.end > end or (u.kind == "org" and (u.start, u.end) == (start, end))
               for u in inside.values()):
            continue  # cuts through another name, or is a known organisation already
        # "Malaysia Airlines": a country inside the name is the company's country
        country = next((u.country or u.ref for u in inside.values() if u.kind in ("country", "adjective")), None)
        out = [u for u in out if id(u) not in inside]
        u = Unit(start, end, "norg", None, "", country=country, sector="BUS", text=doc[start:end].text)
        u.possessive = end < len(doc) and doc[end].tag_ == "POS"
        out.append(u)
        taken.update(range(start, end))
    return out


# -- an organisation's name repeated ----------------------------------------------------
def _repeated_orgs(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    suffix = _company_pattern()
    names: dict[tuple[str, ...], Unit] = {}
    for u in units:
        if u.kind != "norg":
            continue
        words = [t.lower_ for t in doc[u.start:u.end]]
        if words and words[0] == "the":
            words = words[1:]
        forms = [tuple(words)]
        if u.sector == "BUS" and len(words) > 2 and suffix.search(doc[u.start:u.end].text):
            forms.append(tuple(words[:-1]))      # "Homegate Hospitality" of "... Inc"
            if len(words[0]) > 3 and not _common(look, words[0]):
                forms.append((words[0],))        # "Homegate"
        for f in forms:
            if f and not (len(f) == 1 and (_common(look, f[0]) or f[0] in NOT_PLACES
                                            or canon(f[0]) in kb.phrases)):
                names.setdefault(f, u)
    if not names:
        return units
    longest = max(len(k) for k in names)
    taken = {i for u in units for i in range(u.start, u.end)}
    out = list(units)
    n = len(doc)
    strings = doc.vocab.strings
    lowers = [strings[h] for h in doc.to_array(LOWER).tolist()]   # Token.lower_ of every token, once
    # the tokens that may open a name (title case, or upper case of 2+ characters), from arrays;
    # the others were skipped one by one
    flags = doc.to_array([IS_TITLE, IS_UPPER, LENGTH])
    opens = numpy.flatnonzero((flags[:, 0] == 1) | ((flags[:, 1] == 1) & (flags[:, 2] > 1))).tolist()
    after = 0   # tokens before this are inside the last name found
    for i in opens:
        if i < after or i in taken:
            continue
        hit = 0
        for k in range(min(longest, n - i), 0, -1):
            key = tuple(lowers[i:i + k])
            if key in names and not any(j in taken for j in range(i, i + k)) and not (
                    i + k < n and doc[i + k].is_title and (i + k) not in taken):
                hit = k
                break
        if not hit:
            continue
        src = names[tuple(lowers[i:i + hit])]
        u = Unit(i, i + hit, "norg", None, "", country=src.country, sector=src.sector, text=doc[i:i + hit].text)
        u.possessive = i + hit < n and doc[i + hit].tag_ == "POS"
        out.append(u)
        taken.update(range(i, i + hit))
        after = i + hit
    return out


# -- a person's name repeated in part -------------------------------------------------
def _name_parts(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> dict[str, str]:
    """Surname (last word) and given name (first word) of every person named in full in the
    article -> the part's usual spelling. Parts that are common words, known phrases (a
    country, an organisation) or one letter are left out."""
    parts: dict[str, str] = {}
    for u in units:
        if u.kind not in _PERSON_KINDS or (u.start and doc[u.start - 1].lower_ == "the"):
            continue  # "the Mets Poet": a nickname, not a name whose parts recur
        words = [t for t in doc[u.start:u.end]
                 if t.is_title and t.text.replace("'", "").replace("-", "").isalpha()
                 and t.lower_.rstrip(".") not in HONORIFICS and len(t) > 2]
        initial = _INITIAL.fullmatch(doc[u.start].text) is not None   # "P. Simmons": the surname
        if not words or (len(words) < 2 and not initial):
            continue
        for t in ((words[-1],) if initial else (words[0], words[-1])):
            low = t.lower_
            if low in parts or low in _MONTHS or canon(t.text) in kb.phrases or low in NOT_PLACES:
                continue
            parts[low] = t.text
    return parts


def _repeated_names(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    parts = _name_parts(doc, units, kb, look)
    if not parts:
        return units
    by_start = {u.start: u for u in units}
    taken = {i for u in units for i in range(u.start, u.end)}
    out = list(units)
    # only the tokens whose lower-case form is a name part become Token objects (one array read)
    ids = {get_string_id(p) for p in parts}
    lowers = doc.to_array(LOWER).tolist() if len(doc) else []
    for i in [i for i, x in enumerate(lowers) if x in ids]:
        t = doc[i]
        low = t.lower_
        if low not in parts or not (t.is_title or (t.is_upper and len(t) > 1)):
            continue
        u = by_start.get(t.i)
        if t.i in taken:
            # "Shearer" tagged ORG, "Woods" taken for a place: one word the tagger alone typed
            if u is None or u.end - u.start != 1 or u.kind not in _RETYPABLE or u.entry is not None:
                continue
            out.remove(u)
        elif sentence_initial(doc, t.i) and t.is_title and _common(look, low) and not (
                t.i + 1 < len(doc) and (doc[t.i + 1].is_punct or doc[t.i + 1].tag_ == "POS"
                                        or doc[t.i + 1].pos_ in ("VERB", "AUX"))):
            continue  # "Bush fires ...": a common word opening the sentence
        if _place_use(doc, t.i) and look.place(t.text) is not None:
            continue  # "in Riverdale", "the Riverdale area": the place, not the person named after it
        new = Unit(t.i, t.i + 1, "nperson", text=t.text)
        new.possessive = t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"
        out.append(new)
        taken.add(t.i)
    return out


def _place_use(doc: Doc, i: int) -> bool:
    """A word used as a place: after a preposition or article, or before a common noun it modifies."""
    prev = doc[i - 1] if i else None
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return (prev is not None and prev.pos_ in ("ADP", "DET")) or (
        nxt is not None and nxt.is_lower and nxt.pos_ == "NOUN")


# -- initial and surname ---------------------------------------------------------------
_INITIAL = re.compile(r"[A-Z]\.")


def _initial_names(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    taken = {i for u in units for i in range(u.start, u.end)}
    out = list(units)
    n = len(doc)
    strings = doc.vocab.strings
    # an initial is two characters long: only those tokens' texts are read (from arrays, no
    # Token object per word)
    arr = doc.to_array([ORTH, LENGTH]) if n else numpy.zeros((0, 2), dtype="uint64")
    for i, orth in zip(*(x.tolist() for x in _rows_of_length(arr, 2)), strict=True):
        if i + 1 >= n or not _INITIAL.fullmatch(strings[orth]) or i in taken or (i + 1) in taken:
            continue
        t = doc[i]
        prev = doc[t.i - 1] if t.i else None
        if prev is not None and (prev.is_title or _INITIAL.fullmatch(prev.text)) and (t.i - 1) not in taken \
                and not prev.is_sent_start:
            continue  # "George W. Bush": the middle of a longer name, the tagger's business
        nxt = doc[t.i + 1]
        if not (nxt.is_title and nxt.text.replace("'", "").replace("-", "").isalpha()) \
                or nxt.lower_ in _MONTHS or canon(nxt.text) in kb.phrases:
            continue
        place = look.place(nxt.text)
        if place is not None and place[1] in ("country", "admin1"):
            continue  # "N. Ireland", "S. Carolina"
        out.append(Unit(t.i, t.i + 2, "nperson", text=doc[t.i:t.i + 2].text))
        taken.update((t.i, t.i + 1))
    return out


def _rows_of_length(arr, length: int):
    """(indexes, orth ids) of the rows of an (ORTH, LENGTH) array whose token has ``length`` characters."""
    rows = numpy.flatnonzero(arr[:, 1] == length)
    return rows, arr[rows, 0]


# -- teams in results lines ------------------------------------------------------------
_WORD = r"(?:[A-Z][A-Za-z'&.-]*|of|the|de|la|del|St)"
_NAME = rf"[A-Z][A-Za-z'&.-]*(?: {_WORD})*"
_NUM = r"(?:\d+(?:[./-]\d+)*|\.\d+|-)"
# a score line: the strongest sign; a common word there is a team too ("Sale 31 Wasps 33")
_SCORE_LINE = re.compile(rf"^(?P<a>{_NAME}) \d+ (?P<b>{_NAME}) \d+\b")
_LINE_PATTERNS = (
    # "Harlequins 75 Gloucester 19", "San Diego 3 NEW YORK 2"
    _SCORE_LINE,
    # a standings row: a name and at least three numbers
    re.compile(rf"^(?P<a>{_NAME})(?: {_NUM}){{3,}}$"),
    # cricket innings "Somerset 83 and 174", points "Leicestershire 22 points, Somerset 4."
    re.compile(rf"(?:^|: |, |; )(?P<a>{_NAME}) \d+(?:-\d+)? and \d+(?:-\d+)?\b"),
    re.compile(rf"^(?P<a>{_NAME}) \d+ points, (?P<b>{_NAME}) \d+\.?$"),
    # fixtures and results "East Fife v Clydebank", "Derbyshire beat Worcestershire by nine wickets"
    re.compile(rf"(?:^|: |\d |, )(?P<a>{_NAME}) (?:v|vs\.?) (?P<b>{_NAME})"),
    re.compile(rf"(?:^|\d )v (?P<b>{_NAME})"),
    re.compile(rf"(?:^|: |\b[a-z]+ )(?P<a>{_NAME}) beat (?P<b>{_NAME}) (?:by|\d)"),
)


def _team_names(doc: Doc, units: list[Unit], look: Lookups) -> list[Unit]:
    text = doc_text(doc)
    if not re.search(r"\d", text):
        return []
    taken = {i for u in units for i in range(u.start, u.end)}
    out: list[Unit] = []
    pos = 0
    for raw in text.split("\n"):
        offset = pos + len(raw) - len(raw.lstrip(" "))
        pos += len(raw) + 1
        line = raw.strip(" ")
        if not line or not any(c.isdigit() for c in line):
            continue
        for pat in _LINE_PATTERNS:
            for m in pat.finditer(line):
                for group in ("a", "b"):
                    if group not in m.groupdict() or m.group(group) is None:
                        continue
                    name = _trim(m.group(group))
                    if not name or not _team_like(name, look, common_ok=pat is _SCORE_LINE):
                        continue
                    s = offset + m.start(group)
                    span = doc.char_span(s, s + len(name), alignment_mode="expand")
                    if span is None or any(i in taken for i in range(span.start, span.end)):
                        continue
                    out.append(Unit(span.start, span.end, "norg", text=span.text))
                    taken.update(range(span.start, span.end))
    return out


def _trim(name: str) -> str:
    """Drop connecting words left at the end of a matched name ("Alloa of" cannot be a name)."""
    words = name.split(" ")
    while words and words[-1] in ("of", "the", "de", "la", "del", "St"):
        words.pop()
    return " ".join(words)


def _team_like(name: str, look: Lookups, common_ok: bool = False) -> bool:
    """A name, not a month, a weekday or a common word opening a table row ("Total", "Extras")."""
    words = name.split(" ")
    if words[0].lower() in _MONTHS or any(not w[:1].isalpha() for w in words):
        return False
    if len(words) == 1:
        low = name.lower()
        if len(low) < 2 or low in NOT_PLACES:
            return False
        if common_ok or not _common(look, low):
            return True
        place = look.place(name)   # "Reading 2 Stoke 2": a common word that names a town of note
        return place is not None and place[2] >= look.min_population
    return True
