"""Place stage: toponym mentions resolved to gazetteer entries with coordinates.

Recognition (``find_mentions``) takes, in this order:

* spaCy GPE/LOC/FAC entities, stripped of determiners and possessives; a facility
  ("Manila Cathedral") or an unmatched longer name resolves through the place name it
  contains;
* PERSON and ORG entities that are really places ("Tamil Nadu said", "in Riverdale"),
  and place names that open an organisation's name ("Washington Post", "University of
  California"), when the ``embedded`` policy is on;
* demonym adjectives used as modifiers ("French engineer", "Kurdish forces") when the
  ``demonyms`` policy is on: they are toponym mentions, resolved to the country or region.
  Plural people-nouns ("two Russians") and languages ("in French") are not;
* capitalised token sequences the tagger missed that the gazetteer knows, when they are
  prominent places or stand where places stand ("in Bywater", "Columbus, OH", datelines);
* state abbreviations after a place ("Gainesville, Va.").

Disambiguation (``resolve_mentions``) scores each same-named candidate by feature type and
population (a national capital gets a bonus), then by the article's context: the countries
of its actors and of its unambiguous places, the first-level divisions those places lie in,
and distance to them. "X, Y" and "X in Y" restrict X to places inside Y ("Pandi, Bulacan";
"Paris, Texas"), and a same-named big city beats its own division ("New York", "Minsk")
unless the text says "state".

Metonyms stay in the place list (``role="metonym"``): "Beijing said" mentions Beijing, even
though the actor stage makes it an actor. ``event_location`` is the stricter rule for an
event's ``location``: a place attached to the event in the parse, else the place that
governs its sentence, else none; never a demonym, a metonym actor or a place named elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Token

from ..kb._text import canon
from ..kb.gazetteer import GazEntry, Gazetteer, get_gazetteer, name_key
from ..kb.tables import data_path, read_table
from ._state import DocState, PlaceMention, get_state

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_CONNECTORS = {"of", "de", "del", "la", "le", "el", "al", "upon", "on", "am", "an", "der", "du", "des", "da", "do",
               "dos", "di", "and", "&", "-", "y", "sur", "en", "ul"}
_LOCATIVE = {"in", "at", "near", "outside", "inside", "within", "across", "throughout", "around", "from", "to",
             "into", "towards", "toward", "through", "via", "off", "along", "between", "nearby", "of",
             "beyond", "northeast", "northwest", "southeast", "southwest", "north",
             "south", "east", "west", "downtown", "suburban", "rural", "central", "northern", "southern", "eastern",
             "western"}
# An event's place: a prepositional phrase with one of these on the event (or on its clause).
_LOC_PREPS = {"in", "at", "near", "outside", "inside", "within", "across", "throughout", "around", "off", "along",
              "amid", "beside", "onto", "nearby"}
_LOC_PREPS_WEAK = {"to", "into", "on", "over"}  # only for a place that is not also a participant
_ADMIN_WORDS = {"state", "province", "region", "county", "oblast", "governorate", "prefecture", "district",
                "territory", "department", "emirate", "canton", "municipality", "voivodeship", "krai"}
_CITY_WORDS = {"city", "town", "village", "township", "borough"}
_ORG_WORDS = {"university", "college", "school", "institute", "council", "party", "company", "corporation", "corp",
              "inc", "ltd", "group", "association", "club", "bank", "ministry", "department", "agency", "times",
              "post", "news", "journal", "herald", "tribune", "daily", "board", "committee", "court", "police",
              "army", "force", "forces", "union", "league", "federation", "commission", "office", "service",
              "hospital", "airlines", "airways", "fc", "united", "foundation", "society", "center", "centre",
              "museum", "church", "network", "television", "radio", "press", "media", "review", "magazine",
              "observatory", "organization", "organisation", "authority", "administration", "assembly",
              "parliament", "congress", "senate", "government", "trust", "fund", "academy"}
_NOT_PLACES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "god", "allah", "christ", "jesus", "internet", "web", "twitter", "facebook", "state", "city", "north",
               "south", "east", "west", "mr", "mrs", "ms", "dr", "president", "minister", "prime", "king", "queen",
               "prince", "princess", "general", "governor", "mayor", "senator", "chief", "reuters", "ap", "afp",
               "xinhua", "tass", "cnn", "bbc", "christmas", "easter", "ramadan", "eid", "halloween", "thanksgiving",
               "today", "tonight", "said", "says", "i", "we", "he", "she", "they", "it", "you", "one", "national",
               "federal", "republic", "kingdom", "union", "democratic", "people", "new", "great", "saint", "st",
               "mount", "lake", "river", "island", "islands", "bay", "gulf", "sea", "ocean", "valley", "park",
               "street", "road", "avenue", "square", "ministry", "health", "police", "army", "court", "church",
               "university", "college", "hospital", "center", "centre", "department", "office", "airport",
               "station", "bridge", "hotel", "tower", "house", "hall", "museum", "school", "global", "world",
               "international", "western", "eastern", "northern", "southern", "central", "upper", "lower",
               "media", "ebola", "aids", "hiv", "sars", "covid", "zika", "cholera", "polio", "malaria",
               "dengue", "measles", "influenza", "flu", "virus", "disease", "region", "province", "county",
               "district", "territory", "capital", "act", "bill", "law", "code", "delta", "coast", "border"}
# Lower-case words after a name that make it a physical feature, not a town ("the Vistula river").
_PHYSICAL = {"river", "lake", "sea", "mountains", "mountain", "island", "islands", "valley", "desert", "delta",
             "strait", "gulf", "bay", "peninsula", "basin", "canal", "creek", "forest", "plateau", "ocean"}
# Words before a place name inside a longer name that keep it the same place ("Old Town Manassas").
_AREA_MODIFIERS = {"old", "town", "greater", "metro", "metropolitan", "downtown", "central", "north", "south",
                   "east", "west", "northern", "southern", "eastern", "western", "upper", "lower", "inner",
                   "outer", "rural", "urban", "suburban", "city", "of"}
_LANG_HEADS = {"language", "languages", "speaker", "speakers", "translation", "subtitles", "version", "dialect",
               "accent", "word", "words", "name", "text", "class", "classes", "lesson", "lessons", "teacher",
               "literature", "grammar", "course"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT"}


# -- knowledge ---------------------------------------------------------------------------
@dataclass
class PlaceKB:
    gaz: Gazetteer
    demonyms: dict[str, GazEntry] = field(default_factory=dict)       # canon adjective -> place
    abbreviations: dict[str, tuple[GazEntry, bool]] = field(default_factory=dict)  # surface -> (admin1, standalone)
    capitals: set[tuple[str, str]] = field(default_factory=set)       # (iso3, name key)
    people: set[str] = field(default_factory=set)                     # name keys of known people
    country_entry: dict[str, GazEntry] = field(default_factory=dict)  # iso3 -> country row


def _find_entry(gaz: Gazetteer, name: str, country: str, feature: str) -> GazEntry | None:
    for e in gaz.candidates(name):
        if e.feature == feature and (not country or e.country == country):
            return e
    return None


def build_place_kb(gaz: Gazetteer) -> PlaceKB:
    from ..kb import get_actor_kb

    kb = PlaceKB(gaz)
    try:
        akb = get_actor_kb()
    except Exception:  # noqa: BLE001  (the place stage still works without the actor tables)
        akb = None
    if akb is not None:
        for iso3, c in akb.countries.items():
            e = _find_entry(gaz, c.name, iso3, "country")
            if e is None:
                continue
            kb.country_entry[iso3] = e
            if c.capital:
                kb.capitals.add((iso3, name_key(c.capital)))
        for key, entries in akb.phrases.items():
            for ent in entries:
                if ent.kind == "adjective" and ent.ref in kb.country_entry:
                    kb.demonyms.setdefault(key, kb.country_entry[ent.ref])
                    break
        for person in akb.people.values():
            kb.people.add(name_key(person.name))
    path = data_path("gazetteer", "demonyms.tsv")
    if path.exists():
        for _, r in read_table(path):
            e = _find_entry(gaz, r["place"], r.get("country", ""), r.get("feature", "") or "region")
            if e is not None:
                kb.demonyms.setdefault(canon(r["adjective"]), e)
    path = data_path("gazetteer", "abbreviations.tsv")
    if path.exists():
        for _, r in read_table(path):
            e = gaz.admin1_entry(r["country"], r["place"]) or _find_entry(gaz, r["place"], r["country"], "admin1")
            if e is not None:
                kb.abbreviations[r["abbreviation"]] = (e, r.get("standalone", "0") == "1")
    return kb


@lru_cache(maxsize=2)
def _place_kb_for(gaz_id: int) -> PlaceKB:
    return build_place_kb(get_gazetteer())


def get_place_kb(gaz: Gazetteer | None = None) -> PlaceKB:
    if gaz is None or gaz is get_gazetteer():
        return _place_kb_for(id(get_gazetteer()))
    return build_place_kb(gaz)


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
    admin_hint: bool = False         # "X State", coordinated with divisions
    choice: GazEntry | None = None
    margin: float = 0.0


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in ("'s", "’s", "'")
                           or (doc[end - 1].is_punct and doc[end - 1].text not in (".",))
                           or doc[end - 1].is_space):
        end -= 1
    if end > start and doc[end - 1].text == "." and end - 1 > start:
        end -= 1
    return start, end


def _text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(ch.isalpha() for ch in t)


def _prominent(e: GazEntry, min_pop: int = 100_000) -> bool:
    return e.feature in ("country", "admin1", "region", "other") or e.population >= min_pop


def _best_prior(cands: list[GazEntry], kb: PlaceKB) -> GazEntry:
    return max(cands, key=lambda e: _prior(e, kb))


def _lookup(doc: Doc, start: int, end: int, kb: PlaceKB, dateline: bool = False) -> list[GazEntry]:
    if end <= start:
        return []
    surface = _text(doc, start, end)
    cands = kb.gaz.candidates(surface)
    if cands and end - start == 1 and surface.isupper() and not dateline \
            and sum(ch.isalpha() for ch in surface) <= 5:
        # an acronym stands for a country, division or region ("UK", "DRC", "NSW"), not a town
        cands = [e for e in cands if e.feature != "city"]
    if cands and end < len(doc) and doc[end].lower_ in _PHYSICAL and doc[end].is_lower:
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
    if len(words) >= 2 and words[-1] in _ADMIN_WORDS:
        cands = [e for e in _lookup(doc, start, end - 1, kb) if e.feature in ("admin1", "region", "other")]
        if cands:
            return cands, True
        cands = _lookup(doc, start, end - 1, kb)
        if cands and words[-1] in ("state", "province", "region"):
            return cands, True
    if len(words) >= 2 and words[-1] in _CITY_WORDS:
        cands = [e for e in _lookup(doc, start, end - 1, kb) if e.feature == "city"]
        if cands:
            return cands, False
    return [], False


def _inner(doc: Doc, start: int, end: int, kb: PlaceKB, min_pop: int = 10_000) -> tuple[int, int, list[GazEntry]] | None:
    """The longest prominent place name inside a longer name ("Manila Cathedral" -> Manila)."""
    best = None
    for i in range(start, end):
        if not _is_cap(doc[i]) or doc[i].lower_ in _NOT_PLACES:
            continue
        for j in range(min(end, i + 5), i, -1):
            if j - i >= end - start:
                continue
            if not _is_cap(doc[j - 1]) or doc[j - 1].lower_ in _NOT_PLACES:
                continue
            cands = _lookup(doc, i, j, kb)
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
        if head.lower_ in _LANG_HEADS or head.lemma_.lower() in _LANG_HEADS:
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
    while j >= 0 and doc[j].lower_ in _DETERMINERS:
        j -= 1
    if j >= 1 and doc[j].lower_ == "to" and doc[j - 1].lower_ in ("according", "thanks", "due", "said"):
        return False  # "according to Yap": a source, not a place
    return j >= 0 and doc[j].lower_ in _LOCATIVE and doc[j].lower_ not in ("of",)


def _in_place_list(doc: Doc, start: int, taken: list[bool]) -> bool:
    """"Žilina, Nitra, Prešov and Košice": after a place mention and a comma or "and"."""
    j = start - 1
    if j >= 1 and doc[j].lower_ in (",", "and", "or", "&"):
        j -= 1
        if doc[j].lower_ == "," and j >= 1:
            j -= 1
        return taken[j]
    return False


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
    return txt.isupper() and len(txt) > 2 and end < len(doc) and doc[end].text in ("-", "—", "–", "(", ",", ":")


def find_mentions(doc: Doc, state: DocState, kb: PlaceKB, demonyms: bool = True,
                  embedded: bool = True) -> list[Mention]:
    """Toponym mentions of ``doc`` with their gazetteer candidates (not yet resolved)."""
    out: list[Mention] = []
    taken = [False] * len(doc)

    def add(m: Mention) -> None:
        if any(taken[i] for i in range(m.start, m.end)):
            return
        for i in range(m.start, m.end):
            taken[i] = True
        m.key = name_key(_text(doc, m.start, m.end)) if not m.key else m.key
        out.append(m)

    ent_tokens = [False] * len(doc)
    ents = list(doc.ents)
    for k, ent in enumerate(ents):
        if ent.label_ not in _NUMERIC_LABELS:  # "Manbij" tagged DATE is still scanned below
            for i in range(ent.start, ent.end):
                ent_tokens[i] = True
        label = ent.label_
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end:
            continue
        surface = _text(doc, start, end)
        if surface in kb.abbreviations and (kb.abbreviations[surface][1] or (
                start >= 2 and doc[start - 1].text == "," and taken[start - 2])):
            add(Mention(start, end, [kb.abbreviations[surface][0]], source="abbreviation"))
            continue
        if label in ("GPE", "LOC") and k + 1 < len(ents) and ents[k + 1].start == end + 1 \
                and doc[end].lower_ in ("and", "&"):
            # "Trinidad and Tobago", "Bosnia and Herzegovina": one name the tagger split
            nxt = ents[k + 1]
            both = [e for e in _lookup(doc, start, nxt.end, kb) if e.feature in ("country", "admin1")]
            if both:
                add(Mention(start, nxt.end, both))
                continue
        if label in ("GPE", "LOC") and start > 0 and _is_cap(doc[start - 1]) and not ent_tokens[start - 1]:
            # "Democratic Republic of the Congo" when the tagger left out "Democratic"
            longer = [e for e in _lookup(doc, start - 1, end, kb) if e.feature in ("country", "admin1")]
            if longer:
                add(Mention(start - 1, end, longer))
                continue
        if label in ("GPE", "LOC") and end - start == 1 and doc[start].lower_ in _NOT_PLACES:
            continue
        if label in ("GPE", "LOC", "FAC"):
            cands = _lookup(doc, start, end, kb, dateline=_dateline(doc, start, end))
            if cands and end - start == 1 and end < len(doc) and doc[end].ent_type_ == "PERSON" \
                    and not any(_prominent(e) for e in cands):
                continue  # "Maya Harden": a given name the tagger split off
            if cands:
                dem = _demonym_at(doc, start, end, kb)
                if dem is not None and not any(e.feature in ("country", "admin1", "region") for e in cands) \
                        and _adjectival(doc, start, end):
                    if demonyms:
                        add(Mention(start, end, [dem], role="demonym", source="demonym"))
                    continue
                if label == "FAC":
                    cands = _own_names(cands, surface)
                    if not cands or not _prominent(_best_prior(cands, kb)):
                        continue  # "White House" is not White House, Tennessee
                add(Mention(start, end, cands, role="facility" if label == "FAC" else "literal"))
                continue
            cands, admin = _variants(doc, start, end, kb)
            if cands:
                add(Mention(start, end, cands, admin_hint=admin))
                continue
            dem = _demonym_at(doc, start, end, kb)
            if dem is not None:
                if demonyms and _adjectival(doc, start, end):
                    add(Mention(start, end, [dem], role="demonym", source="demonym"))
                continue
            inner = _inner(doc, start, end, kb, 1000 if label != "FAC" else 10_000)
            if inner is not None:
                i, j, cands = inner
                if label == "FAC":
                    add(Mention(start, end, cands, role="facility", key=name_key(_text(doc, i, j))))
                elif j == end and all(t.lower_ in _AREA_MODIFIERS for t in doc[start:i]):
                    add(Mention(i, j, cands))  # "Old Town Manassas"
        elif label == "NORP":
            dem = _demonym_at(doc, start, end, kb)
            if dem is not None and demonyms and _adjectival(doc, start, end):
                add(Mention(start, end, [dem], role="demonym", source="demonym"))
            elif dem is None and end - start > 1:
                # "Saint Lucian", "Latin American": try the last words
                for s in range(start + 1, end):
                    dem = _demonym_at(doc, s, end, kb)
                    if dem is not None and demonyms and _adjectival(doc, s, end):
                        add(Mention(s, end, [dem], role="demonym", source="demonym"))
                        break
        elif label in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT"):
            if label == "PERSON" and (_people_span(state, start, end, kb)
                                      or name_key(_text(doc, start, end)) in kb.people):
                # "President of Belarus Alexander Lukashenko": the tagger ran the country into the name
                for j in range(min(end - 1, start + 4), start, -1):
                    lead = [e for e in _lookup(doc, start, j, kb) if e.feature == "country"]
                    if lead:
                        add(Mention(start, j, lead))
                        break
                continue
            cands = _own_names(_lookup(doc, start, end, kb), surface)
            words = {t.lower_ for t in doc[start:end]}
            if cands and not (words & _ORG_WORDS):
                best = _best_prior(cands, kb)
                strong = best.feature in ("country", "admin1", "region") or (
                    label != "PERSON" and best.population >= 100_000)
                located = _after_locative(doc, start) or _followed_by_place(doc, end, kb) or \
                    _in_place_list(doc, start, taken)
                if label == "PERSON" and best.feature == "city":
                    strong = located and best.population >= 1000
                if strong or (located and best.population >= 5000):
                    add(Mention(start, end, cands, source="person" if label == "PERSON" and not located else "ner"))
                    continue
            if embedded and label == "ORG":
                _embedded(doc, start, end, kb, add, demonyms)
    # token texts from an array; Token objects only where a test needs one (doc[i])
    toks = doc
    strings = doc.vocab.strings
    texts = [strings[h] for h in doc.to_array(ORTH).tolist()] if len(doc) else []
    caps = [bool(x) and x[0].isupper() for x in texts]
    # Demonym adjectives the tagger did not mark NORP ("Syrian-backed", "Irish").
    if demonyms:
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
                if dem is not None and _adjectival(doc, i, end) and toks[end - 1].tag_ in ("JJ", "NNP"):
                    add(Mention(i, end, [dem], role="demonym", source="demonym"))
                    break
    # Abbreviations after a place or standalone: "Gainesville, Va.", "N.Y."
    for i, x in enumerate(texts):
        hit = kb.abbreviations.get(x)
        if hit is None or taken[i]:
            continue
        entry, standalone = hit
        after_place = i >= 2 and texts[i - 1] == "," and taken[i - 2]
        if after_place or (standalone and "." in x or standalone and x.isupper() and len(x) > 2):
            add(Mention(i, i + 1, [entry], source="abbreviation"))
    _scan(doc, toks, caps, state, kb, taken, ent_tokens, add)
    out.sort(key=lambda m: m.start)
    _link_containers(doc, out)
    _mark_roles(doc, state, out)
    return out


def _embedded(doc: Doc, start: int, end: int, kb: PlaceKB, add, demonyms: bool) -> None:
    """Place names inside an organisation's name: "Washington Post", "University of California"."""
    # a leading demonym or place name
    for j in range(min(end - 1, start + 4), start, -1):
        dem = _demonym_at(doc, start, j, kb)
        if dem is not None:
            if demonyms:
                add(Mention(start, j, [dem], role="demonym", source="demonym"))
            return
        cands = [e for e in _lookup(doc, start, j, kb) if _prominent(e)]
        if cands and all(_is_cap(t) for t in doc[start:j]):
            add(Mention(start, j, cands, role="embedded"))
            return
    # "... of <Place>" at the end
    for k in range(end - 2, start, -1):
        if doc[k].lower_ == "of":
            s = k + 1
            if s < end and doc[s].lower_ == "the":
                s += 1
            cands = [e for e in _lookup(doc, s, end, kb) if _prominent(e, 50_000)]
            if cands:
                add(Mention(s, end, cands, role="embedded"))
            return


