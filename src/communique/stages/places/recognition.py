"""Recognition: toponym mentions with their gazetteer candidates (see the package docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.tokens import Doc, Token

from ...kb._text import canon
from ...kb.gazetteer import GazEntry, name_key
from .._lexicon import PLAIN_DETERMINERS
from .._state import DocState, doc_text
from .knowledge import PlaceKB
from .scoring import DEFAULT_SETTINGS, PlaceSettings, prior_score
from .words import (
    ADMIN_WORDS,
    AREA_MODIFIERS,
    CITY_WORDS,
    CONNECTORS,
    COUNTY_WORDS,
    DISEASE_HEADS,
    DIVISION_NOUNS,
    LANG_HEADS,
    LOCATIVE,
    NOT_PLACES,
    NUMERIC_LABELS,
    ORG_WORDS,
    PHYSICAL,
)


# -- recognition ---------------------------------------------------------------------------
@dataclass
class Mention:
    start: int
    end: int
    cands: list[GazEntry]
    role: str = "literal"            # literal | metonym | demonym | embedded | facility
    source: str = "ner"              # ner | scan | demonym | abbreviation
    key: str = ""
    container: int | None = None     # index of the mention this one lies in ("X, Y")
    admin_hint: bool = False         # "X State", "the state of X"
    county: bool = False             # "X County": a division below admin1 the gazetteer lacks
    listed: list[int] | None = None  # indexes of the mentions it is listed with ("Texas and Georgia")
    dateline: bool = False           # the article's dateline ("SPRINGFIELD, Ill. (AP) -")
    choice: GazEntry | None = None
    margin: float = 0.0


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ in PLAIN_DETERMINERS or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in ("'s", "’s", "'")
                           or (doc[end - 1].is_punct and doc[end - 1].text not in (".",))
                           or doc[end - 1].is_space):
        end -= 1
    if end > start and doc[end - 1].text == "." and end - 1 > start:
        end -= 1
    return start, end


def _text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text`` (same slice rules), cut from the document's text joined once per
    document: a Span joins its tokens again on every call, and this runs for every candidate."""
    n = len(doc)
    start = min(n, max(0, start + n if start < 0 else start))
    end = min(n, max(start, end + n if end < 0 else end))
    if start == end:
        return ""
    text = doc_text(doc)
    last = doc[end - 1]
    return text[doc[start].idx:last.idx + len(last)]


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(ch.isalpha() for ch in t)


def _prominent(e: GazEntry, min_pop: float) -> bool:
    if e.idx == -3:  # a second-level division ("Swan") is no landmark inside a longer name ("Mute Swan")
        return False
    return e.feature in ("country", "admin1", "region", "other") or e.population >= min_pop


def _no_small_aliases(cands: list[GazEntry], surface: str, min_pop: float) -> list[GazEntry]:
    """Without cities that go by ``surface`` only as an alternate name and are smaller than
    ``min_pop`` (old names of big cities stay: "Bombay"; "Google" is no Topeka)."""
    key = f" {name_key(surface)} "
    # (a name's own words stay: "Paranaque" for Parañaque City, "Westminster" for the City of Westminster)
    return [e for e in cands if e.feature != "city" or e.population >= min_pop or key in f" {name_key(e.name)} "]


def _best_prior(cands: list[GazEntry], kb: PlaceKB, st: PlaceSettings) -> GazEntry:
    return max(cands, key=lambda e: prior_score(e, kb, st.w))


def _lookup(doc: Doc, start: int, end: int, kb: PlaceKB, dateline: bool = False) -> list[GazEntry]:
    if end <= start:
        return []
    surface = _text(doc, start, end)
    cands = kb.gaz.candidates(surface)
    if not cands and " of " in surface and end - start >= 3:
        # "Democratic Republic of Congo" / "... of the Congo": news drops or adds the article
        other = surface.replace(" of the ", " of ") if " of the " in surface else surface.replace(" of ", " of the ", 1)
        cands = [e for e in kb.gaz.candidates(other) if e.feature != "city"]
    if kb.divisions2 and surface[:1].isupper() and not surface.isupper():  # ("MIDI plc" is no Midi, Yemen)
        more = kb.divisions2.get(name_key(surface)) if end >= len(doc) or doc[end].text != "-" else None
        if more:  # second-level divisions outside the US ("Suffolk", "Pangasinan"; not "Honey-bee")
            cands = [*cands, *more]
    if cands and end - start == 1 and surface.isupper() and not dateline \
            and sum(ch.isalpha() for ch in surface) <= 5:
        # an acronym stands for a country, division or region ("UK", "DRC", "NSW"), not a town
        cands = [e for e in cands if e.feature != "city"]
    if cands and end < len(doc) and doc[end].lower_ in PHYSICAL and doc[end].is_lower:
        cands = [e for e in cands if e.feature in ("other", "region")]
    return cands


