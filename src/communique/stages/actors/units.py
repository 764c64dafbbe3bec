"""Step 1 of the actor stage: units, the smallest pieces of an actor phrase.

Longest-match lookup of knowledge-base phrases (people, organisations, countries,
demonyms, metonyms, role nouns) over the tokens, with case rules ("WHO" is not "who",
"turkey" is not Turkey); spaCy's entities add the names the knowledge base lacks, trimmed
of titles and countries the parser merged into them, and places from the gazetteer.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, IDX, IS_LOWER, IS_SPACE, IS_TITLE, LEMMA, LENGTH, LOWER, ORTH, POS, TAG
from spacy.language import Language
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token

from ...errors import ModelError
from ...kb._text import actor_key as canon
from ...kb.actors import (
    KIND_PRIORITY,
    ActorKB,
    Entry,
    acronym_ok,
)
from ...kb.gazetteer import Gazetteer, get_gazetteer
from .._lexicon import DETERMINERS, HONORIFICS
from .._state import doc_text
from .words import (
    AGENT_COMPOUND_HEADS,
    NOT_NAME_ENTS,
    NOT_PLACES,
    PERSON_VERBS,
    SPONSOR,
    SPONSOR_PREFIX,
)


@dataclass
class Unit:
    start: int
    end: int
    kind: str   # person org country adjective metonym agent nperson norg place honor
    entry: Entry | None = None
    ref: str = ""           # iso3 / org_id / person_id / agent key / metonym key
    country: str | None = None
    sector: str = ""
    entries: list[Entry] = field(default_factory=list)
    possessive: bool = False
    sponsor: str = ""       # "led" ("Kurdish-led": not an organisation's own country) | "pro" ("pro-Russian")
    gender: str = ""        # honorifics
    feature: str = ""       # places: country | admin1 | city | ...
    text: str = ""          # surface text (set for one-word names)


# distinct words kb_units remembers the keys of; past this the memo starts again (bounded memory)
WORD_KEYS_SIZE = 200_000


class Lookups:
    """What the stage consults besides the actor knowledge base, loaded once by the component:
    the gazetteer (is a capitalised word a place, and where) and the English common nouns and
    adjectives of spaCy's lemmatizer tables (to tell "Lunch was served" from a name)."""

    def __init__(self, gazetteer: Gazetteer, common_nouns: frozenset[str], common_adjs: frozenset[str],
                 min_population: int = 100_000, min_population_multiword: int = 50_000,
                 min_population_common_word: int = 1_000_000):
        self.gazetteer = gazetteer
        self.common_nouns = common_nouns
        self.common_adjs = common_adjs
        # how big a place an entity or a capitalised word must name to be taken for it: one
        # word, several words ("Kano State"), a common word ("Union", "Mines")
        self.min_population = min_population
        self.min_population_multiword = min_population_multiword
        self.min_population_common_word = min_population_common_word
        self._patterns = None
        self.word_keys: dict[int, str] = {}   # token ORTH id -> canon(its text), kb_units' memo
        self._prefixes: tuple[ActorKB, int, frozenset[str]] | None = None

    def prefixes(self, kb: ActorKB) -> frozenset[str]:
        """Every key of ``kb.phrases`` cut before each of its spaces ("united nations security"
        for "united nations security council"), built on first use for this knowledge base and
        again when its number of phrases changes (tables added)."""
        held = self._prefixes
        if held is None or held[0] is not kb or held[1] != len(kb.phrases):
            out = set()
            for key in kb.phrases:
                at = key.find(" ")
                while at > 0:
                    out.add(key[:at])
                    at = key.find(" ", at + 1)
            held = self._prefixes = (kb, len(kb.phrases), frozenset(out))
        return held[2]

    @property
    def forms(self) -> dict[str, str]:
        """Usual spelling of English words by case (``kb/data/casing.tsv.gz``)."""
        from .casing import load_forms

        return load_forms()

    def usually_lower(self, word: str) -> bool:
        """A word usually written in lower case: the lemmatizer's noun list also holds names
        ("orr", "seles"), the word-case table says which are mostly names."""
        return self.forms.get(word, word) == word

    @property
    def patterns(self):
        """The name patterns of ``kb/data/actor_patterns.tsv``, compiled on first use."""
        if self._patterns is None:
            from .patterns import NamePatterns  # patterns.py builds Units: imported late, no cycle

            self._patterns = NamePatterns.load()
        return self._patterns

    @classmethod
    def load(cls, nlp: Language, **populations: int) -> Lookups:
        try:
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            nouns = frozenset(w for w in table["noun"] if w.isalpha() and w.islower())
            adjs = frozenset(w for w in table["adj"] if w.isalpha() and w.islower())
        except (KeyError, ValueError, AttributeError) as err:
            raise ModelError(f"the lemmatizer has no lemma_index table ({err})", "spaCy pipeline",
                             "use an English pipeline with a rule lemmatizer (en_core_web_sm) and install "
                             "spacy-lookups-data") from err
        return cls(get_gazetteer(), nouns, adjs, **populations)

    def place(self, name: str) -> tuple[str, str, int] | None:
        """(country, feature, population) of the most prominent gazetteer entry for a name."""
        cands = [e for e in self.gazetteer.candidates(name) if e.country]
        if not cands:
            return None
        best = max(cands, key=lambda e: (e.population or 0) + (10**9 if e.feature == "country" else 0)
                   + (5 * 10**6 if e.feature == "admin1" else 0))
        return best.country, best.feature, best.population or 0