def _scan(doc: Doc, toks: Doc | list[Token], caps: list[bool], state: DocState, kb: PlaceKB, taken: list[bool],
          ent_tokens: list[bool], add) -> None:
    """Gazetteer names in capitalised tokens that no entity covers."""
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
        if not _is_cap(tok) or tok.lower_ in _NOT_PLACES or (
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
            if not (_is_cap(t) or t.lower_ in _CONNECTORS):
                break
            cur = f"{cur} {name_key(t.text)}".strip()
            j += 1
            if _is_cap(t) and kb.gaz.has_key(cur):
                best_end = j
        if best_end is None:
            i += 1
            continue
        cands = _lookup(doc, i, best_end, kb, dateline=_dateline(doc, i, best_end))
        best = _best_prior(cands, kb) if cands else None
        last = doc[best_end - 1]
        proper = all(t.tag_ in ("NNP", "NNPS") or t.lower_ in _CONNECTORS for t in doc[i:best_end])
        sent_start = i == tok.sent.start or (i > 0 and doc[i - 1].text in ('"', "“", "(", "'"))
        ok = False
        if best is not None and last.lower_ not in _NOT_PLACES:
            located = _after_locative(doc, i) or _followed_by_place(doc, best_end, kb) or \
                _in_place_list(doc, i, taken)
            if _dateline(doc, i, best_end):
                ok = best.population >= 1000 or best.feature != "city"
            elif not proper and not tok.is_upper:
                ok = False
            elif best.feature in ("country", "admin1"):
                ok = not sent_start or len(cands) == 1 or located
            elif best.feature in ("region", "other"):
                ok = best_end - i > 1 or located
            else:
                ok = (best.population >= 50_000 and not sent_start) or (located and best.population >= 1000)
        if ok:
            add(Mention(i, best_end, cands, source="scan"))
            i = best_end
        else:
            i += 1


def _link_containers(doc: Doc, mentions: list[Mention]) -> None:
    """"X, Y" / "X in Y" / "X (Y)": Y may contain X."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        gap = [t.lower_ for t in doc[a.end:b.start]]
        if gap in ([","], ["in"], ["("], [",", "in"]) and b.role != "demonym":
            a.container = mentions.index(b)


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


# -- resolution ------------------------------------------------------------------------------
_FEATURE_PRIOR = {"country": 10.0, "region": 8.0, "admin1": 7.0, "other": 7.5}


def _prior(e: GazEntry, kb: PlaceKB) -> float:
    p = _FEATURE_PRIOR.get(e.feature)
    if p is not None:
        return p
    p = math.log10(e.population) if e.population > 300 else 2.5
    if e.country and (e.country, name_key(e.name)) in kb.capitals:
        p += 1.5
    return p


def _km(a: GazEntry, b: GazEntry) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(x)))


def _contains(outer: GazEntry, inner: GazEntry) -> bool:
    if outer.idx == inner.idx:
        return False
    if outer.feature == "country":
        return inner.country == outer.country
    if outer.feature == "admin1":
        return inner.admin1_key == outer.admin1_key and inner.feature == "city"
    if outer.feature == "city":
        return inner.feature == "city" and _km(outer, inner) < 60
    if outer.feature == "region":
        return inner.country is not None and _km(outer, inner) < 2500
    return False


@dataclass
class _Context:
    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    by_key: dict[str, tuple[Counter, Counter]] = field(default_factory=dict)
    points: list[tuple[str, GazEntry]] = field(default_factory=list)
    total: float = 0.0

    def add(self, key: str, e: GazEntry, w: float) -> None:
        kc, ka = self.by_key.setdefault(key, (Counter(), Counter()))
        if e.country:
            self.countries[e.country] += w
            kc[e.country] += w
            self.total += w
        ak = e.admin1_key
        if ak:
            self.admin1[ak] += w
            ka[ak] += w
        if e.feature in ("city", "admin1"):
            self.points.append((key, e))


def _context_score(e: GazEntry, key: str, ctx: _Context) -> float:
    s = 0.0
    kc, ka = ctx.by_key.get(key, (Counter(), Counter()))
    if e.country:
        c = ctx.countries[e.country] - kc[e.country]
        total = ctx.total - sum(kc.values())
        if c > 0:
            s += 1.5 + 3.0 * c / max(total, 1.0)
    ak = e.admin1_key
    if ak and ctx.admin1[ak] - ka[ak] > 0:
        s += 1.5
    if e.feature == "city" and ctx.points:
        d = min((_km(e, p) for k, p in ctx.points if k != key and p.idx != e.idx), default=1e9)
        if d < 40:
            s += 1.5
        elif d < 200:
            s += 0.75
    return s


def _same_name_city(e: GazEntry, cands: list[GazEntry], kb: PlaceKB) -> GazEntry | None:
    """A big city (or capital) named like the division ``e`` and lying in it: "New York", "Minsk"."""
    for c in cands:
        if c.feature == "city" and c.country == e.country and (
                c.admin1 == e.name or _km(c, e) < 150 or name_key(c.admin1).startswith(name_key(e.name))) and (
                c.population >= 1_000_000 or (c.country, name_key(c.name)) in kb.capitals):
            return c
    return None


def _choose(m: Mention, cands: list[GazEntry], kb: PlaceKB, ctx: _Context | None) -> tuple[GazEntry, float]:
    scored = []
    for e in cands:
        s = _prior(e, kb)
        if ctx is not None:
            s += _context_score(e, m.key, ctx)
        if m.admin_hint and e.feature == "admin1":
            s += 3.0
        if e.feature == "city" and m.role != "facility" and name_key(e.name) != m.key:
            s -= 1.0  # known by another name: "Atlantic" is the ocean before it is an alias of a town
        scored.append((s, -e.idx, e))
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    best_s, _, best = scored[0]
    margin = best_s - scored[1][0] if len(scored) > 1 else 10.0
    if best.feature == "admin1" and not m.admin_hint:
        city = _same_name_city(best, cands, kb)
        if city is not None:
            best = city
    return best, margin


def _constrain(m: Mention, mentions: list[Mention]) -> list[GazEntry]:
    cands = m.cands
    if m.container is not None:
        outer = mentions[m.container]
        inside = [e for e in cands if any(_contains(o, e) for o in outer.cands)]
        if inside:
            cands = inside
    return cands


def resolve_mentions(mentions: list[Mention], state: DocState, kb: PlaceKB) -> None:
    """Pick each mention's gazetteer entry (``Mention.choice``)."""
    # containers first restrict their own candidates to those that contain something
    for m in mentions:
        if m.container is not None:
            outer = mentions[m.container]
            keep = [o for o in outer.cands if any(_contains(o, e) for e in m.cands)]
            if keep:
                outer.cands = keep
    ctx = _Context()
    for a in state.actors:
        if a.refers_to is None and a.country and len(a.country) == 3 and a.kind != "pronoun":
            ctx.add("@actor", _pseudo(a.country), 0.5)
    # pass 1: priors and actors only; unambiguous or clear choices become anchors
    for m in mentions:
        m.choice, m.margin = _choose(m, _constrain(m, mentions), kb, ctx)
    anchors = _Context(Counter(ctx.countries), Counter(ctx.admin1), dict(ctx.by_key), list(ctx.points), ctx.total)
    for m in mentions:
        e = m.choice
        if e is None:
            continue
        weight = 1.0 if len(m.cands) == 1 or m.margin >= 3.0 else 0.3
        if m.role == "demonym":
            weight = 0.5
        anchors.add(m.key, e, weight)
    # pass 2: with the article's places as context
    for m in mentions:
        if len(m.cands) > 1:
            m.choice, m.margin = _choose(m, _constrain(m, mentions), kb, anchors)


def _drop_unsupported(mentions: list[Mention], state: DocState) -> None:
    """A name the tagger took for a person ("According to Yap") stays a place only if the article
    is about that place's country (its actors or its other places)."""
    weak = [m for m in mentions if m.source == "person" and m.choice is not None and m.choice.feature != "country"]
    if not weak:
        return
    countries = {a.country for a in state.actors if a.country}
    countries |= {m.choice.country for m in mentions if m.choice is not None and m.source != "person"}
    for m in weak:
        if m.choice.country not in countries:
            m.choice = None


def _pseudo(iso3: str) -> GazEntry:
    return GazEntry(None, iso3, iso3, "", "country", 0, 0.0, 0.0, -1)


# -- the stage --------------------------------------------------------------------------------
def extract_places(doc: Doc, state: DocState, gaz: Gazetteer | None = None, kb: PlaceKB | None = None,
                   demonyms: bool = True, embedded: bool = True) -> list[PlaceMention]:
    """The place mentions of ``doc`` (pure: reads the doc, the actors in ``state`` and the gazetteer)."""
    if kb is None:
        kb = get_place_kb(gaz)
    mentions = find_mentions(doc, state, kb, demonyms=demonyms, embedded=embedded)
    resolve_mentions(mentions, state, kb)
    _drop_unsupported(mentions, state)
    out: list[PlaceMention] = []
    text = state.text  # not doc.text: that joins every token again on each access
    for m in mentions:
        e = m.choice
        span = doc[m.start:m.end]
        if e is None:
            continue
        a, b = span.start_char, span.end_char
        while a < b and not text[a].isalnum():
            a += 1  # "-Chinese" when the tokenizer kept the hyphen of "Belarusian-Chinese"
        while b > a and not text[b - 1].isalnum() and text[b - 1] != ".":
            b -= 1
        if a >= b:
            continue
        out.append(PlaceMention(span.start, span.end, a, b, e.name, e.country,
                                round(e.lat, 5), round(e.lon, 5),
                                e.geonames_id if e.geonames_id and e.geonames_id > 0 else None, e.feature,
                                role=m.role))
    return out


def event_location(doc: Doc, state: DocState, trigger_token: int) -> int | None:
    """The index (into ``state.places``) of the place where the event at ``trigger_token`` happened.

    The place attached to the event in the parse ("met in Tianjin", "held talks in
    Tianjin"), else the place that governs its sentence (a locative phrase on a clause the
    event is part of: "In Tianjin, officials said they would sign ..."; a dateline that opens
    the sentence), else None. A demonym ("Chinese troops"), a metonym actor ("Beijing said"),
    a place inside an organisation's name or one named in another sentence never is.
    """
    if not state.places:
        return None
    at: dict[int, int] = {}
    for pi, p in enumerate(state.places):
        if p.role in ("demonym", "embedded", "metonym"):
            continue
        for t in range(p.start, p.end):
            at.setdefault(t, pi)
    if not at:
        return None
    tok = doc[trigger_token]
    sent = tok.sent

    def place_of(pobj: Token) -> int | None:
        # "in Tianjin", "in the city of Tianjin", "in Tianjin and Beijing" (the first)
        if pobj.i in at:
            return at[pobj.i]
        for c in pobj.children:
            if c.dep_ in ("compound", "appos", "nmod") and c.i in at:
                return at[c.i]
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and g.i in at:
                        return at[g.i]
        return None

    def located(head: Token) -> int | None:
        for prep in head.children:
            if prep.dep_ != "prep":
                continue
            word = prep.lower_
            if word not in _LOC_PREPS and word not in _LOC_PREPS_WEAK:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                pi = place_of(pobj)
                if pi is None:
                    continue
                if word in _LOC_PREPS_WEAK and any(t in state.token_actor
                                                   for t in range(state.places[pi].start, state.places[pi].end)):
                    continue  # "sent aid to Syria": a participant, not the scene
                return pi
        return None

    # 1. attached to the event: on the verb, or on its object ("held talks in Tianjin")
    heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd", "xcomp", "advcl")
                     and c.pos_ in ("NOUN", "PROPN", "VERB")]
    for h in heads:
        pi = located(h)
        if pi is not None:
            return pi
    # 2. governing its sentence: a locative phrase on a clause above the event
    cur = tok
    for _ in range(8):
        if cur.head is cur or cur.dep_ in ("relcl", "acl", "pcomp"):
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            pi = located(cur)
            if pi is not None:
                return pi
    # a dateline opening the sentence: "TIANJIN, June 5 (Reuters) - ..."
    first = sent.start
    while first < sent.end and (doc[first].is_space or doc[first].is_punct):
        first += 1
    pi = at.get(first)
    if pi is not None:
        p = state.places[pi]
        txt = doc[p.start:p.end].text
        nxt = doc[p.end] if p.end < len(doc) else None
        if txt.isupper() and nxt is not None and nxt.text in ("-", "—", "–", ",", "(", ":"):
            return pi
    return None


@Language.factory("communique_places", default_config={"demonyms": True, "embedded": True})
def make_place_stage(nlp: Language, name: str, demonyms: bool, embedded: bool):
    gaz = get_gazetteer()
    kb = get_place_kb(gaz)

    def place_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.places = extract_places(doc, state, gaz, kb, demonyms=demonyms, embedded=embedded)
        return doc

    return place_stage


__all__ = ["Mention", "PlaceKB", "build_place_kb", "event_location", "extract_places", "find_mentions",
           "get_place_kb", "resolve_mentions"]