def _own_names(cands: list[GazEntry], surface: str) -> list[GazEntry]:
    """Entries that go by ``surface`` as their own name (any alias for countries and divisions):
    alternate names include translations ("White House" is an alias of Casablanca)."""
    key = name_key(surface)
    return [e for e in cands if e.feature in ("country", "admin1", "region") or name_key(e.name) == key]


def _variants(doc: Doc, start: int, end: int, kb: PlaceKB) -> tuple[list[GazEntry], bool]:
    """Candidates for an entity span that has no exact match: "Benue State", "Quezon City"."""
    words = [t.lower_ for t in doc[start:end]]
    if len(words) >= 2 and words[-1] in ADMIN_WORDS:
        cands = [e for e in _lookup(doc, start, end - 1, kb) if e.feature in ("admin1", "region", "other")]
        if cands:
            return cands, True
        cands = _lookup(doc, start, end - 1, kb)
        if cands and words[-1] in ("state", "province", "region"):
            return cands, True
    if len(words) >= 2 and words[-1] in COUNTY_WORDS and doc[end - 1].is_title:
        # "Orange County", "Tangipahoa Parish": no admin2 rows, so the towns named like it stand in
        # for it; resolution keeps one only inside the article's division (else the division itself)
        return [e for e in _lookup(doc, start, end - 1, kb) if e.feature == "city"], False
    if len(words) >= 2 and words[-1] in CITY_WORDS:
        cands = [e for e in _lookup(doc, start, end - 1, kb) if e.feature == "city"]
        if cands:
            return cands, False
    return [], False


def _inner(doc: Doc, start: int, end: int, kb: PlaceKB, min_pop: float, min_alias: float
           ) -> tuple[int, int, list[GazEntry]] | None:
    """The longest prominent place name inside a longer name ("Manila Cathedral" -> Manila)."""
    best = None
    for i in range(start, end):
        if not _is_cap(doc[i]) or doc[i].lower_ in NOT_PLACES:
            continue
        for j in range(min(end, i + 5), i, -1):
            if j - i >= end - start:
                continue
            if not _is_cap(doc[j - 1]) or doc[j - 1].lower_ in NOT_PLACES:
                continue
            if all(t.lower_ in AREA_MODIFIERS for t in doc[i:j]):
                continue  # "South" of "South Kilburn Estate" is no place of its own
            cands = _no_small_aliases(_lookup(doc, i, j, kb), _text(doc, i, j), min_alias)
            cands = [e for e in cands if _prominent(e, min_pop)]
            if cands and (best is None or j - i > best[1] - best[0]):
                best = (i, j, cands)
                break
    return best


def _demonym_at(doc: Doc, start: int, end: int, kb: PlaceKB) -> GazEntry | None:
    key = canon(_text(doc, start, end))
    e = kb.demonyms.get(key)
    if e is None:
        return None
    last = doc[end - 1]
    if last.tag_ in ("NNS", "NNPS") or (last.text.endswith("s") and key[:-1] in kb.demonyms and not
                                        last.text.endswith("ss")):
        return None  # "two Russians": people, not a place
    return e


def _adjectival(doc: Doc, start: int, end: int) -> bool:
    """A demonym that modifies a noun ("French engineer", "Russian-backed"), not a language or people."""
    last = doc[end - 1]
    head = last.head
    if last.dep_ in ("amod", "compound", "nmod", "npadvmod") and head.i != last.i:
        if head.lower_ in LANG_HEADS or head.lemma_.lower() in LANG_HEADS:
            return False
        return head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "NUM")
    if last.dep_ == "conj" and last.head.dep_ in ("amod", "compound", "nmod"):
        return True  # "Irish and German immigrants"
    if end < len(doc) and doc[end].text in ("-",) and end + 1 < len(doc):
        return True  # "Russian-backed"
    if last.tag_ == "JJ" and last.dep_ not in ("pobj", "dobj", "attr", "acomp", "ROOT"):
        return head.pos_ in ("NOUN", "PROPN")
    return False