# -- 1. units ------------------------------------------------------------------------
def _has_capital(doc: Doc, start: int, end: int) -> bool:
    return any(t.text[:1].isupper() or (not t.is_alpha and not t.is_punct) for t in doc[start:end])


def _lower_demonym(doc: Doc, start: int, end: int) -> bool:
    """A lower-case demonym before a lower-case noun in otherwise cased text ("clashed with
    tunisian rioters"): feeds that lose one capital still say whose people they mean."""
    return end - start == 1 and end < len(doc) and doc[start].is_lower and doc[end].pos_ == "NOUN" \
        and doc[end].is_lower


def _usable(doc: Doc, start: int, end: int, entries: list[Entry]) -> list[Entry]:
    """Entries that the surface form allows: names need a capital, acronyms need capitals."""
    surface = None   # the span's text, joined only for an acronym entry
    capital = None
    out = []
    for e in entries:
        if e.kind == "agent":
            out.append(e)
            continue
        if capital is None:
            capital = _has_capital(doc, start, end)
        if not capital and not (e.kind == "adjective" and _lower_demonym(doc, start, end)):
            continue
        if e.acronym:
            if surface is None:
                surface = doc[start:end].text
            if not acronym_ok(surface):
                continue
        out.append(e)
    return out


# Long on purpose: the per-token hot loop over arrays; kept whole so the arrays stay local
# (it runs on every token of every article).
def kb_units(doc: Doc, kb: ActorKB, keys: dict[int, str] | None = None,
             prefixes: Container[str] | None = None) -> list[Unit]:
    """Longest knowledge-base matches, left to right, without overlap. ``keys``: a memo of the
    words' index keys (``canon`` of the text of each ORTH id) the caller keeps across documents
    (``Lookups.word_keys``); ``prefixes``: the word prefixes of ``kb.phrases``' keys
    (``Lookups.prefixes``), so that the search for a longer phrase stops at the first word no
    phrase continues with."""
    # token attributes from one array, not a Token object per word (this runs on every token)
    n = len(doc)
    if not n:
        return []
    strings = doc.vocab.strings
    arr = doc.to_array([ORTH, TAG, LEMMA, IS_SPACE])
    if keys is None:
        keys = {}
    elif len(keys) >= WORD_KEYS_SIZE:
        keys.clear()
    orths = arr[:, 0].tolist()
    get = keys.get
    words = [get(o) for o in orths]
    if None in words:   # canon runs a regex and a fold: once per distinct word
        for k, o in enumerate(orths):
            if words[k] is None:
                w = get(o)
                if w is None:
                    w = keys[o] = canon(strings[o])
                words[k] = w
    is_space = arr[:, 3].tolist()
    # plural nouns' lemmas, for role nouns in the plural ("foreign ministers", "officials")
    plurals: dict[int, str] = {}
    nns, nnps, nnp = strings["NNS"], strings["NNPS"], strings["NNP"]
    tags = arr[:, 1]
    for i in numpy.flatnonzero((tags == nns) | (tags == nnps) | (tags == nnp)).tolist():
        tag, text, lemma = int(tags[i]), strings[int(arr[i, 0])], strings[int(arr[i, 2])]
        if tag == nnp:
            if text.endswith("men") and len(text) > 5:
                # "Policemen detained ...": a plural the tagger takes for a name (only role nouns
                # are looked up under the singular). Not "-s" plurals: "Rangers beat Celtic" is a team.
                plurals[i] = canon(text[:-3] + "man")
            continue
        lower = text.lower()
        if not lemma:
            continue
        if lemma.lower() != lower:
            plurals[i] = canon(lemma)
        elif tag == nnps and lower.endswith("s") and len(text) > 3:
            plurals[i] = canon(text[:-1])
    phrases, max_words = kb.phrases, kb.max_words
    # The tokens a match can start at: a word whose first word starts some phrase and that is
    # itself a phrase or goes on into one (``prefixes``), or a plural (its lemma may). From any
    # other token the scan below finds nothing (its first step ends it), so only these are visited.
    opens = set()
    for w in set(words):
        if w and max_words.get(w.split(" ", 1)[0], 0) and (prefixes is None or w in phrases or w in prefixes):
            opens.add(w)
    starts = [i for i, w in enumerate(words) if w in opens]
    if plurals:
        starts = sorted(set(starts).union(i for i in plurals if words[i]))
    units: list[Unit] = []
    pos = 0   # the first token not inside a unit already found
    for i in starts:
        if i < pos:
            continue
        w = words[i]
        maxw = max_words.get(w.split(" ", 1)[0], 0)
        if i in plurals:
            maxw = max(maxw, max_words.get(plurals[i].split(" ", 1)[0], 0))
        best: tuple[int, list[Entry]] | None = None
        if maxw:
            key = ""   # " ".join of the words so far, grown one word at a time
            count = 0
            for j in range(i, min(n, i + maxw + 3)):
                wj = words[j]
                if not wj:
                    if is_space[j]:
                        break
                    continue
                count += wj.count(" ") + 1
                if count > maxw:
                    break
                before = key
                key = f"{key} {wj}" if key else wj
                entries = phrases.get(key)
                if entries:
                    ok = _usable(doc, i, j + 1, entries)
                    if ok:
                        best = (j + 1, ok)
                if j in plurals:
                    alt = phrases.get(f"{before} {plurals[j]}" if before else plurals[j])
                    if alt:
                        ok = [e for e in alt if e.kind == "agent"]
                        if ok and (best is None or best[0] <= j + 1):
                            best = (j + 1, ok)
                if prefixes is not None and key not in prefixes:
                    break   # no phrase goes on from these words: a longer key cannot match
        if best is not None:
            end, entries = best
            entry = min(entries, key=lambda e: (not e.overlay, -KIND_PRIORITY[e.kind]))
            u = Unit(i, end, entry.kind, entry, entry.ref, entries=entries)
            units.append(u)
            pos = end
    return units


