"""Actor stage: every actor mention, resolved to country, sector, role and knowledge-base id.

Steps, each a small function over token positions (no extra models):

1. ``find_units``: longest-match lookup of knowledge-base phrases (people, organisations,
   countries, demonyms, metonyms, role nouns) over the tokens, with case rules ("WHO" is
   not "who", "turkey" is not Turkey); spaCy's entities add the names the knowledge
   base lacks, trimmed of titles and countries the parser merged into them
   ("Belarus Alexander Lukashenko"), and places from the gazetteer.
2. ``build_chunks``: units that form one noun phrase ("Armenian Prime Minister Nikol
   Pashinyan", "Chile's Defense Ministry", "Minsk police", "two Chinese warplanes"),
   then the phrases linked by "of" ("President of Belarus", "president of the
   Riigikogu"), a title before a name ("the Chairman of China, Xi Jinping") and an
   apposition after one ("Harry Tseng, Taiwan's deputy foreign minister").
3. ``resolve``: the code of each phrase. A known person's or organisation's code comes
   from the knowledge base on the article date (a former president is ELI); titles,
   demonyms, possessives and "of"-phrases give the code of everyone else.
4. ``corefer``: repeated names and surnames, definite role phrases ("the Belarusian
   leader", "The President") and he/she point back to the mention they stand for
   (``refers_to``), with gender from the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy
from spacy.attrs import IS_LOWER, IS_SPACE, IS_TITLE, LEMMA, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token

from ..kb import get_actor_kb
from ..kb._text import actor_key as canon
from ..kb.actors import (
    KIND_PRIORITY,
    LEADER_ROLES,
    NON_STATE,
    ActorKB,
    Entry,
    Person,
    acronym_ok,
    code_person,
    other_office_fits,
)
from ._quotemarks import find_regions
from ._state import ActorMention, DocState, get_state

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
HONORIFICS = {"mr": "m", "mister": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f",
              "sir": "m", "dame": "f", "lord": "m", "lady": "f", "dr": "", "prof": "", "sheikh": "m",
              "sheik": "m", "mme": "f", "mlle": "f", "m": "m", "herr": "m", "frau": "f", "senor": "m",
              "senora": "f"}
# Words before a title that make it a past office ("former President", "ex-minister").
FORMER = {"former", "ex", "late", "ousted", "deposed", "onetime", "erstwhile", "retired"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my",
                "your", "some", "several", "many", "all", "both", "each", "every", "no", "any", "most", "few"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Modifier words joined by a hyphen that make a country a sponsor, not the actor's
# own country: "Kurdish-led", "Iranian-backed", "pro-Russian".
_SPONSOR = {"led", "backed", "funded", "supported", "sponsored", "allied", "aligned", "brokered", "armed",
            "trained", "controlled", "installed", "appointed", "imposed", "owned"}
_SPONSOR_PREFIX = {"pro", "anti", "non", "post", "pre", "trans", "inter", "pan"}
# Role nouns that name a person's or a body's position but no sector of their own:
# "Hamas leader", "Kremlin spokesman", "president of the Riigikogu" take the sector
# of what they lead or speak for.
GENERIC_HEADS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "delegation",
    "delegate", "member", "leader", "head", "chief", "staff", "side", "source", "aide", "adviser", "advisor",
    "chairman", "chairwoman", "chairperson", "chair", "director", "president", "vice president",
    "secretary general", "secretary", "commissioner", "speaker", "deputy", "deputy head", "deputy chairman",
    "press secretary", "deputy leader", "commander", "negotiator", "emissary", "personnel", "employee",
    "worker", "people", "figure", "cadre", "senior official", "top official", "spokesman for", "boss",
    "founder", "co founder", "general secretary", "director general", "executive", "chief executive",
    "administrator", "coordinator", "observer", "mission", "team", "body", "organization", "organisation",
    "group", "force", "forces", "unit", "agency", "office", "authority", "authorities",
    "officer", "agent", "operative", "servant", "analyst",
}
# Place prepositions: a capital after these is a place, not an actor.
_LOCATIVE = {"in", "at", "to", "from", "into", "near", "across", "through", "outside", "inside", "via",
             "around", "throughout", "within", "towards", "toward", "onto", "beyond", "between", "of", "for",
             "over", "under", "off", "along", "past"}
# A capital or seat after these prepositions still acts: "talks with Beijing", "sanctions against Moscow".
_AGENTIVE_PREPS = {"with", "against", "by", "on", "upon"}


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


# -- 1. units ------------------------------------------------------------------------
def _has_capital(doc: Doc, start: int, end: int) -> bool:
    return any(t.text[:1].isupper() or (not t.is_alpha and not t.is_punct) for t in doc[start:end])


def _usable(doc: Doc, start: int, end: int, entries: list[Entry]) -> list[Entry]:
    """Entries that the surface form allows: names need a capital, acronyms need capitals."""
    surface = doc[start:end].text
    capital = None
    out = []
    for e in entries:
        if e.kind == "agent":
            out.append(e)
            continue
        if capital is None:
            capital = _has_capital(doc, start, end)
        if not capital:
            continue
        if e.acronym and not acronym_ok(surface):
            continue
        out.append(e)
    return out


def kb_units(doc: Doc, kb: ActorKB) -> list[Unit]:
    """Longest knowledge-base matches, left to right, without overlap."""
    # token attributes from one array, not a Token object per word (this runs on every token)
    n = len(doc)
    if not n:
        return []
    strings = doc.vocab.strings
    arr = doc.to_array([ORTH, TAG, LEMMA, IS_SPACE])
    texts = [strings[h] for h in arr[:, 0].tolist()]
    words = [canon(t) for t in texts]
    is_space = arr[:, 3].tolist()
    # plural nouns' lemmas, for role nouns in the plural ("foreign ministers", "officials")
    plurals: dict[int, str] = {}
    nns, nnps = strings["NNS"], strings["NNPS"]
    for i, (tag, lem) in enumerate(zip(arr[:, 1].tolist(), arr[:, 2].tolist(), strict=True)):
        if tag != nns and tag != nnps:
            continue
        text, lemma = texts[i], strings[lem]
        lower = text.lower()
        if not lemma:
            continue
        if lemma.lower() != lower:
            plurals[i] = canon(lemma)
        elif tag == nnps and lower.endswith("s") and len(text) > 3:
            plurals[i] = canon(text[:-1])
    units: list[Unit] = []
    i = 0
    phrases, max_words = kb.phrases, kb.max_words
    while i < n:
        w = words[i]
        if not w:
            i += 1
            continue
        maxw = max_words.get(w.split(" ", 1)[0], 0)
        if i in plurals:
            maxw = max(maxw, max_words.get(plurals[i].split(" ", 1)[0], 0))
        best: tuple[int, list[Entry]] | None = None
        if maxw:
            key_parts: list[str] = []
            count = 0
            for j in range(i, min(n, i + maxw + 3)):
                wj = words[j]
                if not wj:
                    if is_space[j]:
                        break
                    continue
                key_parts.append(wj)
                count += wj.count(" ") + 1
                if count > maxw:
                    break
                entries = phrases.get(" ".join(key_parts))
                if entries:
                    ok = _usable(doc, i, j + 1, entries)
                    if ok:
                        best = (j + 1, ok)
                if j in plurals:
                    alt = phrases.get(" ".join(key_parts[:-1] + [plurals[j]]))
                    if alt:
                        ok = [e for e in alt if e.kind == "agent"]
                        if ok and (best is None or best[0] <= j + 1):
                            best = (j + 1, ok)
        if best is not None:
            end, entries = best
            entry = min(entries, key=lambda e: (not e.overlay, -KIND_PRIORITY[e.kind]))
            u = Unit(i, end, entry.kind, entry, entry.ref, entries=entries)
            units.append(u)
            i = end
        else:
            i += 1
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
                    and head.head.i not in covered and head.head.lower_ not in ("station", "post", "headquarters"):
                continue
        elif u.end - u.start == 1 and u.kind in ("org", "person") and not short \
                and doc[u.start].tag_ not in ("NNP", "NNPS") and _sentence_initial(doc, u.start) \
                and not (u.entry is not None and u.entry.acronym):
            continue  # "Organization, discipline ...": a capital only because it starts the sentence
        if u.end - u.start == 1 and u.kind in ("org", "person") and not short and _sentence_initial(doc, u.start) \
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


def _sent_of(doc: Doc, i: int) -> tuple[int, int]:
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


def _sentence_initial(doc: Doc, i: int) -> bool:
    j = i
    while j > 0 and (doc[j - 1].is_quote or doc[j - 1].text in ("(", "[", "-", "\u2014")):
        j -= 1
    return j == 0 or doc[j].is_sent_start or doc[j - 1].text in (".", "!", "?", ":", ";")


def ner_units(doc: Doc, units: list[Unit], kb: ActorKB) -> list[Unit]:
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
    for ent in doc.ents:
        label = ent.label_
        if label not in ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"):
            continue
        start, end = ent.start, ent.end
        while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
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
        while start < end and (doc[start].is_punct or doc[start].lower_ in _DETERMINERS):
            start += 1
        while end > start and (end - 1) in taken and label == "PERSON":
            end = taken[end - 1].start
        if start >= end or any(i in taken for i in range(start, end)):
            if label in ("ORG",) and start < end:
                u = _inner_org(doc, start, end, taken, kb)
                if u is not None:
                    out.append(u)
            continue
        if not any(t.pos_ == "PROPN" or t.text[:1].isupper() for t in doc[start:end]):
            continue
        text = doc[start:end].text
        if label == "PERSON":
            u = Unit(start, end, "nperson")
        elif label == "ORG":
            u = Unit(start, end, "norg")
            if end - start == 1 and start > 0 and _title_before(doc, start, taken):
                u.kind = "nperson"   # "Chief Minister Alyani" tagged ORG
            elif end - start == 1 and canon(text) in kb.famous_surnames and canon(text) not in kb.phrases:
                u.kind = "nperson"   # "Trump" tagged ORG
            else:
                place = _place(text)
                if place is not None and (place[1] in ("country", "admin1") or place[2] >= (
                        50_000 if end - start > 1 else 100_000)):
                    u = Unit(start, end, "place", None, "", country=place[0], feature=place[1])
        elif label == "NORP":
            iso3 = _country_of_norp(text, kb)
            if iso3:
                u = Unit(start, end, "adjective", Entry("adjective", iso3), iso3, country=iso3)
            elif canon(text) in _NOT_PLACES:
                continue
            elif canon(text) in kb.famous_surnames:
                u = Unit(start, end, "nperson")   # "Museveni" tagged NORP
            else:  # "Rakhine Buddhists": a region's people; "Kurds", "Hutu": a people
                place = _place(text)
                if place is not None and (place[1] in ("admin1", "country") or place[2] >= 100_000):
                    u = Unit(start, end, "place", None, "", country=place[0], feature=place[1])
                elif end - start <= 2 and all(t.text[:1].isupper() for t in doc[start:end]):
                    u = Unit(start, end, "ethnic")
                else:
                    continue
        else:
            place = _place(text)
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
        if t.i in taken or (t.ent_type_ in _NOT_NAME_ENTS and t.ent_type_ != "NORP"):
            continue
        key = canon(t.text)
        if key in kb.famous_surnames and key not in kb.phrases and not (
                t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "NNP" and (t.i + 1) not in taken):
            u = Unit(t.i, t.i + 1, "nperson", text=t.text)
            u.possessive = t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"
            out.append(u)
            taken[t.i] = u
    return out


_NOT_PLACES = {"western", "eastern", "northern", "southern", "central", "arab", "arabs", "african", "asian",
               "european", "latin", "islamic", "muslim", "muslims", "christian", "christians", "jewish", "jews",
               "catholic", "catholics", "sunni", "shia", "shiite", "democrat", "democrats", "republican",
               "republicans", "conservative", "conservatives", "liberal", "liberals", "communist", "communists",
               "socialist", "socialists", "nationalist", "nationalists", "hindu", "hindus", "buddhist",
               "buddhists", "orthodox", "protestant", "evangelical", "west", "east", "north", "south"}
_NOT_NAME_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "GPE", "LOC", "FAC",
                  "NORP", "EVENT", "LAW", "LANGUAGE", "PRODUCT", "WORK_OF_ART"}


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


def _inner_org(doc: Doc, start: int, end: int, taken: dict[int, Unit], kb: ActorKB) -> Unit | None:
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
            place = _place(t.text)
            # a capitalised common word ("Union of Teachers", "Ministry of Mines") is a place only
            # when the place is a big one ("Madras High Court")
            if place and (t.lower_ not in _COMMON_NOUNS or place[2] >= 1_000_000):
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


_GAZ = None


def _gazetteer():
    global _GAZ
    if _GAZ is None:
        from ..kb.gazetteer import get_gazetteer

        _GAZ = get_gazetteer()
    return _GAZ


def _place(name: str) -> tuple[str, str, int] | None:
    """(country, feature, population) of the most prominent gazetteer entry for a name."""
    try:
        cands = [e for e in _gazetteer().candidates(name) if e.country]
    except Exception:  # noqa: BLE001  (no gazetteer: places add nothing)
        return None
    if not cands:
        return None
    best = max(cands, key=lambda e: (e.population or 0) + (10**9 if e.feature == "country" else 0)
               + (5 * 10**6 if e.feature == "admin1" else 0))
    return best.country, best.feature, best.population or 0


def _place_country(name: str, kb: ActorKB) -> str | None:
    place = _place(name)
    return place[0] if place else None


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
        sent_start, sent_end = _sent_of(doc, u.start)
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


# English common nouns (the lemmatizer's WordNet index), to tell "Lunch was served" from a name.
_COMMON_NOUNS: frozenset[str] = frozenset()
_COMMON_ADJS: frozenset[str] = frozenset()


def _learn_common_nouns(nlp: Language) -> None:
    global _COMMON_NOUNS, _COMMON_ADJS
    if _COMMON_NOUNS:
        return
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        _COMMON_NOUNS = frozenset(w for w in table["noun"] if w.isalpha() and w.islower())
        _COMMON_ADJS = frozenset(w for w in table["adj"] if w.isalpha() and w.islower())
    except (KeyError, ValueError, AttributeError):
        _COMMON_NOUNS = frozenset({"_"})


def _common_word_name(doc: Doc, u: Unit, kb: ActorKB) -> bool:
    """A one-word "name" that is a capitalised common noun at the start of a sentence."""
    if u.kind not in ("nperson", "norg") or u.end - u.start != 1 or len(doc) <= 3:
        return False
    t = doc[u.start]
    return _sentence_initial(doc, u.start) and t.lower_ in _COMMON_NOUNS and canon(t.text) not in kb.surnames


def _place_modifiers(doc: Doc, units: list[Unit]) -> None:
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
            place = _place(span.text)
            if place is not None and (place[1] in ("admin1", "country") or place[2] >= 100_000):
                units.append(Unit(i, u.start, "place", None, "", country=place[0], feature=place[1],
                                  text=span.text))
                taken.update(range(i, u.start))
                break


def find_units(doc: Doc, kb: ActorKB) -> list[Unit]:
    units = _filter_units(doc, kb_units(doc, kb), kb)
    units += [u for u in ner_units(doc, units, kb) if not _common_word_name(doc, u, kb)]
    units = _extend_names(doc, units)
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
    _place_modifiers(doc, units)
    units.sort(key=lambda u: u.start)
    # drop overlaps (the earlier unit wins)
    out: list[Unit] = []
    last_end = -1
    for u in units:
        if u.start >= last_end:
            out.append(u)
            last_end = u.end
    for u in out:
        u.text = doc[u.start:u.end].text
        if u.kind in ("country", "adjective", "metonym", "place"):
            _mark_sponsor(doc, u)
    return out


def _mark_sponsor(doc: Doc, u: Unit) -> None:
    if u.end + 1 < len(doc) and doc[u.end].text == "-" and doc[u.end + 1].lower_ in _SPONSOR:
        u.sponsor = "led"
    elif u.end < len(doc) and doc[u.end].lower_.lstrip("-") in _SPONSOR and doc[u.end].text.startswith("-"):
        u.sponsor = "led"
    if u.start >= 2 and doc[u.start - 1].text == "-" and doc[u.start - 2].lower_ in _SPONSOR_PREFIX:
        u.sponsor = "pro"
    elif u.start >= 1 and doc[u.start - 1].lower_.rstrip("-") in _SPONSOR_PREFIX and doc[u.start - 1].text.endswith("-"):
        u.sponsor = "pro"


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
        if t.text in ("-", "–") or t.lower_ in _SPONSOR or t.lower_ in ("based", "born", "registered",
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


_PREP_END = (" to", " for", " of", " in", " at", " on", " with")


def _can_follow(prev: Unit, u: Unit) -> bool:
    if prev.kind == "agent" and prev.ref.endswith(_PREP_END):
        return False  # "ambassador to" + "Poland": a complement, not a modifier
    if prev.kind in ("person", "nperson"):
        # "Putin's spokesman", "the Bush administration"
        return u.kind == "agent" and (prev.possessive or u.ref in _INSTITUTION_HEADS)
    if prev.kind == "agent" and u.kind in ("country", "adjective", "place", "metonym") and not u.possessive:
        return False  # "official sources Brazil": a new phrase
    if u.kind in ("person", "nperson") and prev.kind in ("org", "norg") and not prev.possessive:
        return False
    if prev.kind in ("country", "place", "metonym") and u.kind in ("country", "place") and not prev.possessive:
        return False
    return True


def build_chunks(doc: Doc, units: list[Unit]) -> list[Chunk]:
    chunks: list[Chunk] = []
    cur: Chunk | None = None
    for u in units:
        if u.kind == "honor":
            cur = Chunk(u.start, u.end, [u], gender=u.gender)
            chunks.append(cur)
            continue
        if cur is not None and cur.units and _can_follow(cur.units[-1], u) \
                and _sent_of(doc, cur.end - 1) == _sent_of(doc, u.start) \
                and (cur.end == u.start or _glue_ok(doc, cur.end, u.start)) \
                and not (cur.units[-1].kind == "honor" and u.kind not in ("person", "nperson", "norg")):
            cur.units.append(u)
            cur.end = u.end
            continue
        cur = Chunk(u.start, u.end, [u])
        chunks.append(cur)
    for c in chunks:
        _finish_chunk(doc, c)
    _link_of(doc, chunks)
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


def _finish_chunk(doc: Doc, c: Chunk) -> None:
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
        if low in _DETERMINERS and (t.pos_ in ("DET", "PRON") or t.dep_ in ("det", "poss", "predet")) \
                and t.head.i >= c.start:
            if low in _DEFINITE:
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
        if ((t.is_lower and t.pos_ in ("ADJ", "ADV")) or (t.is_title and _sentence_initial(doc, t.i) and (
                t.pos_ in ("ADJ", "ADV") or t.lower_ in _COMMON_ADJS))) \
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


_ENVOYS = {"ambassador", "ambassadors", "envoy", "envoys", "delegation", "delegate", "delegates", "representative",
           "representatives", "mission", "emissary", "consul", "attache", "observer", "observers", "negotiator",
           "negotiators", "embassy", "consulate", "coordinator"}
_SPEAKS_FOR = {"spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "commissioner", "minister",
               "ministry", "secretary", "coordinator", "rapporteur", "director", "chief", "head", "adviser",
               "advisor", "secretariat", "council", "committee", "commission"}


def _link_of(doc: Doc, chunks: list[Chunk]) -> None:
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
        if c.head.kind == "agent" and c.head.ref.endswith(_PREP_END) and c.head.end == c.end:
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
                        and last in _ENVOYS:
                    c.locs.append(nxt)
                    nxt.dead = True
                    c.end = nxt.end
                    c.posting = True
                break
            if prep == "for":
                if last not in _SPEAKS_FOR:
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
                nxt = _split_before_head(doc, nxt, chunks)
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


def _split_before_head(doc: Doc, c: Chunk, chunks: list[Chunk]) -> Chunk:
    """Cut the modifiers off a name phrase into a phrase of their own (returned)."""
    head = c.head
    mods = [u for u in c.units if u.end <= head.start]
    first = Chunk(c.start, mods[-1].end, mods)
    _finish_chunk(doc, first)
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
        if j < len(doc) and doc[j].lower_ in ("in", "from", "across", "at", "of"):
            k = j + 1
            while k < len(doc) and doc[k].lower_ in ("the", "a"):
                k += 1
            nxt = by_unit_start.get(k)
            if nxt is not None and not nxt.dead and nxt.head is not None and nxt.head.kind in (
                    "country", "place", "metonym", "org", "norg"):
                c.locs.append(nxt)
                nxt.dead = True
                c.end = nxt.end


# -- 3. resolution -------------------------------------------------------------------
def _agent(kb: ActorKB, u: Unit):
    return kb.agents.get(u.ref) if u.kind == "agent" else None


# Titles as the agents table spells them -> the people tables' role vocabulary.
ROLE_SYNONYMS = {
    "Foreign Secretary": "Foreign Minister", "Secretary of State": "Foreign Minister",
    "Defence Secretary": "Defence Minister", "Defense Secretary": "Defence Minister",
    "Defense Minister": "Defence Minister", "Home Secretary": "Interior Minister",
    "Chancellor of the Exchequer": "Finance Minister", "Finance Secretary": "Finance Minister",
    "Premier": "Prime Minister", "PM": "Prime Minister", "Emir": "Monarch", "King": "Monarch",
    "Queen": "Monarch", "Sultan": "Monarch",
}


def _title_sector(kb: ActorKB, titles: list[Unit]) -> tuple[str | None, str | None, bool]:
    """Sector and role a row of titles gives: the head title's, unless it is generic
    ("Muslim leaders", "opposition leader", "police chief") and a modifier title has one."""
    if not titles:
        return None, None, False
    agents = [a for a in (_agent(kb, u) for u in titles) if a is not None]
    if not agents:
        return None, None, False
    head = agents[-1]
    role = next((a.role for a in reversed(agents) if a.role), None)
    role = ROLE_SYNONYMS.get(role, role) if role else None
    generic = head.phrase in GENERIC_HEADS or not head.sector
    sector = head.sector or None
    if generic:
        for a in reversed(agents[:-1]):
            if a.sector and a.phrase not in GENERIC_HEADS:
                sector = a.sector
                generic = False
                break
    # A civil office outranks a military rank: "Deputy Minister of Defense Colonel-General X"
    offices = [a for a in agents if a.role and a.sector == "GOV"]
    if offices and sector == "MIL" and any(not a.role for a in agents if a.sector == "MIL"):
        sector = "GOV"
    return sector, role or None, generic


def _country_of_unit(kb: ActorKB, u: Unit, day: str | None, led_ok: bool = False) -> str | None:
    """The country a modifier unit gives; "Kurdish-led" only counts for a role noun
    ("Vietnamese-led forces"), never "pro-Russian"."""
    if u.sponsor == "pro" or (u.sponsor == "led" and not led_ok):
        return None
    if u.kind in ("country", "adjective", "place", "metonym"):
        return u.country
    if u.kind == "org":
        code = kb.org_code(u.ref, day)
        return code.country if code else None
    if u.kind == "norg":
        return u.country
    if u.kind == "nperson" and u.end - u.start == 1 and u.text:
        # "the Bush administration": a famous surname
        return kb.surname_country(canon(u.text), day)
    if u.kind == "person":
        p = kb.people.get(u.ref)
        if p is not None:
            t, _ = p.status_on(day)
            return t.country if t else None
    return None


def _org_sector(kb: ActorKB, u: Unit, day: str) -> str | None:
    if u.kind == "org":
        code = kb.org_code(u.ref, day)
        return (code.sector or None) if code else None
    if u.kind == "norg":
        return u.sector or None
    if u.kind == "metonym":
        return u.sector or None
    return None


def resolve(doc: Doc, c: Chunk, kb: ActorKB, day: str | None) -> ActorMention | None:
    span = doc[c.start:c.end]
    head = c.head
    d = c.described
    if d is not None:
        # "Harry Tseng, Taiwan's deputy foreign minister": the apposition's title and country
        c = Chunk(c.start, c.end, c.units, head, c.titles or d.titles, c.mods or d.mods, c.of or d.of,
                  c.locs or d.locs, former=c.former or d.former, then=c.then, plural=c.plural,
                  definite=c.definite, indefinite=c.indefinite, quantified=c.quantified, gender=c.gender)
    if c.shared is not None and c.shared.head is not None:
        # "Hungarian and Romanian officials": "Hungarian" shares the role noun
        sh = c.shared
        c = Chunk(c.start, c.end, c.units, sh.head, list(sh.titles), [head], [], [], former=c.former,
                  plural=True, definite=c.definite, quantified=c.quantified)
        head = sh.head
    m = ActorMention(start=c.start, end=c.end, char_start=span.start_char, char_end=span.end_char,
                     text=span.text, name=span.text, head=span.root.i, gender=c.gender)
    if c.modifier_only:
        # only the demonym: "an Indian proposal" -> "Indian"
        hs = doc[head.start:head.end]
        m.start, m.end, m.char_start, m.char_end, m.text = head.start, head.end, hs.start_char, hs.end_char, hs.text
        m.head = hs.root.i
        m.kind, m.country = "country", head.country
        m.name = kb.countries[head.country].name if head.country in kb.countries else m.text
        m.code = _code(m.country, None)
        m.confidence = 0.7
        return m
    # country from modifiers (nearest first), of-complements, locations
    mod_country = None
    for u in reversed(c.mods):
        mod_country = _country_of_unit(kb, u, day, led_ok=head.kind == "agent")
        if mod_country:
            break
    of_country = of_sector = None
    for o in c.of:
        if o.head is None:
            continue
        of_country = of_country or _country_of_unit(kb, o.head, day) or next(
            (x for x in (_country_of_unit(kb, u, day) for u in reversed(o.mods)) if x), None)
        if of_sector is None and o.head.kind in ("org", "norg", "metonym"):
            of_sector = _org_sector(kb, o.head, day)
        elif of_sector is None and o.head.kind == "agent":
            a = _agent(kb, o.head)
            of_sector = a.sector if a and a.phrase not in GENERIC_HEADS else None
    loc_country = None
    for o in c.locs if not c.posting else ():
        if o.head is not None and o.head.kind != "agent":
            loc_country = loc_country or _country_of_unit(kb, o.head, day)
    title_sector, title_role, generic = _title_sector(kb, c.titles)
    # org/metonym modifiers before a generic role noun: "Kremlin spokesman", "CIA official"
    mod_org = next((u for u in reversed(c.mods) if u.kind in ("org", "norg", "metonym")), None)
    if of_sector and (generic or title_sector is None):
        title_sector, generic = of_sector, False
    m.role = title_role

    if head.kind in ("person", "nperson"):
        m.kind = "person"
        m.name = doc[head.start:head.end].text
        person = kb.choose_person(head.entries, day) if head.kind == "person" else None
        if person is not None:
            _apply_person(m, person, day, c, title_sector, mod_country or of_country)
        else:
            m.country = mod_country or of_country or loc_country
            if mod_org is not None and title_sector is None:
                title_sector = _org_sector(kb, mod_org, day)
            m.sector = "ELI" if c.former else title_sector
            m.confidence = 0.7 if (m.country or m.sector) else 0.4
            m.gender = m.gender or kb.gender_of_name(m.name)
    elif head.kind in ("org", "norg"):
        m.kind = "organization"
        m.name = doc[head.start:head.end].text
        if head.kind == "org":
            code = kb.org_code(head.ref, day)
            if code is not None:
                m.name, m.kb_id = code.name, code.org_id
                m.country, m.sector = code.country or None, code.sector or None
                if mod_country and mod_country != m.country and (m.country not in NON_STATE or (
                        m.country == "NGO" and c.mods and c.mods[-1].kind == "adjective")):
                    # "the Saudi National Guard", "Chile's Defense Ministry", "the British Red Cross"
                    m.country = mod_country
                    m.name = doc[head.start:head.end].text
                elif of_country and of_country != m.country and m.country not in NON_STATE \
                        and not any(o.head is not None and o.head.kind in ("org", "norg") for o in c.of):
                    m.country = of_country  # "the Liberal Party of Kenya"
                elif not m.country:
                    m.country = mod_country or of_country
            m.confidence = 0.9
        else:
            m.country = head.country or mod_country or of_country or loc_country
            m.sector = head.sector or title_sector or None
            m.confidence = 0.6
        if c.former:
            m.sector = "ELI"
    elif head.kind == "agent":
        agent = _agent(kb, head)
        country = mod_country or of_country
        sector = title_sector
        if mod_org is not None:
            org_sector = _org_sector(kb, mod_org, day)
            if generic or sector is None:
                sector = org_sector or sector
            elif org_sector in ("REB", "PRM", "UAF", "CRM", "OPP", "SEP", "INS", "RAD"):
                sector = org_sector
            if mod_org.kind == "org" and not country:
                country = _country_of_unit(kb, mod_org, day)
        m.country = country or loc_country
        m.sector = sector
        m.kind = _agent_kind(doc, c, agent)
        if c.former:
            m.sector = "ELI"
        m.confidence = 0.8 if m.country else 0.6
    elif head.kind == "metonym":
        mt = kb.metonyms.get(head.ref)
        m.kind = "country"
        m.country = head.country
        m.sector = head.sector or None
        m.name = mt.phrase if mt else m.text
        if m.country in kb.countries and (mt is None or mt.kind == "capital"):
            m.name = kb.countries[m.country].name
        m.confidence = 0.8
    elif head.kind == "country":
        m.kind = "country"
        m.country = head.country
        m.name = kb.countries[m.country].name if m.country in kb.countries else m.text
        m.confidence = 0.9
    elif head.kind in ("adjective", "ethnic"):
        # a demonym as a noun: "Palestinians", "ordinary Kazakhs", "Two Russians"; the
        # first of two is the country: "Bosnian Serbs", "Iraqi Kurds"
        m.kind = "group"
        m.country = mod_country or head.country
        m.sector = "CVL" if (c.quantified or c.indefinite or _has_adj_before(doc, c)) else None
        m.name = m.text
        m.confidence = 0.7
    elif head.kind == "place":
        m.country = head.country
        if head.feature in ("country", "admin1"):
            m.kind = "country"   # "Bosnia", "Scotland"
        else:
            m.kind = "group"     # a town's people: "Mariupol", "Sydney"
            m.sector = "CVL"
        m.confidence = 0.5
    else:
        return None
    m.code = _code(m.country, m.sector)
    return m


def _has_adj_before(doc: Doc, c: Chunk) -> bool:
    return any(t.lower_ not in _DETERMINERS and t.is_alpha for t in doc[c.start:c.head.start])


# Role nouns a leader's name can modify: "the Bush administration", "the Putin regime".
_INSTITUTION_HEADS = {"administration", "government", "regime", "cabinet", "team", "campaign", "camp",
                      "presidency", "junta", "coalition", "loyalists", "supporters", "allies", "aides"}
# Role nouns for bodies and collectives rather than one person.
_INSTITUTIONS = {"government", "ministry", "parliament", "legislature", "court", "agency", "council",
                 "committee", "commission", "cabinet", "administration", "regime", "junta", "party",
                 "office", "bureau", "department", "service", "company", "firm", "bank", "university",
                 "college", "school", "union", "organization", "organisation", "association", "alliance",
                 "coalition", "movement", "front", "army", "navy", "station", "embassy", "consulate",
                 "assembly", "senate", "congress", "presidency", "leadership", "board", "network",
                 "newspaper", "channel", "broadcaster", "church", "mosque", "hospital", "airline",
                 "guard", "police", "military", "ambulance", "authority", "authorities", "media", "press"}
_COLLECTIVES = {"side", "forces", "force", "troops", "public", "opposition", "people", "community",
                "population", "crowd", "mob", "family", "youth", "staff", "personnel", "delegation", "team",
                "group", "militia", "gang", "syndicate", "cartel", "clan", "tribe", "faction", "establishment",
                "elite", "diaspora", "electorate", "residents", "civilians"}
_COLLECTIVE_SUFFIXES = ("ment", "ry", "ity", "tion", "sion", "cy", "ship", "ure", "ism", "hood", "dom")


def agent_kind(phrase: str, role: str = "", declared: str = "") -> str:
    """person | group | organization for a role noun: "leader" is one person, "police" a group."""
    if declared in ("person", "group", "organization"):
        return declared
    last = phrase.rsplit(" ", 1)[-1]
    if role:
        return "person"
    if last in _INSTITUTIONS:
        return "organization"
    if last in _COLLECTIVES:
        return "group"
    if last.endswith(_COLLECTIVE_SUFFIXES) and last not in ("secretary", "emissary", "dignitary", "missionary",
                                                            "mercenary", "revolutionary", "visionary",
                                                            "functionary", "adversary", "notary",
                                                            "plenipotentiary", "commissary"):
        return "group"
    return "person"


def _agent_kind(doc: Doc, c: Chunk, agent) -> str:
    if agent is None:
        return "group"
    kind = agent_kind(agent.phrase, agent.role, agent.kind)
    if kind == "person" and c.plural:
        return "group"
    return kind


def _apply_person(m: ActorMention, person: Person, day: str, c: Chunk | None = None,
                  title_sector: str | None = None, text_country: str | None = None) -> None:
    m.kb_id = person.id
    m.name = person.name
    m.gender = person.gender or m.gender
    # The code's rules (time, "former", the text's title) live in the knowledge base (issue 16).
    pc = code_person(person, day, title_sector=title_sector, title_role=m.role, text_country=text_country,
                     former=bool(c is not None and c.former), then=bool(c is not None and c.then))
    m.country, m.sector, m.confidence = pc.country, pc.sector, pc.confidence
    m.role = pc.role


def _code(country: str | None, sector: str | None) -> str:
    return f"{country or ''}{sector or ''}"


# -- metonyms and places as actors ---------------------------------------------------
def _n_words(doc: Doc) -> int:
    """Tokens that are not punctuation (only short texts are counted in full)."""
    n = 0
    for t in doc:
        if not t.is_punct:
            n += 1
            if n > 8:
                break
    return n


def _agentive(doc: Doc, u: Unit, seat: bool) -> bool:
    """A capital or a seat of power stands for its government when it acts or is acted on,
    not when it is where something happens ("met in Minsk", "at the White House")."""
    head = doc[u.start:u.end].root
    dep = head.dep_
    if len(doc) <= 3 or dep == "ROOT" and head.i == u.start and _n_words(doc) <= u.end - u.start:
        return True
    if dep in _SUBJECT_DEPS:
        return True
    if dep == "conj":
        h = head.head
        while h.dep_ == "conj":
            h = h.head
        if h.dep_ in _SUBJECT_DEPS:
            return True
        dep, head = h.dep_, h
    if dep == "pobj":
        prep = head.head.lower_
        if prep == "by" or prep in _AGENTIVE_PREPS:
            return True
        if prep in _LOCATIVE:
            return False
    if dep in ("dobj", "dative"):
        return True  # "accused Vilnius", "shelled Kabul": the country is the target
    if u.possessive:
        return True
    if dep in ("appos",):
        return False
    return seat and dep not in ("compound", "amod", "nmod", "npadvmod")


# -- 4. coreference ------------------------------------------------------------------
def _link_person(m: ActorMention, person: Person, day: str, c: Chunk, confidence: float, i: int,
                 first_by_kb: dict[str, int]) -> None:
    """Code mention ``i`` as a known person found from a partial name (at most ``confidence``) and
    point it at the first mention of that person, or make it the first."""
    _apply_person(m, person, day, c, m.sector)
    m.confidence = min(m.confidence, confidence)
    m.code = _code(m.country, m.sector)
    if person.id in first_by_kb:
        m.refers_to = first_by_kb[person.id]
    else:
        first_by_kb[person.id] = i


def corefer(doc: Doc, mentions: list[ActorMention], chunks: list[Chunk], kb: ActorKB, day: str) -> None:
    first_by_kb: dict[str, int] = {}
    first_by_name: dict[str, int] = {}
    chunk_of = {id(m): c for m, c in zip(mentions, chunks, strict=True)}
    index_of_chunk = {id(c): i for i, c in enumerate(chunks)}
    for i, m in enumerate(mentions):
        c = chunk_of[id(m)]
        if c.appos is not None and id(c.appos) in index_of_chunk:
            j = index_of_chunk[id(c.appos)]
            if j < i:
                m.refers_to = mentions[j].refers_to if mentions[j].refers_to is not None else j
                continue
        if m.kb_id is not None and m.kind != "country":
            if m.kb_id in first_by_kb and not c.former:
                m.refers_to = first_by_kb[m.kb_id]
            else:
                first_by_kb.setdefault(m.kb_id, i)
            continue
        if c.pronoun is not None:
            m.refers_to = _antecedent_for_pronoun(doc, mentions, i)
            if m.refers_to is not None:
                m.confidence = 0.7
            continue
        if m.kind == "person" and m.kb_id is None and c.head is not None and c.head.kind == "nperson":
            key = canon(m.name)
            if key in first_by_name:
                m.refers_to = first_by_name[key]
                continue
            words = key.split(" ")
            # A surname (or a shorter form) of someone named earlier in the article
            ant = None
            for j in range(i - 1, -1, -1):
                prev = mentions[j]
                ref = prev.resolved(mentions)
                if ref.kind != "person" or prev.refers_to is not None:
                    continue
                for pname in {ref.name, _strip_title(doc, prev)}:
                    pwords = canon(pname).split(" ")
                    if len(pwords) > len(words) and (pwords[-len(words):] == words or pwords[:len(words)] == words
                                                     and len(words) == 1 and ref.country in _FAMILY_FIRST):
                        ant = j
                        break
                if ant is not None:
                    break
            if ant is not None:
                m.refers_to = ant
                continue
            if len(words) == 1 or (len(words) == 2 and words[0] in _PARTICLES):
                # A famous surname, alone or after a title: "Putin", "President Obama"
                person = kb.resolve_surname(words[-1], day)
                if person is not None and _fits(person, m, day):
                    _link_person(m, person, day, c, 0.75, i, first_by_kb)
                    continue
                if person is None and m.country is None:
                    m.country = kb.surname_country(words[-1], day)
                    m.code = _code(m.country, m.sector)
            if m.kb_id is None and c.titles and (m.role or m.sector):
                # "President Reagan", "President Francois Mitterand" (sic)
                person = kb.resolve_titled([w for w in words if w not in _PARTICLES], day, m.role, m.sector)
                if person is not None and _fits(person, m, day):
                    _link_person(m, person, day, c, 0.7, i, first_by_kb)
                    continue
            first_by_name.setdefault(key, i)
            continue
        if m.kind == "person" and m.kb_id is None and c.head is not None and c.head.kind == "agent" \
                and c.definite and not c.plural and not c.former and (
                    m.role or c.head.ref in LEADER_NOUNS or c.head.ref.rsplit(" ", 1)[-1] in LEADER_NOUNS):
            ant = _antecedent_for_role(mentions, i, c)
            if ant is not None:
                m.refers_to = ant


# Role nouns without a title of their own that still stand for one named person.
LEADER_NOUNS = {"leader", "head", "premier", "ruler", "strongman", "monarch", "king", "queen", "emir", "sultan",
                "prince", "crown prince", "president", "prime minister", "chancellor", "minister", "foreign minister",
                "defence minister", "defense minister", "secretary", "chief", "spokesman", "spokeswoman"}


_FAMILY_FIRST = {"CHN", "KOR", "PRK", "TWN", "HKG", "MAC", "SGP"}


def _strip_title(doc: Doc, m: ActorMention) -> str:
    """The name words of a mention: "Mr. Viktor Yanukovich" -> "Viktor Yanukovich"."""
    words = [t for t in doc[m.start:m.end] if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in HONORIFICS]
    return " ".join(t.text for t in words)


_PARTICLES = {"le", "de", "van", "von", "al", "el", "da", "di", "du", "bin", "ibn", "ben", "abu", "dos", "das", "del",
              "la", "mc", "mac", "st", "ter", "ten"}


def _fits(person: Person, m: ActorMention, day: str | None) -> bool:
    """Whether a surname's one candidate agrees with the mention's title and country."""
    if m.country and not any(t.country == m.country for t in person.tenures):
        return False
    if m.role:
        return any(_compatible_roles(m.role, t.role) or t.role == m.role for t in person.tenures if t.role) \
            or not any(t.role for t in person.tenures) or other_office_fits(person, m.role, m.sector)
    if m.sector and m.sector not in ("ELI",):
        return any(t.sector == m.sector for t in person.tenures)
    return True


def _antecedent_for_role(mentions: list[ActorMention], i: int, c: Chunk) -> int | None:
    """"the Belarusian leader", "The President", "the minister": the last person it fits."""
    m = mentions[i]
    role = m.role
    for j in range(i - 1, -1, -1):
        prev = mentions[j]
        if prev.refers_to is None and prev.kind != "person":
            continue
        ref = prev.resolved(mentions)
        if ref.kind != "person" or ref is m:
            continue
        if ref.kb_id is None and ref.name == ref.text and ref.role is not None and prev.refers_to is None \
                and not _is_named(ref):
            continue  # another role phrase without a name
        if ref.kb_id is None and not _is_named(ref):
            continue
        if m.country and ref.country and m.country != ref.country:
            continue
        if m.country and not ref.country:
            continue
        rrole = prev.role or ref.role
        if role and rrole and role != rrole and not _compatible_roles(role, rrole):
            continue
        if role and not rrole:
            continue
        if m.sector and ref.sector and m.sector != ref.sector and ref.sector != "ELI":
            continue
        return j if prev.refers_to is None else prev.refers_to
    return None


def _is_named(m: ActorMention) -> bool:
    return m.kb_id is not None or m.name != m.text or (m.text[:1].isupper() and m.text.lower() not in (
        "the president", "president"))


def _compatible_roles(a: str, b: str) -> bool:
    if a == b:
        return True
    if "Leader" in (a, b):
        other = b if a == "Leader" else a
        return other in LEADER_ROLES or other == "Leader"
    if {a, b} <= {"President", "Head of State", "Chairman"}:
        return True
    if {a, b} <= {"Prime Minister", "Head of Government", "Chancellor"}:
        return True
    if {a, b} <= {"Minister", "Foreign Minister", "Defence Minister", "Interior Minister", "Finance Minister"}:
        return a == "Minister" or b == "Minister"
    return False


def _antecedent_for_pronoun(doc: Doc, mentions: list[ActorMention], i: int) -> int | None:
    m = mentions[i]
    tok = doc[m.start]
    sent_start = _sent_of(doc, tok.i)[0]
    best: int | None = None
    best_score = -1e9
    for j in range(i - 1, -1, -1):
        prev = mentions[j]
        ref = prev.resolved(mentions)
        if prev.text.lower() in PERSON_PRONOUNS and prev.refers_to is None:
            continue
        if ref.kind != "person":
            continue
        if ref.name == ref.text and ref.kb_id is None and prev.refers_to is None and not _is_named(ref) \
                and ref.role is None:
            continue
        if m.gender and ref.gender and m.gender != ref.gender:
            continue
        if prev.in_quote and not m.in_quote:
            continue
        ptok = doc[prev.head] if 0 <= prev.head < len(doc) else doc[prev.start]
        same_sentence = _sent_of(doc, ptok.i)[0] == sent_start
        if same_sentence and ptok.head.i == tok.head.i and ptok.dep_ in _SUBJECT_DEPS \
                and tok.dep_ in ("dobj", "pobj"):
            continue  # "Putin told him": not himself
        distance = m.start - prev.start
        if distance > 400:
            break
        score = -distance / 40.0
        if ptok.dep_ in _SUBJECT_DEPS:
            score += 2.0
        if same_sentence and ptok.dep_ not in _SUBJECT_DEPS:
            score -= 1.0
        if ref.kb_id:
            score += 0.5
        if not ref.gender:
            score -= 1.5
        if score > best_score:
            best_score, best = score, j
    if best is None:
        return None
    return mentions[best].refers_to if mentions[best].refers_to is not None else best


# -- the stage -----------------------------------------------------------------------
def extract_actors(doc: Doc, state: DocState, kb: ActorKB) -> list[ActorMention]:
    """All actor mentions of ``doc`` (pure: reads the doc and the knowledge base)."""
    day = state.date.isoformat() if state.date else None
    if not state.quoted:
        regions, _warnings = find_regions(state.text)
        state.quoted = [(r.start, r.end) for r in regions if r.double]
    units = find_units(doc, kb)
    chunks = build_chunks(doc, units)
    _add_pronouns(doc, chunks)
    mentions: list[ActorMention] = []
    kept: list[Chunk] = []
    for c in chunks:
        if c.head is None and c.pronoun is None:
            continue
        if c.pronoun is not None:
            span = doc[c.start:c.end]
            m = ActorMention(start=c.start, end=c.end, char_start=span.start_char, char_end=span.end_char,
                             text=span.text, name=span.text, kind="person", gender=PERSON_PRONOUNS[c.pronoun],
                             confidence=0.0, head=c.start)
        else:
            if not _keep(doc, c, kb):
                continue
            m = resolve(doc, c, kb, day)
            if m is None:
                continue
        m.in_quote = state.in_quote(m.char_start)
        mentions.append(m)
        kept.append(c)
    corefer(doc, mentions, kept, kb, day)
    return mentions


def _keep(doc: Doc, c: Chunk, kb: ActorKB) -> bool:
    """Whether a phrase is an actor mention at all."""
    head = c.head
    if head is None:
        return False
    if _dateline(doc, head):
        return False
    if head.kind == "metonym":
        mt = kb.metonyms.get(head.ref)
        return _agentive(doc, head, seat=bool(mt and mt.kind == "seat")) or bool(c.titles)
    if head.kind in ("adjective", "ethnic"):
        # a demonym names people as a noun ("Palestinians", "ordinary Kazakhs"); before
        # another noun it names the country ("an Indian proposal", "Israeli air raids")
        tok = doc[head.end - 1]
        if c.titles or c.shared is not None:
            return True
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "nmod", "poss") \
                and (c.plural or tok.dep_ in _SUBJECT_DEPS | {"dobj", "pobj", "ROOT", "conj", "appos"}):
            return True
        if c.plural and tok.dep_ not in ("amod", "compound"):
            return True
        if len(doc) <= 3 and len(c.units) == 1:
            return True
        if head.kind == "adjective" and head.sponsor != "pro" and not c.former:
            c.modifier_only = True
            return True
        return False
    if head.kind == "place":
        if c.titles or c.mods:
            return False
        tok = doc[head.start:head.end].root
        if _n_words(doc) <= head.end - head.start + 1:
            return True
        if tok.dep_ in _SUBJECT_DEPS and tok.head.pos_ in ("VERB", "AUX"):
            return True
        # "shelled Juba", "shut down Khatmandu": a town acted upon
        return tok.dep_ == "dobj" and tok.head.pos_ == "VERB"
    if head.kind == "country":
        if _ambiguous_country(doc, c, kb):
            return False
        return True
    if head.kind == "agent":
        # bare lower-case common nouns are actors only as participants or with a modifier
        return True
    return True


def _dateline(doc: Doc, u: Unit) -> bool:
    """"OSLO, Dec 10 -", "BRASILIA (Reuters) -": the place a story was filed from."""
    if u.kind not in ("metonym", "place", "country") or len(doc) <= 3:
        return False
    j = u.start
    while j > 0 and (doc[j - 1].is_space or doc[j - 1].is_punct):
        j -= 1
    at_start = j == 0 or "\n" in doc[j - 1].whitespace_ or doc[j - 1].is_space
    if not at_start or not all(t.is_upper or not t.is_alpha for t in doc[u.start:u.end]):
        return False
    return u.end < len(doc) and doc[u.end].text in (",", "-", "\u2014", "\u2013", "(", ":")


def _ambiguous_country(doc: Doc, c: Chunk, kb: ActorKB) -> bool:
    """"Atlanta, Georgia" and "the state of Georgia" are the US state."""
    head = c.head
    if head.ref != "GEO":
        return False
    i = head.start
    if i >= 2 and doc[i - 1].text == "," and doc[i - 2].ent_type_ == "GPE":
        return True
    if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ == "state":
        return True
    if head.end < len(doc) and doc[head.end].lower_ in ("state", "senator", "governor", "county", "republican",
                                                         "democrat", "democrats", "republicans"):
        return True
    return False


def _add_pronouns(doc: Doc, chunks: list[Chunk]) -> None:
    taken = {i for c in chunks for i in range(c.start, c.end)}
    if not len(doc):
        return
    strings = doc.vocab.strings
    pronouns = {strings[p]: p for p in PERSON_PRONOUNS}  # ids, so the scan reads an array
    prp = strings["PRP"]
    arr = doc.to_array([LOWER, TAG])
    for i, (low, tag) in enumerate(zip(arr[:, 0].tolist(), arr[:, 1].tolist(), strict=True)):
        if low in pronouns and tag == prp and i not in taken:
            chunks.append(Chunk(i, i + 1, [], pronoun=pronouns[low]))
    chunks.sort(key=lambda c: c.start)


@Language.factory("communique_actors", default_config={"kb_overlays": []})
def make_actor_stage(nlp: Language, name: str, kb_overlays: list[str]):
    kb = get_actor_kb(tuple(kb_overlays))
    _learn_common_nouns(nlp)

    def actor_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.actors = extract_actors(doc, state, kb)
        state.token_actor = {}
        for idx, m in enumerate(state.actors):
            for t in range(m.start, m.end):
                state.token_actor.setdefault(t, idx)
        return doc

    return actor_stage


__all__ = ["Chunk", "Unit", "agent_kind", "build_chunks", "corefer", "extract_actors", "find_units",
           "make_actor_stage", "resolve"]