def _people_span(state: DocState, start: int, end: int, kb: PlaceKB) -> bool:
    """Whether the actor stage found a known person (or a named person with a role) here."""
    for a in state.actors:
        if a.start < end and start < a.end and a.kind == "person" and (a.kb_id or a.role):
            return True
    return False


def _after_locative(doc: Doc, start: int) -> bool:
    j = start - 1
    while j >= 0 and doc[j].lower_ in PLAIN_DETERMINERS:
        j -= 1
    if j >= 1 and doc[j].lower_ == "to" and doc[j - 1].lower_ in ("according", "thanks", "due", "said"):
        return False  # "according to Yap": a source, not a place
    return j >= 0 and doc[j].lower_ in LOCATIVE and doc[j].lower_ not in ("of",)


def _in_place_list(doc: Doc, start: int, taken: list[bool]) -> bool:
    """"Žilina, Nitra, Prešov and Košice": after a place mention and a comma or "and"."""
    j = start - 1
    if j >= 1 and doc[j].lower_ in (",", "and", "or", "&"):
        j -= 1
        if doc[j].lower_ == "," and j >= 1:
            j -= 1
        return taken[j]
    return False


def _listed_before_place(doc: Doc, end: int) -> bool:
    """"Fort Myers and Cape Coral", "Marietta and Decatur schools": listed before a name the tagger
    took for a place (the tagger's PERSON or PRODUCT for the first is then a slip)."""
    j = end
    if j < len(doc) and doc[j].text == "," and j + 1 < len(doc) and doc[j + 1].lower_ in ("and", "or"):
        j += 1
    if j < len(doc) and doc[j].lower_ in ("and", "or"):  # (not a bare comma: lists of brands)
        j += 1
    return end < j < len(doc) and doc[j - 1].lower_ in ("and", "or") and doc[j].ent_type_ in ("GPE", "LOC") and doc[j].ent_iob_ == "B"


def _followed_by_place(doc: Doc, end: int, kb: PlaceKB) -> bool:
    if end + 1 < len(doc) and doc[end].text == ",":
        nxt = doc[end + 1]
        if nxt.text in kb.abbreviations:
            return True
        if _is_cap(nxt):
            for j in range(min(len(doc), end + 5), end + 1, -1):
                cands = _lookup(doc, end + 1, j, kb)
                if any(e.feature in ("country", "admin1") for e in cands):
                    return True
    return False


def _dateline(doc: Doc, start: int, end: int) -> bool:
    sent = doc[start].sent
    if start != sent.start and not (start > 0 and doc[start - 1].is_space):
        return False
    txt = _text(doc, start, end)
    # "SPRINGFIELD, Ill. (AP) -", "KYIV (Reuters) -", and wire datelines with the date: "BONN 1996-08-30"
    return txt.isupper() and len(txt) > 2 and end < len(doc) and (
        doc[end].text in ("-", "—", "–", "(", ",", ":") or _dated(doc, end))


def _dated(doc: Doc, i: int) -> bool:
    """Whether a numeric date starts at token ``i`` ("1996-08-30", "1996/08/30")."""
    t = doc[i].text
    return len(t) >= 4 and t[:4].isdigit() and (t[4:5] in ("-", "/") or (
        len(t) == 4 and i + 1 < len(doc) and doc[i + 1].text in ("-", "/")))


class _Found:
    """The mentions found so far and the tokens they cover (one per ``find_mentions`` call)."""

    def __init__(self, doc: Doc, st: PlaceSettings = DEFAULT_SETTINGS):
        self.doc = doc
        self.st = st
        self.out: list[Mention] = []
        self.taken = [False] * len(doc)

    def add(self, m: Mention) -> None:
        if any(self.taken[i] for i in range(m.start, m.end)):
            return
        if m.end < len(self.doc) and self.doc[m.end].lower_ in DISEASE_HEADS and m.role != "demonym":
            return  # "Marburg virus", "West Nile virus", "Lassa fever": a disease's name, not the place
        if self.doc[m.end - 1].text.endswith("$") or (m.end < len(self.doc) and self.doc[m.end].text == "$"
                                                      and not self.doc[m.end - 1].whitespace_):
            return  # "US$460", "A$2 billion": a currency, not the country
        for i in range(m.start, m.end):
            self.taken[i] = True
        m.key = name_key(_text(self.doc, m.start, m.end)) if not m.key else m.key
        self.out.append(m)