def _filter_units(doc: Doc, units: list[Unit], kb: ActorKB) -> list[Unit]:
    covered = {i for u in units for i in range(u.start, u.end)}
    short = len(doc) <= 6
    lower_words: set[int] | None = None
    out = []
    for u in units:
        span = doc[u.start:u.end]
        head = span.root
        if u.kind != "agent" and any(t.ent_type_ == "MONEY" or "$" in t.text for t in span):
            continue  # "US$ 5 million"
        if u.kind == "agent":
            # A role noun used as a verb or modifier: "to police", "military cooperation"
            if head.pos_ not in ("NOUN", "PROPN") and not short:
                continue
            if head.dep_ in ("compound", "amod") and head.head.i >= u.end and head.head.pos_ == "NOUN" \
                    and head.head.i not in covered and head.head.lower_ not in AGENT_COMPOUND_HEADS:
                continue
        elif u.end - u.start == 1 and u.kind in ("org", "person") and not short \
                and doc[u.start].tag_ not in ("NNP", "NNPS") and sentence_initial(doc, u.start) \
                and not (u.entry is not None and u.entry.acronym):
            continue  # "Organization, discipline ...": a capital only because it starts the sentence
        if u.end - u.start == 1 and u.kind in ("org", "person") and not short and sentence_initial(doc, u.start) \
                and not (u.entry is not None and u.entry.acronym):
            if lower_words is None:  # orth ids of the lower-case tokens, from an array (no Token objects)
                arr = doc.to_array([IS_LOWER, ORTH])
                lower_words = set(arr[arr[:, 0] == 1, 1].tolist())
            if doc[u.start].lower in lower_words:
                continue  # the same word in lower case elsewhere: a common noun
        if u.kind in ("country", "adjective"):
            u.country = u.ref
        elif u.kind == "metonym":
            m = kb.metonyms.get(u.ref)
            u.country = m.country if m else None
            u.sector = m.sector if m else ""
        if u.end < len(doc) and doc[u.end].tag_ == "POS":
            u.possessive = True
        out.append(u)
    return out


