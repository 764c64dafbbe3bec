"""Organisations found by the shape of their names, and acronyms defined in the text.

The tables cannot list every ministry, court, agency, army unit, task force, operation
and ship of every country, and spaCy's entity recogniser misses many of them (and tags
the rest as anything from PERSON to GPE). Their names follow conventions, written as data
in ``kb/data/actor_patterns.tsv``:

* government bodies: capitalised words ending in a body word ("Defence Ministry", "Federal
  Security Service", "Madras High Court") and/or a body word with an "of" complement
  ("Ministry of Foreign Affairs", "Supreme Court of India");
* military units after an ordinal ("82nd Airborne Division", "3rd Battalion, 5th Marines");
* names led by a word ("Operation Sindoor", "Task Force 145") and ships by their prefix
  ("USS Carl Vinson", "INS Vikrant"; the prefix gives the country).

The sector is the agents table's sector of the name's head phrase ("Supreme Court" JUD,
"Ministry" GOV), else the pattern table's; the country comes from a country inside the name
("of Ukraine") or, as for any organisation, from the phrase around it ("Indian Defence Ministry").

Acronyms defined in the text ("the Syrian Democratic Forces (SDF)", or "SDF (Syrian
Democratic Forces)") make every other standalone use of the acronym in the document a
mention of the same organisation, whatever else the letters may stand for.

All matching is one precompiled regex pass over the document text per kind; no parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.tokens import Doc

from ...kb._text import actor_key as canon
from ...kb.actors import ActorKB
from ...kb.tables import data_path, read_table
from .._lexicon import DETERMINERS
from .._state import doc_text
from .units import Unit

_ORDINAL = (r"(?:\d{1,3}(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|"
            r"Eleventh|Twelfth)")
_CAP = r"(?:[A-Z][\w'\u2019-]*)"        # a capitalised word (or acronym)
_SEP = r"[ \t]+"                         # names do not run across lines
_LINK = r"(?:of|for|on|and|the|&)"       # small words inside a name's complement
# units that may lead a body's name but are not part of it: countries, places, a demonym
_LEADING_KINDS = frozenset({"country", "adjective", "metonym", "place"})


@dataclass
class NamePatterns:
    body: re.Pattern
    unit: re.Pattern
    ship: re.Pattern
    lead: re.Pattern
    sectors: dict[str, str]          # head word / lead word -> sector
    ship_country: dict[str, str]     # ship prefix -> iso3
    version: str = ""

    @classmethod
    def load(cls) -> NamePatterns:
        table = read_table(data_path("actor_patterns.tsv"), ("kind", "word", "country", "sector"))
        words: dict[str, list[str]] = {"body_head": [], "unit_head": [], "ship_prefix": [], "lead": []}
        sectors: dict[str, str] = {}
        ships: dict[str, str] = {}
        for _, row in table:
            words.setdefault(row["kind"], []).append(row["word"])
            if row["sector"]:
                sectors.setdefault(row["word"], row["sector"])
            if row["kind"] == "ship_prefix":
                ships[row["word"]] = row["country"]

        def alt(ws: list[str]) -> str:
            return "|".join(re.escape(w).replace(r"\ ", _SEP) for w in sorted(ws, key=len, reverse=True))

        heads = alt(words["body_head"])
        tail = rf"(?:{_SEP}(?:of|for|on){_SEP}(?:the{_SEP})?{_CAP}(?:{_SEP}(?:{_LINK}{_SEP})?{_CAP}){{0,5}})"
        body = re.compile(rf"(?<![\w-])(?:(?:{_CAP}{_SEP}){{1,5}}(?:{heads}){tail}?|(?:{heads}){tail})\b")
        one_unit = rf"{_ORDINAL}{_SEP}(?:{_CAP}{_SEP}){{0,3}}(?:{alt(words['unit_head'])})"
        unit = re.compile(rf"(?<![\w-]){one_unit}(?:,{_SEP}{one_unit})*\b")
        ship = re.compile(rf"(?<![\w-])(?:{alt(words['ship_prefix'])}){_SEP}{_CAP}(?:{_SEP}{_CAP}){{0,3}}"
                          rf"(?:{_SEP}\([A-Z]{{1,4}}-?\d{{1,4}}\))?")
        lead = re.compile(rf"(?<![\w-])(?:{alt(words['lead'])}){_SEP}(?:{_CAP}|\d+)(?:[ \t-]+(?:{_CAP}|\d+)){{0,3}}")
        return cls(body, unit, ship, lead, sectors, ships, table.version)


def _first_word(text: str) -> str:
    return text.split(None, 1)[0] if text.strip() else ""


def pattern_units(doc: Doc, units: list[Unit], kb: ActorKB, pats: NamePatterns) -> list[Unit]:
    """``units`` with the pattern names added; units inside a pattern name give way to it,
    a knowledge-base organisation or person that the name would cut through wins over it."""
    text = doc_text(doc)
    found: list[tuple[int, int, str, str | None, str]] = []  # (char start, end, kind, country, sector)
    for kind, rx in (("unit", pats.unit), ("ship", pats.ship), ("lead", pats.lead), ("body", pats.body)):
        for m in rx.finditer(text):
            country = pats.ship_country.get(_first_word(m.group())) if kind == "ship" else None
            sector = pats.sectors.get(_first_word(m.group()), "MIL") if kind in ("ship", "lead") else "MIL"
            found.append((m.start(), m.end(), kind, country, sector if kind != "body" else ""))
    if not found:
        return units
    by_token = {i: u for u in units for i in range(u.start, u.end)}
    taken: set[int] = set()
    out = list(units)
    for cs, ce, kind, country, sector in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        span = doc.char_span(cs, ce, alignment_mode="contract")
        if span is None or not len(span):
            continue
        start, end = span.start, span.end
        # leading articles, countries and demonyms are the phrase's, not the name's
        while start < end and (doc[start].lower_ in DETERMINERS or (
                start in by_token and by_token[start].kind in _LEADING_KINDS and by_token[start].end <= end)):
            start = by_token[start].end if start in by_token and doc[start].lower_ not in DETERMINERS else start + 1
        if end - start < (2 if kind != "lead" else 2) or any(i in taken for i in range(start, end)):
            continue
        inside = {id(u): u for i in range(start, end) if (u := by_token.get(i)) is not None}
        if any(u.kind in ("person", "org", "nperson") and (u.start < start or u.end > end or (
                u.kind == "org" and u.start == start and u.end == end)) for u in inside.values()):
            continue  # cuts through a known name, or is exactly a known organisation
        if kind == "body" and not _capitalised_head(doc, start, end):
            continue
        if country is None:
            country = next((u.country or u.ref for u in inside.values()
                            if u.kind in ("country", "adjective") and u.start > start), None)
        if not sector:
            sector = _body_sector(doc, start, end, kb, pats)
        out = [u for u in out if id(u) not in inside]
        u = Unit(start, end, "norg", None, "", country=country, sector=sector, text=doc[start:end].text)
        u.possessive = end < len(doc) and doc[end].tag_ == "POS"
        out.append(u)
        taken.update(range(start, end))
        for i in range(start, end):
            by_token[i] = u
    out.sort(key=lambda u: u.start)
    return out


def _capitalised_head(doc: Doc, start: int, end: int) -> bool:
    """Not a title-case headline or a sentence of capitalised words: the words before the
    head are not verbs, and the name is not the whole sentence."""
    return not any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN" for t in doc[start:end])


def _body_sector(doc: Doc, start: int, end: int, kb: ActorKB, pats: NamePatterns) -> str:
    """The agents table's sector of the longest phrase ending at the head word, else the table's."""
    words = [t.text for t in doc[start:end]]
    # the head: the last word before an "of"/"for" complement, else the last word
    head = next((k for k, w in enumerate(words) if w.lower() in ("of", "for", "on") and k > 0), len(words)) - 1
    for k in range(0, head + 1):
        agent = kb.agents.get(canon(" ".join(words[k:head + 1])))
        if agent is not None and agent.sector:
            return agent.sector
    # a head of two words ("Military District") before a head of one
    return pats.sectors.get(" ".join(words[max(0, head - 1):head + 1]), pats.sectors.get(words[head], "GOV"))


# -- acronyms defined in the text ------------------------------------------------------
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,7}$")


def _initials(doc: Doc, start: int, end: int) -> str:
    return "".join(t.text[0].upper() for t in doc[start:end] if t.is_alpha or t.text[:1].isalpha())


def _expands(acronym: str, initials: str) -> bool:
    """Every letter of the acronym is the initial of a word of the name, in order or not
    ("FDLR" for "Democratic Forces for the Liberation of Rwanda")."""
    letters = [c for c in acronym if c.isalpha()]
    if len(letters) < 2 or len(letters) > len(initials) + 1:
        return False
    pool = list(initials)
    for c in letters:
        if c not in pool:
            return False
        pool.remove(c)
    return True


# Long on purpose: one scan of the bracketed acronyms and then of their later uses, sharing the
# token arrays it reads once.
def acronym_units(doc: Doc, units: list[Unit]) -> list[Unit]:
    """Units for acronyms the text defines next to an organisation's name, and for their
    other standalone uses; ``units`` (sorted, without overlaps) is returned with them added."""
    n = len(doc)
    for u in units:
        # the entity recogniser often takes "(SDF" into the name: the name ends before the bracket
        if u.kind in ("org", "norg") and u.end - u.start > 2:
            k = next((k for k in range(u.start + 1, u.end) if doc[k].text == "("), None)
            if k is not None and u.end - k <= 2 and _ACRONYM.match(doc[k + 1].text if k + 1 < n else ""):
                u.end = k
                u.text = doc[u.start:k].text
    by_token = {i: u for u in units for i in range(u.start, u.end)}
    removed: set[int] = set()
    defined: dict[str, Unit] = {}
    added: list[Unit] = []
    # the opening brackets, from one array (no Token object for every word)
    paren = doc.vocab.strings["("]
    orths = doc.to_array(ORTH).tolist() if n else []
    for i in range(1, n - 1):
        if orths[i] != paren:
            continue
        # "Syrian Democratic Forces (SDF)"
        acr = doc[i + 1].text
        if _ACRONYM.match(acr) and i + 2 < n and doc[i + 2].text == ")":
            name = by_token.get(i - 1)
            if name is not None and name.kind in ("org", "norg") and name.end == i \
                    and _expands(acr, _initials(doc, name.start, name.end)):
                defined.setdefault(acr, name)
                if i + 1 not in by_token:
                    u = _copy(name, i + 1, i + 2)
                    added.append(u)
                    by_token[i + 1] = u
            continue
        # "SDF (Syrian Democratic Forces)"
        prev = doc[i - 1].text
        if not _ACRONYM.match(prev):
            continue
        close = next((k for k in range(i + 2, min(n, i + 12)) if doc[k].text == ")"), None)
        if close is None or not doc[i + 1].text[:1].isupper():
            continue
        if not _expands(prev, _initials(doc, i + 1, close)):
            continue
        inner = by_token.get(i + 1)
        if inner is not None and inner.kind in ("org", "norg") and inner.end == close:
            name = inner
        elif all(by_token[k].kind not in ("org", "person") and by_token[k].start > i
                 and by_token[k].end <= close for k in range(i + 1, close) if k in by_token):
            # the words in brackets are one name, whatever pieces the recogniser made of them
            removed.update(id(by_token[k]) for k in range(i + 1, close) if k in by_token)
            name = Unit(i + 1, close, "norg", text=doc[i + 1:close].text)
            added.append(name)
            for k in range(i + 1, close):
                by_token[k] = name
        else:
            continue
        defined.setdefault(prev, name)
        if i - 1 not in by_token:
            u = _copy(name, i - 1, i)
            added.append(u)
            by_token[i - 1] = u
    if not defined:
        return [u for u in units if id(u) not in removed] + added if removed or added else units
    for t in doc:
        name = defined.get(t.text)
        if name is not None and t.i not in by_token:
            u = _copy(name, t.i, t.i + 1)
            added.append(u)
            by_token[t.i] = u
    return sorted([u for u in units if id(u) not in removed] + added, key=lambda u: u.start)


def _copy(name: Unit, start: int, end: int) -> Unit:
    u = Unit(start, end, name.kind, name.entry, name.ref, country=name.country, sector=name.sector,
             entries=list(name.entries))
    return u