def find_mentions(doc: Doc, state: DocState, kb: PlaceKB, demonyms: bool = True,
                  embedded: bool = True, settings: PlaceSettings = DEFAULT_SETTINGS) -> list[Mention]:
    """Toponym mentions of ``doc`` with their gazetteer candidates (not yet resolved)."""
    found = _Found(doc, settings)
    ent_tokens = [False] * len(doc)
    ents = list(doc.ents)
    for k, ent in enumerate(ents):
        if ent.label_ not in NUMERIC_LABELS:  # "Manbij" tagged DATE is still scanned below
            for i in range(ent.start, ent.end):
                ent_tokens[i] = True
        _entity(doc, state, kb, found, ents, k, ent_tokens, demonyms, embedded)
    # token texts from an array; Token objects only where a test needs one (doc[i])
    strings = doc.vocab.strings
    texts = [strings[h] for h in doc.to_array(ORTH).tolist()] if len(doc) else []
    caps = [bool(x) and x[0].isupper() for x in texts]
    if demonyms:
        _untagged_demonyms(doc, kb, found, texts, caps, ent_tokens)
    _counties(doc, kb, found, texts, caps)
    _abbreviations(kb, found, texts)
    _scan(doc, doc, caps, state, kb, found.taken, ent_tokens, found.add, settings)
    out = found.out
    out.sort(key=lambda m: m.start)
    out = _drop_person_parts(doc, out, settings.t["min_pop_prominent"])
    _link_containers(doc, out)
    _mark_roles(doc, state, out)
    for m in out:
        m.dateline = m.start <= 2 and _dateline(doc, m.start, m.end)   # the cheap test first
    return out


# Words before a name that place it even when the name is also a person's ("born in Jackson"; so
# does a determiner: "the Riverdale gas station").
PERSON_PART_PLACED = frozenset({"in", "at", "near", "outside", "across", "throughout"})


def _drop_person_parts(doc: Doc, mentions: list[Mention], big: float) -> list[Mention]:
    """A one-word name that is part of a person's full name elsewhere in the article is that person
    ("Daniel Montalvo, 19, ... Rathbun lied to Daniel", "charges against Montalvo"), not a town named
    like it, unless it is a prominent place or the text places it ("Jackson, Miss.", "in Jackson")."""
    parts: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.end - ent.start >= 2:  # words of the text, no Token objects
            parts.update(w for w in _text(doc, ent.start, ent.end).split() if w.istitle() and w.isalpha())
    if not parts:
        return mentions
    covered = {i for m in mentions if m.end - m.start >= 2 for i in range(m.start, m.end)}
    keep = []
    for m in mentions:
        if m.end - m.start == 1 and m.role == "literal" and m.start not in covered \
                and _text(doc, m.start, m.end) in parts \
                and not any(_prominent(c, big) for c in m.cands) \
                and not (m.start > 0 and (doc[m.start - 1].lower_ in PERSON_PART_PLACED
                                          or doc[m.start - 1].lower_ in PLAIN_DETERMINERS)) \
                and not (m.end + 1 < len(doc) and doc[m.end].text in (",", "(")):
            continue
        keep.append(m)
    return keep


def _counties(doc: Doc, kb: PlaceKB, found: _Found, texts: list[str], caps: list[bool]) -> None:
    """Untagged "X County" / "X Parish" (in "the Walker County Sheriff's Office", "Pike County schools")."""
    taken = found.taken
    for i in range(1, len(texts)):
        if texts[i] not in ("County", "Parish") or taken[i] or not caps[i - 1] or taken[i - 1]:
            continue
        for s in (i - 2, i - 1):
            if s < 0 or not all(caps[k] and not taken[k] for k in range(s, i)):
                continue
            cands = [e for e in _lookup(doc, s, i, kb) if e.feature == "city"]
            if cands or s == i - 1 or name_key(_text(doc, s, i + 1)) in kb.counties:
                found.add(Mention(s, i + 1, cands, county=True, source="county"))
                break


def _county_inside(doc: Doc, kb: PlaceKB, add, start: int, end: int) -> bool:
    """A county of the table inside an organisation's or facility's name ("the Marathon County
    Sheriff", "Walker County Schools"): the county is the place, not a town named like its first word."""
    for i in range(start + 1, end):
        if doc[i].text not in ("County", "Parish"):
            continue
        for s in (i - 2, i - 1):
            if s >= start and name_key(_text(doc, s, i + 1)) in kb.counties:
                add(Mention(s, i + 1, [e for e in _lookup(doc, s, i, kb) if e.feature == "city"], county=True,
                            source="county"))
                return True
    return False