def sent_of(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) of the sentence of token ``i``, from a table built once per document
    (``Token.sent`` walks the sentence on every call)."""
    table = doc.user_data.get("_actors_sents")
    if table is None or len(table) != len(doc):
        table = [(0, 0)] * len(doc)
        for sent in doc.sents:
            bounds = (sent.start, sent.end)
            for k in range(sent.start, sent.end):
                table[k] = bounds
        doc.user_data["_actors_sents"] = table
    return table[i]


def sentence_initial(doc: Doc, i: int) -> bool:
    j = i
    while j > 0 and (doc[j - 1].is_quote or doc[j - 1].text in ("(", "[", "-", "\u2014")):
        j -= 1
    return j == 0 or doc[j].is_sent_start or doc[j - 1].text in (".", "!", "?", ":", ";")


# Long on purpose: one pass over the entities; the branches by entity label share the trimming above
# them.
def ner_units(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    """Entities the knowledge base did not match: unknown people, organisations and places.

    An entity that swallowed a title or country ("Belarus Alexander Lukashenko",
    "President Tokayev") is trimmed to its name; one that is all knowledge-base
    units is left to them. A knowledge-base name inside a longer personal name
    ("Juan Carlos" in "Juan Carlos Jobet", "Jordan" in "Jordan Bardella") gives way
    to the longer name.
    """
    taken: dict[int, Unit] = {}
    for u in units:
        for i in range(u.start, u.end):
            taken[i] = u
    out: list[Unit] = []
    # (POS, character offset, length) of every token and the document text: the entity tests
    # and texts below read these instead of making a Token per word
    dt = doc_text(doc)
    cols = doc.to_array([POS, IDX, LENGTH]).tolist() if len(doc) else []
    for ent in doc.ents:
        label = ent.label_
        if label not in ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"):
            continue
        start, end = ent.start, ent.end
        while start < end and (doc[start].lower_ in DETERMINERS or doc[start].is_punct):
            start += 1
        if end > start and doc[end - 1].tag_ == "POS":
            end -= 1
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if start >= end:
            continue
        if label == "PERSON" and doc[end - 1].tag_ in ("NNS", "NNPS") and (end - 1) in taken:
            continue  # "Rakhine Buddhists": a people, not a person
        if label == "PERSON":
            _yield_to_longer_name(doc, start, end, units, taken)
        elif label == "ORG":
            _yield_to_longer_org(doc, start, end, units, taken)
        # Trim knowledge-base units at the edges: titles, countries, honorifics.
        while start < end and start in taken:
            start = taken[start].end
        while start < end and doc[start].lower_.rstrip(".") in HONORIFICS and label == "PERSON":
            start += 1
        while start < end and (doc[start].is_punct or doc[start].lower_ in DETERMINERS):
            start += 1
        while end > start and (end - 1) in taken and label == "PERSON":
            end = taken[end - 1].start
        if start >= end or any(i in taken for i in range(start, end)):
            if label in ("ORG",) and start < end:
                u = _inner_org(doc, start, end, taken, kb, look)
                if u is not None:
                    out.append(u)
            continue
        if not any(cols[i][0] == PROPN or dt[cols[i][1]].isupper() for i in range(start, end)):
            continue   # (a token's first character is the text's at its offset)
        text = dt[cols[start][1]:cols[end - 1][1] + cols[end - 1][2]]   # = doc[start:end].text
        if label == "PERSON":
            u = Unit(start, end, "nperson")
        elif label == "ORG":
            u = Unit(start, end, "norg")
            if end - start == 1 and start > 0 and _title_before(doc, start, taken):
                u.kind = "nperson"   # "Chief Minister Alyani" tagged ORG
            elif end - start == 1 and canon(text) in kb.famous_surnames and canon(text) not in kb.phrases:
                u.kind = "nperson"   # "Trump" tagged ORG
            else:
                place = look.place(text)
                if place is not None and (place[1] in ("country", "admin1") or place[2] >= (
                        look.min_population_multiword if end - start > 1 else look.min_population)):
                    u = Unit(start, end, "place", None, "", country=place[0], feature=place[1])
        elif label == "NORP":
            iso3 = _country_of_norp(text, kb)
            if iso3:
                u = Unit(start, end, "adjective", Entry("adjective", iso3), iso3, country=iso3)
            elif canon(text) in NOT_PLACES:
                continue
            elif canon(text) in kb.famous_surnames:
                u = Unit(start, end, "nperson")   # "Museveni" tagged NORP
            else:  # "Rakhine Buddhists": a region's people; "Kurds", "Hutu": a people
                place = look.place(text)
                if place is not None and (place[1] in ("admin1", "country") or place[2] >= look.min_population):
                    u = Unit(start, end, "place", None, "", country=place[0], feature=place[1])
                elif end - start <= 2 and all(t.text[:1].isupper() for t in doc[start:end]):
                    u = Unit(start, end, "ethnic")
                else:
                    continue
        else:
            place = look.place(text)
            if place is None:
                continue
            u = Unit(start, end, "place", None, "", country=place[0], feature=place[1])
        if end < len(doc) and doc[end].tag_ == "POS":
            u.possessive = True
        out.append(u)
        for i in range(u.start, u.end):
            taken[i] = u
    # Surnames of famous people that the tagger missed ("Museveni said"). Candidates come from
    # an array scan; a Token is made only for a title-case NNP.
    if not len(doc):
        return out
    strings = doc.vocab.strings
    nnp = strings["NNP"]
    arr = doc.to_array([TAG, IS_TITLE])
    for i in numpy.nonzero((arr[:, 0] == nnp) & (arr[:, 1] == 1))[0].tolist():
        t = doc[i]
        if t.i in taken or (t.ent_type_ in NOT_NAME_ENTS and t.ent_type_ != "NORP" and not (
                t.ent_type_ == "GPE" and look.place(t.text) is None)):   # "Erdogan" tagged GPE: no place
            continue
        key = canon(t.text)
        if key in kb.famous_surnames and key not in kb.phrases and not (
                t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "NNP" and (t.i + 1) not in taken):
            u = Unit(t.i, t.i + 1, "nperson", text=t.text)
            u.possessive = t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"
            out.append(u)
            taken[t.i] = u
    return out


def _yield_to_longer_org(doc: Doc, start: int, end: int, units: list[Unit], taken: dict[int, Unit]) -> None:
    """"Labor" in "International Labor Office", "Organization" in "Palestinian Liberation
    Organization": a one-word knowledge-base name inside a longer unknown one gives way."""
    for i in range(start, end):
        u = taken.get(i)
        if u is None or u.kind not in ("org", "person", "metonym") or u.end - u.start != 1 \
                or (u.entry is not None and u.entry.acronym):
            continue
        near = [k for k in (u.start - 1, u.end) if start <= k < end]
        if any(k not in taken and doc[k].text[:1].isupper() and doc[k].is_alpha for k in near):
            units.remove(u)
            taken.pop(i, None)


