"""Step 2 of the actor stage: chunks, the units that form one actor phrase.

"Armenian Prime Minister Nikol Pashinyan", "Chile's Defense Ministry", "two Chinese
warplanes"; then phrases linked by "of" ("President of Belarus"), a title before a name
("the Chairman of China, Xi Jinping"), an apposition after one, locations and acronyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from ...kb._text import actor_key as canon
from .._lexicon import DEFINITE_DETERMINERS, DETERMINERS, HONORIFICS
from .units import Lookups, Unit, sent_of, sentence_initial
from .words import (
    BASED_WORDS,
    ENVOYS,
    FORMER,
    FROM_PREPS,
    INSTITUTION_HEADS,
    PREP_END,
    REGION_WORDS,
    SPEAKS_FOR,
    SPONSOR,
)


# -- 2. chunks -----------------------------------------------------------------------
@dataclass
class Chunk:
    """One actor phrase being assembled from units."""

    start: int
    end: int
    units: list[Unit]
    head: Unit | None = None
    titles: list[Unit] = field(default_factory=list)   # agent units before/around the head
    mods: list[Unit] = field(default_factory=list)     # country-giving modifiers, nearest last
    of: list[Chunk] = field(default_factory=list)      # "of"-complements
    locs: list[Chunk] = field(default_factory=list)    # "in Denmark", "at Oxford University"
    appos: Chunk | None = None     # this chunk is an apposition of that one
    described: Chunk | None = None  # the apposition that describes this chunk
    posting: bool = False  # "ambassador to Poland": the locs are where, not whose
    shared: Chunk | None = None  # "Hungarian [and Romanian officials]": the head this one shares
    modifier_only: bool = False  # a demonym before a non-actor noun: the country itself
    former: bool = False
    then: bool = False
    plural: bool = False
    definite: bool = False
    indefinite: bool = False
    quantified: bool = False
    gender: str = ""
    pronoun: str | None = None
    dead: bool = False


def _glue_ok(doc: Doc, a: int, b: int) -> bool:
    """Whether the tokens between two units keep them in one noun phrase."""
    if b - a > 3:
        return False
    for t in doc[a:b]:
        if t.tag_ == "POS":
            continue
        if t.text in ("-", "–") or t.lower_ in SPONSOR or t.lower_ in ("based", "born", "registered",
                                                                          "headquartered", "flagged"):
            continue
        if t.lower_ in FORMER or t.lower_ in ("then", "deputy", "acting", "interim", "chief", "top", "senior"):
            continue
        if t.is_lower and t.pos_ in ("ADJ", "NUM", "ADV") and t.dep_ not in ("ROOT", "conj", "acomp"):
            continue
        if t.is_lower and t.pos_ == "NOUN" and t.dep_ in ("compound", "amod", "nmod"):
            continue
        return False
    return True


def _can_follow(prev: Unit, u: Unit) -> bool:
    if prev.kind == "agent" and prev.ref.endswith(PREP_END):
        return False  # "ambassador to" + "Poland": a complement, not a modifier
    if prev.kind in ("person", "nperson"):
        # "Putin's spokesman", "the Bush administration"
        return u.kind == "agent" and (prev.possessive or u.ref in INSTITUTION_HEADS)
    if prev.kind == "agent" and u.kind in ("country", "adjective", "place", "metonym") and not u.possessive:
        return False  # "official sources Brazil": a new phrase
    if u.kind in ("person", "nperson") and prev.kind in ("org", "norg") and not prev.possessive:
        return False
    if prev.kind in ("country", "place", "metonym") and u.kind in ("country", "place") and not prev.possessive:
        return False
    return True


def build_chunks(doc: Doc, units: list[Unit], look: Lookups) -> list[Chunk]:
    chunks: list[Chunk] = []
    cur: Chunk | None = None
    for u in units:
        if u.kind == "honor":
            cur = Chunk(u.start, u.end, [u], gender=u.gender)
            chunks.append(cur)
            continue
        if cur is not None and cur.units and _can_follow(cur.units[-1], u) \
                and sent_of(doc, cur.end - 1) == sent_of(doc, u.start) \
                and (cur.end == u.start or _glue_ok(doc, cur.end, u.start)) \
                and not (cur.units[-1].kind == "honor" and u.kind not in ("person", "nperson", "norg")):
            cur.units.append(u)
            cur.end = u.end
            continue
        cur = Chunk(u.start, u.end, [u])
        chunks.append(cur)
    for c in chunks:
        _finish_chunk(doc, c, look)
    _link_of(doc, chunks, look)
    chunks = [c for c in chunks if not c.dead]
    _link_titles(doc, chunks)
    chunks = [c for c in chunks if not c.dead]
    _link_appositions(doc, chunks)
    _link_locations(doc, chunks)
    chunks = [c for c in chunks if not c.dead]
    _link_acronyms(doc, chunks)
    _link_coordinated(doc, chunks)
    return chunks


def _link_coordinated(doc: Doc, chunks: list[Chunk]) -> None:
    """"Hungarian and Romanian officials", "US and British forces": each demonym with the role."""
    for i in range(len(chunks) - 2, -1, -1):
        a, b = chunks[i], chunks[i + 1]
        if a.head is None or b.head is None or len(a.units) != 1 or a.head.kind not in ("adjective", "country"):
            continue
        if b.units[0].kind not in ("adjective", "country") or b.head.kind not in ("agent", "org", "norg"):
            if b.shared is None:
                continue
        gap = [t.lower_ for t in doc[a.end:b.start]]
        if gap not in (["and"], ["or"], [","], [",", "and"], [",", "or"]):
            continue
        a.shared = b.shared or b


def _initials(doc: Doc, u: Unit) -> str:
    return "".join(t.text[0].lower() for t in doc[u.start:u.end] if t.text[:1].isupper() and t.is_alpha)


def _link_acronyms(doc: Doc, chunks: list[Chunk]) -> None:
    """"National Elections Committee (CNE)": the acronym is defined here, whatever else it may mean."""
    defined: dict[str, Chunk] = {}
    for i, c in enumerate(chunks):
        h = c.head
        if h is None or h.end - h.start != 1 or not doc[h.start].is_upper or c.end != h.end:
            continue
        key = doc[h.start].text.replace(".", "")
        if key in defined:
            c.appos = defined[key]
            continue
        if i == 0 or h.start < 2 or doc[h.start - 1].text != "(" or c.end >= len(doc) or doc[c.end].text != ")":
            continue
        a = chunks[i - 1]
        if a.head is not None and a.end == h.start - 1 and a.head.kind in ("org", "norg") \
                and a.head.ref != c.head.ref:
            if a.head.kind == "norg" and c.head.kind == "org" and _initials(doc, a.head) == key.lower():
                # "International Labor Office (ILO)": the known acronym names the long form
                a.head = Unit(a.head.start, a.head.end, "org", c.head.entry, c.head.ref, entries=c.head.entries,
                              possessive=a.head.possessive, text=a.head.text)
            c.appos = a
            defined[key] = a


# Long on purpose: one right-to-left scan of a phrase's left edge; each branch is one kind of pre-
# modifier and moves the edge.
def _finish_chunk(doc: Doc, c: Chunk, look: Lookups) -> None:
    # honorific + name
    if c.units[0].kind == "honor":
        c.gender = c.units[0].gender
    heads = [u for u in c.units if u.kind not in ("honor",)]
    if not heads:
        c.dead = True
        return
    # The head is the last unit, unless that is a possessive ("Russia's" + noun).
    head = heads[-1]
    c.head = head
    for u in heads[:-1]:
        if u.kind == "agent":
            c.titles.append(u)
        elif u.kind in ("country", "adjective", "metonym", "place", "org", "norg", "person", "nperson", "ethnic"):
            c.mods.append(u)
    if head.kind == "agent":
        c.titles.append(head)
    # determiners and pre-modifiers to the left
    pos = c.start
    while pos > 0:
        t = doc[pos - 1]
        low = t.lower_
        if t.text in ("-", "–") and pos >= 2 and doc[pos - 2].lower_ in ("ex", "then"):
            pos -= 2
            if doc[pos].lower_ == "ex":
                c.former = True
            else:
                c.then = True
            continue
        if low in FORMER:
            c.former = True
            pos -= 1
            continue
        if low == "then":
            c.then = True
            pos -= 1
            continue
        if low in DETERMINERS and (t.pos_ in ("DET", "PRON") or t.dep_ in ("det", "poss", "predet")) \
                and t.head.i >= c.start:
            if low in DEFINITE_DETERMINERS:
                c.definite = True
            elif low in ("a", "an"):
                c.indefinite = True
            else:
                c.quantified = True
            pos -= 1
            break
        if t.like_num and t.dep_ == "nummod":
            c.quantified = True
            pos -= 1
            continue
        if ((t.is_lower and t.pos_ in ("ADJ", "ADV")) or (t.is_title and sentence_initial(doc, t.i) and (
                t.pos_ in ("ADJ", "ADV") or t.lower_ in look.common_adjs))) \
                and t.dep_ in ("amod", "advmod", "compound", "npadvmod") and t.head.i >= c.start:
            pos -= 1
            continue
        if t.lower_.rstrip(".") in HONORIFICS and t.text[:1].isupper():
            c.gender = HONORIFICS[t.lower_.rstrip(".")]
            pos -= 1
            continue
        break
    # "several of the largest trade unions"
    if pos >= 3 and doc[pos - 1].lower_ == "of" and doc[pos - 2].lower_ in ("several", "some", "many", "most",
                                                                            "members", "one", "two", "dozens"):
        pos -= 2
        c.quantified = True
    c.start = pos
    if any(doc[u.start].lower_ in FORMER for u in c.units):
        c.former = True
    last = doc[head.end - 1]
    c.plural = last.tag_ in ("NNS", "NNPS") or (head.kind == "adjective" and canon(last.text).endswith("s"))


# Long on purpose: one pass over the chunks; each branch is one "of"-construction, tried in order of
# priority.
def _link_of(doc: Doc, chunks: list[Chunk], look: Lookups) -> None:
    """"President of Belarus", "president of the Riigikogu", "Deputy Minister of Defense",
    "Ministry of Defence of Russia": the complement gives country or body."""
    by_unit_start = {c.units[0].start: c for c in chunks}
    name_starts = {c.units[0].start for c in chunks if c.head is not None and c.head.kind in ("person", "nperson")}
    for c in chunks:
        if c.dead or c.head is None:
            continue
        if c.head.kind in ("person", "nperson") and c.titles and c.end + 1 < len(doc) \
                and doc[c.end].lower_ == "of" and not c.head.possessive:
            # "King Hassan of Morocco", "Queen Elizabeth of Britain"
            nxt = by_unit_start.get(c.end + 1) or by_unit_start.get(c.end + 2)
            if nxt is not None and not nxt.dead and nxt.head is not None and nxt.head.kind in ("country", "place") \
                    and nxt.start <= c.end + 2:
                c.of.append(nxt)
                nxt.dead = True
                c.end = nxt.end
            continue
        if c.head.kind not in ("agent", "norg", "org"):
            continue
        if c.head.kind == "agent" and c.head.ref.endswith(PREP_END) and c.head.end == c.end:
            # "ambassador to" + "Poland": the country is the posting, not the actor's own;
            # "spokesman for" + "the UN": the body spoken for
            nxt = by_unit_start.get(c.end)
            if nxt is None and c.end < len(doc) and doc[c.end].lower_ in ("the", "a"):
                nxt = by_unit_start.get(c.end + 1)
            if nxt is not None and not nxt.dead and nxt.head is not None \
                    and nxt.head.kind not in ("person", "nperson", "agent"):
                if c.head.ref.endswith(" to"):
                    c.locs.append(nxt)
                    c.posting = True
                else:
                    c.of.append(nxt)
                nxt.dead = True
                c.end = nxt.end
            continue
        while c.end + 1 < len(doc) and doc[c.end].lower_ in ("of", "for", "to") \
                and not (c.head.possessive):
            prep = doc[c.end].lower_
            k = c.end + 1
            nxt = by_unit_start.get(k)
            while k < len(doc) and doc[k].lower_ in ("the", "a", "an"):
                k += 1
            nxt = nxt or by_unit_start.get(k)
            last = c.head.ref.rsplit(" ", 1)[-1] if c.head.kind == "agent" else ""
            if prep == "to":
                # "Ambassador to the United Nations": the posting, not the actor's own
                if nxt is not None and nxt.head is not None and nxt.head.kind not in ("person", "nperson") \
                        and last in ENVOYS:
                    c.locs.append(nxt)
                    nxt.dead = True
                    c.end = nxt.end
                    c.posting = True
                break
            if prep == "for":
                if last not in SPEAKS_FOR:
                    break
                if nxt is not None and not nxt.dead and nxt.head is not None \
                        and nxt.head.kind in ("org", "norg", "country", "metonym", "agent"):
                    c.of.append(nxt)   # "spokesman for the UN"
                    nxt.dead = True
                    c.end = nxt.end
                    continue
                if _title_words(doc, k, name_starts):  # "Minister for Foreign Affairs"
                    c.end = _title_words(doc, k, name_starts)
                    continue
                break
            if nxt is not None and not nxt.dead and nxt.head is not None \
                    and nxt.head.kind in ("person", "nperson") and nxt.mods and nxt.units[0] is nxt.mods[0] \
                    and not nxt.titles and prep == "of":
                # "President of Belarus Alexander Lukashenko": the parser's one phrase is two
                nxt = _split_before_head(doc, nxt, chunks, look)
            if nxt is not None and not nxt.dead and nxt.head is not None \
                    and nxt.head.kind not in ("person", "nperson", "honor"):
                c.of.append(nxt)
                nxt.dead = True
                c.end = nxt.end
                c.head.possessive = nxt.head.possessive
                continue
            end = _title_words(doc, k, name_starts)
            if end and c.head.kind == "agent":
                # "Minister of Foreign Affairs", "Ministry of Mines": part of the title
                inner = [x for x in chunks if not x.dead and k <= x.units[0].start < end]
                for x in inner:
                    x.dead = True
                    if x.head is not None and x.head.kind == "agent":
                        c.titles.insert(len(c.titles) - 1, x.head)
                c.end = end
                continue
            break


def _split_before_head(doc: Doc, c: Chunk, chunks: list[Chunk], look: Lookups) -> Chunk:
    """Cut the modifiers off a name phrase into a phrase of their own (returned)."""
    head = c.head
    mods = [u for u in c.units if u.end <= head.start]
    first = Chunk(c.start, mods[-1].end, mods)
    _finish_chunk(doc, first, look)
    first.start = c.start
    c.units = [u for u in c.units if u.start >= head.start]
    c.mods = []
    c.start = head.start
    chunks.insert(chunks.index(c), first)
    return first


def _title_words(doc: Doc, k: int, stops: set[int]) -> int:
    """End of a run of capitalised words after "of"/"for" ("Foreign Affairs", "Mines"),
    stopping before a name phrase ("Minister of Defense Colonel-General X")."""
    j = k
    while j < len(doc):
        t = doc[j]
        if j in stops:
            break
        if t.text[:1].isupper() and t.is_alpha and t.ent_type_ not in ("PERSON",) and t.pos_ != "VERB":
            j += 1
            continue
        if t.lower_ in ("and", "&") and j + 1 < len(doc) and doc[j + 1].text[:1].isupper() and j > k:
            j += 1
            continue
        break
    if j == k:
        return 0
    # never run into a person's name: stop before a PERSON entity
    return j


def _link_titles(doc: Doc, chunks: list[Chunk]) -> None:
    """A title phrase right before a name: "President of Belarus Alexander Lukashenko",
    "the Chairman of China, Xi Jinping", "Russia's foreign minister, Sergei Lavrov"."""
    for i in range(len(chunks) - 1):
        a, b = chunks[i], chunks[i + 1]
        if a.dead or b.dead or a.head is None or b.head is None:
            continue
        if a.head.kind != "agent" or b.head.kind not in ("person", "nperson"):
            continue
        if b.titles or (b.mods and any(m.kind in ("country", "adjective") for m in b.mods)):
            # b already has its own title ("Minister X"): join only when adjacent
            if a.end != b.start:
                continue
        gap = doc[a.end:b.start]
        if len(gap) == 0 or (len(gap) == 1 and gap[0].text == ","):
            if len(gap) == 1 and a.plural:
                continue
            b.titles = a.titles + b.titles
            b.mods = a.mods + b.mods
            b.of = a.of + b.of
            b.former = b.former or a.former
            b.then = b.then or a.then
            b.start = a.start
            b.definite = False
            b.gender = b.gender or a.gender
            a.dead = True


def _link_appositions(doc: Doc, chunks: list[Chunk]) -> None:
    """"Harry Tseng, Taiwan's deputy foreign minister," and "FSB, Russia's security service":
    the apposition describes the name before it."""
    for i in range(len(chunks) - 1):
        a, b = chunks[i], chunks[i + 1]
        if a.dead or b.dead or a.head is None or b.head is None:
            continue
        if a.head.kind not in ("person", "nperson", "org", "norg") or b.head.kind != "agent":
            continue
        if not (b.start == a.end + 1 and doc[a.end].text == ","):
            continue
        if a.head.kind in ("person", "nperson") and b.plural:
            continue
        after = doc[b.end] if b.end < len(doc) else None
        if after is not None and not (after.is_punct or after.pos_ in ("VERB", "AUX") or after.lower_ in ("and", "who")):
            continue
        b.appos = a
        a.described = b


def _link_locations(doc: Doc, chunks: list[Chunk]) -> None:
    """"trade unions in Denmark", "Muslim leaders in France", "protesters from Belarus",
    "professor ... at Oxford University": where a group or an unknown person is from."""
    by_unit_start = {c.units[0].start: c for c in chunks if not c.dead}
    for c in chunks:
        if c.dead or c.head is None or c.head.kind != "agent" or c.mods or c.appos is not None:
            continue
        if any(o.head is not None and o.head.kind in ("country", "adjective", "place", "metonym", "org", "norg")
               for o in c.of):
            continue
        j = c.end
        # skip a short complement: "professor of strategic studies at ..."
        if j < len(doc) and doc[j].lower_ == "of":
            k = j + 1
            while k < len(doc) and k - j <= 4 and doc[k].is_lower and doc[k].is_alpha:
                k += 1
            j = k
        # "a militant group based in Kashmir"
        if j + 1 < len(doc) and doc[j].lower_ in BASED_WORDS and doc[j + 1].lower_ in FROM_PREPS:
            j += 1
        if j < len(doc) and doc[j].lower_ in FROM_PREPS:
            k = j + 1
            # "in the north of", "throughout western Kenya", "from two American aid groups"
            while k < len(doc) and k not in by_unit_start and (
                    doc[k].lower_ in ("the", "a") or doc[k].lower_ in REGION_WORDS
                    or (doc[k].like_num and doc[k].is_lower)):
                k += 1
            nxt = by_unit_start.get(k)
            # "ministers from the Georgian government": a body of a named country, after from/of
            body = nxt is not None and nxt.head is not None and nxt.head.kind == "agent" and bool(nxt.mods) \
                and doc[j].lower_ in ("from", "of")
            if nxt is not None and not nxt.dead and nxt.head is not None and (body or nxt.head.kind in (
                    "country", "place", "metonym", "org", "norg")):
                c.locs.append(nxt)
                nxt.dead = True
                c.end = nxt.end