def _entity(doc: Doc, state: DocState, kb: PlaceKB, found: _Found, ents: list, k: int, ent_tokens: list[bool],
            demonyms: bool, embedded: bool) -> None:
    """The mention (if any) that the ``k``-th entity of the tagger makes."""
    ent, taken, add = ents[k], found.taken, found.add
    label = ent.label_
    start, end = _trim(doc, ent.start, ent.end)
    if start >= end:
        return
    surface = _text(doc, start, end)
    if label in ("ORG", "FAC") and kb.counties and _county_inside(doc, kb, add, start, end):
        return
    if surface in kb.abbreviations and (kb.abbreviations[surface][1] or (
            start >= 2 and doc[start - 1].text == "," and taken[start - 2])):
        add(Mention(start, end, [kb.abbreviations[surface][0]], source="abbreviation"))
        return
    if label in ("GPE", "LOC") and k + 1 < len(ents) and ents[k + 1].start == end + 1 \
            and doc[end].lower_ in ("and", "&"):
        # "Trinidad and Tobago", "Bosnia and Herzegovina": one name the tagger split
        nxt = ents[k + 1]
        both = [e for e in _lookup(doc, start, nxt.end, kb) if e.feature in ("country", "admin1")]
        if both:
            add(Mention(start, nxt.end, both))
            return
    if label in ("GPE", "LOC") and start > 0 and _is_cap(doc[start - 1]) and not ent_tokens[start - 1]:
        # "Democratic Republic of the Congo" when the tagger left out "Democratic"
        longer = [e for e in _lookup(doc, start - 1, end, kb) if e.feature in ("country", "admin1")]
        if longer:
            add(Mention(start - 1, end, longer))
            return
    if label in ("GPE", "LOC") and end < len(doc) and _is_cap(doc[end]) and not ent_tokens[end]:
        # "Mashonaland West" when the tagger left out "West"
        longer = [e for e in _lookup(doc, start, end + 1, kb) if e.feature in ("country", "admin1", "region")]
        if longer:
            add(Mention(start, end + 1, longer))
            return
    if label in ("GPE", "LOC") and start > 0 and end - start >= 2 and doc[end - 1].lower_ in COUNTY_WORDS \
            and _is_cap(doc[start - 1]) and not ent_tokens[start - 1] \
            and name_key(_text(doc, start - 1, end)) in kb.counties:
        # "Prince William County" when the tagger left out "Prince"
        add(Mention(start - 1, end, [e for e in _lookup(doc, start - 1, end - 1, kb) if e.feature == "city"],
                    county=True))
        return
    if label in ("GPE", "LOC") and end - start == 1 and doc[start].lower_ in NOT_PLACES:
        return
    if label in ("GPE", "LOC") and end - start >= 2 and doc[end - 1].lower_ in ("district", "districts") \
            and end < len(doc) and doc[end].lower_ == "of" and all(t.lower_ in AREA_MODIFIERS for t in doc[start:end - 1]):
        return  # "the Western District of Texas": a federal court's district, not a division named so
    if label in ("GPE", "LOC", "FAC"):
        _place_entity(doc, kb, found, label, start, end, surface, demonyms)
    elif label == "NORP":
        _norp_entity(doc, kb, add, start, end, demonyms)
    elif label in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT"):
        _name_entity(doc, state, kb, found, label, start, end, surface, demonyms, embedded)