def _yield_to_longer_name(doc: Doc, start: int, end: int, units: list[Unit], taken: dict[int, Unit]) -> None:
    """Drop a knowledge-base unit that is only part of a longer personal name."""
    inside = []
    i = start
    while i < end:
        u = taken.get(i)
        if u is not None:
            inside.append(u)
            i = u.end
        else:
            i += 1
    free = [i for i in range(start, end) if i not in taken and doc[i].pos_ == "PROPN"]
    if not free:
        return
    for u in inside:
        if u.kind == "person" and u.end <= free[0] and free[-1] >= u.end:
            pass  # "Juan Carlos" + "Jobet"
        elif u.kind in ("country", "adjective", "metonym") and u.start == start and u.end <= free[0] \
                and not (start > 0 and (doc[start - 1].lower_ == "of" or (start - 1) in taken)):
            pass  # "Jordan Bardella"
        else:
            continue
        if any(x.kind in ("person",) and x is not u for x in inside):
            continue
        units.remove(u)
        for k in range(u.start, u.end):
            taken.pop(k, None)


def _title_before(doc: Doc, start: int, taken: dict[int, Unit]) -> bool:
    u = taken.get(start - 1)
    return u is not None and u.kind in ("agent", "honor")


def _inner_org(doc: Doc, start: int, end: int, taken: dict[int, Unit], kb: ActorKB, look: Lookups
               ) -> Unit | None:
    """An organisation name the knowledge base lacks but whose words it knows in part:
    "Ministry of Mines", "Madras High Court", "Shin Bet Security Service"."""
    inner = [taken[i] for i in range(start, end) if i in taken]
    if any(u.kind in ("person", "org") for u in inner):
        return None
    free = [t for t in doc[start:end] if t.i not in taken and t.text[:1].isupper() and t.is_alpha]
    if not free:
        return None
    agents = [u for u in inner if u.kind == "agent"]
    if not agents:
        return None
    # The name must end in (or be headed by) the role noun and contain a proper word.
    sector = kb.agents[agents[-1].ref].sector if agents[-1].ref in kb.agents else ""
    country = next((u.country for u in inner if u.kind in ("country", "adjective", "metonym", "place")
                    and u.country), None)
    if country is None:
        for t in free:
            place = look.place(t.text)
            # a capitalised common word ("Union of Teachers", "Ministry of Mines") is a place only
            # when the place is a big one ("Madras High Court")
            if place and (t.lower_ not in look.common_nouns or place[2] >= look.min_population_common_word):
                country = place[0]
                break
    u = Unit(start, end, "norg", None, "", country=country, sector=sector)
    if end < len(doc) and doc[end].tag_ == "POS":
        u.possessive = True
    return u