def _place_entity(doc: Doc, kb: PlaceKB, found: _Found, label: str, start: int, end: int, surface: str,
                  demonyms: bool) -> None:
    """A GPE, LOC or FAC entity: the place, its demonym, or the place name inside it."""
    add, st = found.add, found.st
    prominent = st.t["min_pop_prominent"]
    cands = _lookup(doc, start, end, kb, dateline=_dateline(doc, start, end))
    if cands and end - start == 1 and end < len(doc) and doc[end].ent_type_ == "PERSON" \
            and not any(_prominent(e, prominent) for e in cands):
        return  # "Maya Harden": a given name the tagger split off
    if cands:
        dem = _demonym_at(doc, start, end, kb)
        if dem is not None and not any(e.feature in ("country", "admin1", "region") for e in cands) \
                and _adjectival(doc, start, end):
            if demonyms:
                add(Mention(start, end, [dem], role="demonym", source="demonym"))
            return
        if label == "FAC":
            cands = _own_names(cands, surface)
            if not cands or not _prominent(_best_prior(cands, kb, st), prominent):
                return  # "White House" is not White House, Tennessee
        add(Mention(start, end, cands, role="facility" if label == "FAC" else "literal"))
        return
    cands, admin = _variants(doc, start, end, kb)
    county = end - start >= 2 and doc[end - 1].lower_ in COUNTY_WORDS and doc[end - 1].is_title
    if cands or county:
        add(Mention(start, end, cands, admin_hint=admin, county=county))
        return
    dem = _demonym_at(doc, start, end, kb)
    if dem is not None:
        if demonyms and _adjectival(doc, start, end):
            add(Mention(start, end, [dem], role="demonym", source="demonym"))
        return
    inner = _inner(doc, start, end, kb, st.t["min_pop_inner"] if label != "FAC" else st.t["min_pop_inner_facility"],
                   st.t["min_pop_alias"])
    if inner is not None:
        i, j, cands = inner
        if label == "FAC":
            add(Mention(start, end, cands, role="facility", key=name_key(_text(doc, i, j))))
        elif j == end and all(t.lower_ in AREA_MODIFIERS for t in doc[start:i]):
            add(Mention(i, j, cands))  # "Old Town Manassas"


def _norp_entity(doc: Doc, kb: PlaceKB, add, start: int, end: int, demonyms: bool) -> None:
    dem = _demonym_at(doc, start, end, kb)
    if dem is not None and demonyms and _adjectival(doc, start, end):
        add(Mention(start, end, [dem], role="demonym", source="demonym"))
    elif dem is None and end < len(doc) and doc[end].lower_.rstrip("s") in ADMIN_WORDS \
            and doc[end - 1].lower_ not in NOT_PLACES:
        # "the Artibonite region(s)": a division the tagger took for a nationality
        own = [e for e in _own_names(_lookup(doc, start, end, kb), _text(doc, start, end)) if e.feature == "admin1"]
        if own:
            add(Mention(start, end, own, admin_hint=True))
    elif dem is None and end - start > 1:
        # "Saint Lucian", "Latin American": try the last words
        for s in range(start + 1, end):
            dem = _demonym_at(doc, s, end, kb)
            if dem is not None and demonyms and _adjectival(doc, s, end):
                add(Mention(s, end, [dem], role="demonym", source="demonym"))
                break


def _name_entity(doc: Doc, state: DocState, kb: PlaceKB, found: _Found, label: str, start: int, end: int,
                 surface: str, demonyms: bool, embedded: bool) -> None:
    """An ORG, PERSON, PRODUCT, WORK_OF_ART or EVENT entity that is really a place ("Tamil Nadu
    said", "in Riverdale"), or an organisation whose name holds one."""
    add, taken, st = found.add, found.taken, found.st
    if label == "PERSON" and (_people_span(state, start, end, kb)
                              or name_key(_text(doc, start, end)) in kb.people):
        # "President of Belarus Alexander Lukashenko": the tagger ran the country into the name
        for j in range(min(end - 1, start + 4), start, -1):
            lead = [e for e in _lookup(doc, start, j, kb) if e.feature == "country"]
            if lead:
                add(Mention(start, j, lead))
                break
        return
    cands = _own_names(_lookup(doc, start, end, kb), surface)
    words = {t.lower_ for t in doc[start:end]}
    if cands and not (words & ORG_WORDS):
        best = _best_prior(cands, kb, st)
        strong = best.feature in ("country", "admin1", "region") or (
            label != "PERSON" and best.population >= st.t["min_pop_prominent"])
        located = _after_locative(doc, start) or _followed_by_place(doc, end, kb) or \
            _in_place_list(doc, start, taken) or _listed_before_place(doc, end)
        if label == "PERSON" and best.feature == "city":
            strong = located and best.population >= st.t["min_pop_located"]
        if strong or (located and best.population >= st.t["min_pop_located_name"]):
            add(Mention(start, end, cands, source="person" if label == "PERSON" and not located else "ner"))
            return
    if label in ("ORG", "PERSON") and _place_list(doc, kb, add, start, end, st):
        return
    if embedded and label == "ORG":
        _embedded(doc, start, end, kb, add, demonyms, st)


def _place_list(doc: Doc, kb: PlaceKB, add, start: int, end: int, st: PlaceSettings) -> bool:
    """A name the tagger ran over a list of places after a locative word ("fled toward Chicopee and
    Holyoke", "in Lititz, Ephrata and Manheim"): each is a place when each is a town's own name."""
    words = _text(doc, start, end)
    if not (" and " in words or "," in words or " or " in words) or not _after_locative(doc, start):
        return False
    parts, a = [], start
    for i in range(start, end + 1):
        if i == end or doc[i].lower_ in ("and", ",", "or"):
            if i > a:
                parts.append((a, i))
            a = i + 1
    found = []
    for a, b in parts:
        cands = _own_names(_lookup(doc, a, b, kb), _text(doc, a, b))
        if not cands or max(e.population for e in cands) < st.t["min_pop_located"] and \
                not any(e.feature in ("country", "admin1") for e in cands):
            return False
        found.append(Mention(a, b, cands))
    if len(found) < 2:
        return False
    for m in found:
        add(m)
    return True


def _untagged_demonyms(doc: Doc, kb: PlaceKB, found: _Found, texts: list[str], caps: list[bool],
                       ent_tokens: list[bool]) -> None:
    """Demonym adjectives the tagger did not mark NORP ("Syrian-backed", "Irish")."""
    taken = found.taken
    for i in range(len(texts)):
        if taken[i] or ent_tokens[i] or not caps[i]:
            continue
        for n in (2, 1):
            end = i + n
            if end > len(doc) or any(taken[k] for k in range(i, end)):
                continue
            if canon(" ".join(texts[i:end])) not in kb.demonyms:
                continue
            dem = _demonym_at(doc, i, end, kb)
            if dem is not None and _adjectival(doc, i, end) and doc[end - 1].tag_ in ("JJ", "NNP"):
                found.add(Mention(i, end, [dem], role="demonym", source="demonym"))
                break


def _abbreviations(kb: PlaceKB, found: _Found, texts: list[str]) -> None:
    """Abbreviations after a place or standalone: "Gainesville, Va.", "N.Y."."""
    taken = found.taken
    for i, x in enumerate(texts):
        hit = kb.abbreviations.get(x)
        if hit is None or taken[i]:
            continue
        entry, standalone = hit
        after_place = i >= 2 and texts[i - 1] in (",", "(") and taken[i - 2]  # "Walker County (Ga.)"
        if after_place or (standalone and "." in x or standalone and x.isupper() and len(x) > 2):
            found.add(Mention(i, i + 1, [entry], source="abbreviation"))


def _embedded(doc: Doc, start: int, end: int, kb: PlaceKB, add, demonyms: bool, st: PlaceSettings) -> None:
    """Place names inside an organisation's name: "Washington Post", "University of California"."""
    # a leading demonym or place name
    for j in range(min(end - 1, start + 4), start, -1):
        if j - start >= 2 and doc[j - 1].lower_ in ADMIN_WORDS and doc[j].lower_ == "of":
            continue  # "Florida Department of Transportation": Florida, not a division named "Florida Department"
        dem = _demonym_at(doc, start, j, kb)
        if dem is not None:
            if demonyms:
                add(Mention(start, j, [dem], role="demonym", source="demonym"))
            return
        # only prominent places: an organisation's name holds the big city ("Washington Post", "Aberdeen
        # Asset Management"), even in an article about a state with a town so named
        cands = [e for e in _no_small_aliases(_lookup(doc, start, j, kb), _text(doc, start, j), st.t["min_pop_alias"])
                 if _prominent(e, st.t["min_pop_prominent"])]
        if cands and all(_is_cap(t) for t in doc[start:j]) and not all(
                t.lower_ in AREA_MODIFIERS for t in doc[start:j]):
            add(Mention(start, j, cands, role="embedded"))
            return
    # "... of <Place>" at the end
    for k in range(end - 2, start, -1):
        if doc[k].lower_ == "of":
            s = k + 1
            if s < end and doc[s].lower_ == "the":
                s += 1
            cands = [e for e in _lookup(doc, s, end, kb) if _prominent(e, st.t["min_pop_embedded_of"])]
            if cands:
                add(Mention(s, end, cands, role="embedded"))
            return