def _country_of_norp(text: str, kb: ActorKB) -> str | None:
    for e in kb.lookup(text):
        if e.kind in ("adjective", "country"):
            return e.ref
    key = canon(text)
    if key.endswith("s"):
        for e in kb.lookup(key[:-1]):
            if e.kind in ("adjective", "country"):
                return e.ref
    return None


def _name_token(t: Token) -> bool:
    return (t.tag_ in ("NNP", "NNPS") and (t.is_title or (t.is_upper and len(t) > 1)) and t.is_alpha
            and t.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY")
            and t.lower_.rstrip(".") not in HONORIFICS)


def _extend_names(doc: Doc, units: list[Unit]) -> list[Unit]:
    """Personal names the tagger cut short or split: "Juan Carlos" + "Jobet", "Kwasi" + "Kwarteng",
    "Jam Kamal" + "Khan Alyani" are one name each."""
    units.sort(key=lambda u: u.start)
    taken = {i for u in units for i in range(u.start, u.end)}
    for u in units:
        if u.kind not in ("nperson", "person"):
            continue
        sent_start, sent_end = sent_of(doc, u.start)
        j = u.end
        while j < sent_end and j not in taken and _name_token(doc[j]) and doc[j - 1].tag_ != "POS":
            j += 1
        i = u.start
        if u.kind == "nperson":
            while i > sent_start and (i - 1) not in taken and (_name_token(doc[i - 1]) or (
                    doc[i - 1].is_title and doc[i - 1].dep_ == "compound" and doc[i - 1].head.i >= u.start
                    and doc[i - 1].lower_.rstrip(".") not in HONORIFICS and doc[i - 1].is_alpha)) \
                    and not (i - 1 == sent_start and doc[i - 1].tag_ not in ("NNP", "NNPS", "PRP")):
                i -= 1
        if j > u.end or i < u.start:
            for k in range(i, j):
                taken.add(k)
            u.start, u.end = i, j
            if u.kind == "person":  # a longer name than the knowledge base's: someone else
                u.kind, u.entry, u.ref, u.entries = "nperson", None, "", []
            u.possessive = j < len(doc) and doc[j].tag_ == "POS"
    out: list[Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if prev is not None and u.kind == "nperson" and prev.kind == "nperson" and prev.end == u.start \
                and not prev.possessive:
            prev.end = u.end
            prev.possessive = u.possessive
            continue
        out.append(u)
    return out


def _common_word_name(doc: Doc, u: Unit, kb: ActorKB, look: Lookups) -> bool:
    """A one-word "name" that is a capitalised common noun at the start of a sentence."""
    if u.kind not in ("nperson", "norg") or u.end - u.start != 1 or len(doc) <= 3:
        return False
    t = doc[u.start]
    return sentence_initial(doc, u.start) and t.lower_ in look.common_nouns and canon(t.text) not in kb.surnames \
        and look.usually_lower(t.lower_)


def _place_modifiers(doc: Doc, units: list[Unit], look: Lookups) -> None:
    """A capitalised place name before a role noun that the tagger did not mark:
    "Rakhine Buddhists", "Kano State government"."""
    taken = {i for u in units for i in range(u.start, u.end)}
    for u in list(units):
        if u.kind != "agent" or u.start == 0:
            continue
        for width in (2, 1):
            i = u.start - width
            if i < 0 or any(k in taken for k in range(i, u.start)):
                continue
            span = doc[i:u.start]
            if not all(t.is_title and t.is_alpha for t in span):
                continue
            place = look.place(span.text)
            if place is not None and (place[1] in ("admin1", "country") or place[2] >= look.min_population):
                units.append(Unit(i, u.start, "place", None, "", country=place[0], feature=place[1],
                                  text=span.text))
                taken.update(range(i, u.start))
                break


def _longer_place_names(doc: Doc, units: list[Unit], look: Lookups) -> list[Unit]:
    """A country's name inside a longer place name is not the country acting: "Lake Chad", "the
    Taiwan Strait", "Gulf of Mexico" (a physical feature: no actor) and "Kuwait City" (the city: a
    place unit of that country over the whole name, as the places stage reports it)."""
    taken = {i for u in units for i in range(u.start, u.end)}
    n = len(doc)
    drop: set[int] = set()
    for u in units:
        if u.kind != "country":
            continue
        spans = []
        if u.start > 0 and (u.start - 1) not in taken and doc[u.start - 1].is_title and doc[u.start - 1].is_alpha:
            spans.append((u.start - 1, u.end))                       # "Lake Chad"
        if u.end < n and u.end not in taken and doc[u.end].is_title and doc[u.end].is_alpha:
            spans.append((u.start, u.end + 1))                       # "Taiwan Strait", "Kuwait City"
        if u.start > 1 and doc[u.start - 1].lower_ == "of" and (u.start - 2) not in taken \
                and doc[u.start - 2].is_title and doc[u.start - 2].is_alpha:
            spans.append((u.start - 2, u.end))                       # "Gulf of Mexico"
        for s, e in spans:
            cands = look.gazetteer.candidates(doc[s:e].text)
            # a physical feature; a division or region; a city of that country or a big one
            # ("Kuwait City", "Panama City"); not a small town abroad ("South Lebanon", Ohio)
            physical = [c for c in cands if not c.country and c.feature in ("other", "region")]
            owned = [c for c in cands if c.country and (c.feature in ("admin1", "region") or (
                c.feature == "city" and (c.country == u.country or c.population >= look.min_population)))]
            if not physical and not owned:
                continue
            drop.add(id(u))
            if owned:
                units.append(Unit(s, e, "place", None, "", country=owned[0].country, feature=owned[0].feature,
                                  text=doc[s:e].text))
                taken.update(range(s, e))
            break
    return [u for u in units if id(u) not in drop] if drop else units


def _untagged_speakers(doc: Doc, units: list[Unit], kb: ActorKB, look: Lookups) -> list[Unit]:
    """People named without a title whom the recogniser did not tag: a capitalised proper noun
    (one to three words) that is the subject of a verb only people do ("Hoddle said",
    "Farrakhan urged"), usually written with a capital, and no known place."""
    taken = {i for u in units for i in range(u.start, u.end)}
    out: list[Unit] = []
    if not len(doc):
        return out
    # only proper-noun subjects are looked at: Token objects for every word would cost more than the rule
    arr = doc.to_array([DEP, TAG])
    strings = doc.vocab.strings
    candidates = numpy.flatnonzero((arr[:, 0] == strings["nsubj"]) & (arr[:, 1] == strings["NNP"]))
    for i in candidates.tolist():
        t = doc[i]
        if t.i in taken or t.ent_type_ or not t.is_title or not t.is_alpha:
            continue
        # "Farrakhan organised the march and said ...": the verb or one coordinated with it
        if t.head.lemma_ not in PERSON_VERBS and not any(
                c.dep_ == "conj" and c.lemma_ in PERSON_VERBS for c in t.head.children):
            continue
        start = t.i
        while start > 0 and t.i - start < 2 and doc[start - 1].tag_ == "NNP" and doc[start - 1].is_title \
                and doc[start - 1].is_alpha and (start - 1) not in taken and not doc[start - 1].ent_type_:
            start -= 1
        words = doc[start:t.i + 1]
        if any(look.usually_lower(w.lower_) for w in words) or canon(words.text) in kb.phrases \
                or words.text.lower() in NOT_PLACES or look.place(words.text) is not None:
            continue
        u = Unit(start, t.i + 1, "nperson", text=words.text)
        u.possessive = t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"
        out.append(u)
        taken.update(range(start, t.i + 1))
    return out


def find_units(doc: Doc, kb: ActorKB, look: Lookups) -> list[Unit]:
    from .names import name_units  # names.py builds Units: imported late, no cycle
    from .patterns import acronym_units, pattern_units

    units = _filter_units(doc, kb_units(doc, kb, look.word_keys, look.prefixes(kb)), kb)
    # bodies, units, operations and ships by the shape of their names, before the entity
    # recogniser's guesses about the same words
    units = pattern_units(doc, units, kb, look.patterns)
    units += [u for u in ner_units(doc, units, kb, look) if not _common_word_name(doc, u, kb, look)]
    units += _untagged_speakers(doc, units, kb, look)
    # surnames repeated after the full name, "P. Simmons", teams in results lines
    units = name_units(doc, units, kb, look)
    units = _extend_names(doc, units)
    units = acronym_units(doc, units)
    # Honorifics before names: "Mr Putin", "Mrs. Merkel".
    starts = {u.start for u in units}
    strings = doc.vocab.strings
    honor_ids = {strings[h] for k in HONORIFICS for h in (k, k + ".")}
    lowers = doc.to_array(LOWER).tolist() if len(doc) else []
    for i in [i for i, low in enumerate(lowers) if low in honor_ids]:
        t = doc[i]
        key = t.lower_.rstrip(".")
        if key in HONORIFICS and t.text[:1].isupper() and t.i + 1 < len(doc) and t.i not in starts:
            nxt = doc[t.i + 1] if doc[t.i + 1].text != "." else (doc[t.i + 2] if t.i + 2 < len(doc) else None)
            if nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN" and (key != "m" or t.text == "M."):
                end = t.i + 2 if doc[t.i + 1].text == "." else t.i + 1
                units.append(Unit(t.i, end, "honor", gender=HONORIFICS[key]))
    _place_modifiers(doc, units, look)
    units = _longer_place_names(doc, units, look)
    units.sort(key=lambda u: u.start)
    # drop overlaps (the earlier unit wins)
    out: list[Unit] = []
    last_end = -1
    for u in units:
        if u.start >= last_end:
            out.append(u)
            last_end = u.end
    dt = doc_text(doc)
    spans = doc.to_array([IDX, LENGTH]).tolist() if out else []
    for u in out:
        u.text = dt[spans[u.start][0]:spans[u.end - 1][0] + spans[u.end - 1][1]]   # = doc[u.start:u.end].text
        if u.kind in ("country", "adjective", "metonym", "place"):
            _mark_sponsor(doc, u)
    return out


def _mark_sponsor(doc: Doc, u: Unit) -> None:
    if u.end + 1 < len(doc) and doc[u.end].text == "-" and doc[u.end + 1].lower_ in SPONSOR:
        u.sponsor = "led"
    elif u.end < len(doc) and doc[u.end].lower_.lstrip("-") in SPONSOR and doc[u.end].text.startswith("-"):
        u.sponsor = "led"
    if u.start >= 2 and doc[u.start - 1].text == "-" and doc[u.start - 2].lower_ in SPONSOR_PREFIX:
        u.sponsor = "pro"
    elif u.start >= 1 and doc[u.start - 1].lower_.rstrip("-") in SPONSOR_PREFIX and doc[u.start - 1].text.endswith("-"):
        u.sponsor = "pro"