# Long on purpose: one left-to-right longest-match scan with its position state (i, best_end) in
# locals.
def _scan(doc: Doc, toks: Doc | list[Token], caps: list[bool], state: DocState, kb: PlaceKB, taken: list[bool],
          ent_tokens: list[bool], add, st: PlaceSettings = DEFAULT_SETTINGS) -> None:
    """Gazetteer names in capitalised tokens that no entity covers."""
    located_pop, untagged_pop = st.t["min_pop_located"], st.t["min_pop_untagged"]
    n = len(doc)
    people = [False] * n
    for a in state.actors:
        if a.kind == "person" or a.kind == "organization":
            for i in range(a.start, a.end):
                people[i] = True
    i = 0
    while i < n:
        if taken[i] or ent_tokens[i] or people[i] or not caps[i]:
            i += 1
            continue
        tok = toks[i]
        if not _is_cap(tok) or tok.lower_ in NOT_PLACES or (
                i + 2 < n and toks[i + 1].text == "-" and caps[i + 2]) or (
                i >= 2 and toks[i - 1].text == "-" and caps[i - 2]):
            i += 1
            continue
        key = name_key(tok.text)
        if not key:
            i += 1
            continue
        best_end, best = None, None
        if kb.gaz.has_key(key) or tok.text in kb.gaz:
            best_end = i + 1
        j = i + 1
        cur = key
        while j < n and j - i < 6 and not taken[j] and not ent_tokens[j] and kb.gaz.has_prefix(cur):
            t = toks[j]
            if not (_is_cap(t) or t.lower_ in CONNECTORS):
                break
            cur = f"{cur} {name_key(t.text)}".strip()
            j += 1
            if _is_cap(t) and kb.gaz.has_key(cur):
                best_end = j
        if best_end is None:
            i += 1
            continue
        cands = _no_small_aliases(_lookup(doc, i, best_end, kb, dateline=_dateline(doc, i, best_end)),
                                  _text(doc, i, best_end), st.t["min_pop_alias"])
        best = _best_prior(cands, kb, st) if cands else None
        last = doc[best_end - 1]
        proper = all(t.tag_ in ("NNP", "NNPS") or t.lower_ in CONNECTORS for t in doc[i:best_end])
        sent_start = i == tok.sent.start or (i > 0 and doc[i - 1].text in ('"', "“", "(", "'"))
        ok = False
        if best is not None and last.lower_ not in NOT_PLACES:
            located = _after_locative(doc, i) or _followed_by_place(doc, best_end, kb) or \
                _in_place_list(doc, i, taken)
            if _dateline(doc, i, best_end):
                ok = best.population >= located_pop or best.feature != "city"
            elif not proper and not tok.is_upper:
                ok = False
            elif best.feature in ("country", "admin1"):
                ok = not sent_start or len(cands) == 1 or located
            elif best.feature in ("region", "other"):
                ok = best_end - i > 1 or located
            else:
                ok = (best.population >= untagged_pop and not sent_start) or (located and best.population >= located_pop)
        if ok:
            add(Mention(i, best_end, cands, source="scan"))
            i = best_end
        else:
            i += 1


def _link_containers(doc: Doc, mentions: list[Mention]) -> None:
    """"X, Y" / "X in Y" / "X (Y)": Y may contain X. "X, Y and Z" / "X or Y": listed together."""
    for k, (a, b) in enumerate(zip(mentions, mentions[1:], strict=False)):
        # only gaps of one or two words are tested below: longer ones are not made into Tokens
        gap = [t.lower_ for t in doc[a.end:b.start]] if b.start - a.end <= 2 else None
        if gap in ([","], ["in"], ["("], [",", "in"]) and b.role != "demonym":
            a.container = k + 1
        if gap in ([","], ["and"], ["or"], [",", "and"], [",", "or"]) and "demonym" not in (a.role, b.role):
            a.listed = [*(a.listed or []), k + 1]
            b.listed = [*(b.listed or []), k]


def _mark_roles(doc: Doc, state: DocState, mentions: list[Mention]) -> None:
    for m in mentions:
        if m.role != "literal":
            continue
        for a in state.actors:
            if a.start < m.end and m.start < a.end and a.kind == "country" and a.sector:
                m.role = "metonym"
                break
        # coordinated with admin1 names or followed by "state": the division, not its city
        nxt = doc[m.end] if m.end < len(doc) else None
        if nxt is not None and nxt.lower_ in ("state", "province") and not nxt.is_title:
            m.admin_hint = True
        # "the state of Washington", "the province of Ontario"
        if m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in DIVISION_NOUNS:
            m.admin_hint = True
