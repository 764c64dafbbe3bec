"""Actor stage: every actor mention, resolved to country, sector, role and knowledge-base id.

Steps, each a small function:
1. ``kb_units``: longest-match lookup of knowledge-base phrases (people, organisations,
   countries, demonyms, metonyms, role nouns) over the tokens, plus spaCy's entities
   for names the knowledge base lacks.
2. ``build_mentions``: join units that form one noun phrase ("President of Belarus
   Alexander Lukashenko", "the Chairman of China, Xi Jinping", "Chinese police",
   "the Belarusian leader"); titles give role and sector, demonyms give country.
3. ``resolve``: the knowledge base on the article date decides a known person's or
   organisation's code (a former president is ELI, not GOV).
4. ``corefer``: surnames, definite role phrases ("The President", "the Chinese
   leader") and he/she point back to the mention they stand for (``refers_to``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..kb import get_actor_kb
from ..kb._text import canon
from ..kb.actors import KIND_PRIORITY, ActorKB, Entry, Person
from ._state import ActorMention, DocState, get_state
from ._quotemarks import find_regions

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
# Role nouns that denote one person, so a definite mention ("the President") can
# stand for a named individual; plural or collective nouns ("police") cannot.
_COLLECTIVE_SECTORS = {"COP", "MIL", "REB", "OPP", "CVL", "LAB", "REF", "AGR", "CRM", "PRM", "UAF"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


@dataclass
class Unit:
    start: int
    end: int
    kind: str          # person | org | country | adjective | metonym | agent | ner_person | ner_org | ner_norp | pronoun
    entry: Entry | None = None
    possessive: bool = False


# -- 1. units ------------------------------------------------------------------------
def kb_units(doc: Doc, kb: ActorKB) -> list[Unit]:
    """Longest knowledge-base matches, left to right, without overlap."""
    words = [canon(t.text) for t in doc]
    lemmas = [t.lemma_.lower() for t in doc]
    units: list[Unit] = []
    i, n = 0, len(doc)
    while i < n:
        w = words[i]
        first = w.split(" ")[0] if w else ""
        best: tuple[int, list[Entry]] | None = None
        maxw = kb.max_words.get(first, 0)
        if maxw:
            # Try spans of up to `maxw` words (a token such as "U.S." holds two words).
            key_parts: list[str] = []
            count = 0
            for j in range(i, min(n, i + maxw + 3)):
                if words[j]:
                    key_parts.append(words[j])
                    count += len(words[j].split(" "))
                if count > maxw:
                    break
                if not words[j]:
                    continue
                entries = kb.phrases.get(" ".join(key_parts))
                if entries:
                    best = (j + 1, entries)
                # plural role nouns: "foreign ministers", "officials"
                if lemmas[j] != doc[j].lower_:
                    alt = " ".join(key_parts[:-1] + [canon(lemmas[j])])
                    alt_entries = kb.phrases.get(alt)
                    if alt_entries and any(e.kind == "agent" for e in alt_entries):
                        best = (j + 1, [e for e in alt_entries if e.kind == "agent"])
        if best is None and lemmas[i] != doc[i].lower_:
            entries = kb.phrases.get(canon(lemmas[i]))
            if entries and any(e.kind == "agent" for e in entries):
                best = (i + 1, [e for e in entries if e.kind == "agent"])
        if best is not None:
            end, entries = best
            entry = max(entries, key=lambda e: KIND_PRIORITY[e.kind])
            units.append(Unit(i, end, entry.kind, entry))
            i = end
        else:
            i += 1
    return _filter_units(doc, units)


def _filter_units(doc: Doc, units: list[Unit]) -> list[Unit]:
    out = []
    for u in units:
        span = doc[u.start:u.end]
        head = span.root
        # A lower-case match of a name ("turkey", "chad", "jordan") is not a name.
        if u.kind in ("country", "person", "org", "metonym") and not any(
                t.text[:1].isupper() or not t.is_alpha for t in span):
            continue
        # A role noun used as a verb or adjective ("to police", "head of state" is fine)
        if u.kind == "agent" and head.pos_ not in ("NOUN", "PROPN"):
            continue
        if u.end < len(doc) and doc[u.end].tag_ == "POS":
            u.possessive = True
        out.append(u)
    return out


def ner_units(doc: Doc, taken: set[int], kb: ActorKB) -> list[Unit]:
    """Entities that the knowledge base did not match: unknown people and organisations."""
    units = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "NORP"):
            continue
        toks = [t.i for t in ent if t.i not in taken]
        if len(toks) != len(ent):
            continue
        start, end = ent.start, ent.end
        while start < end and doc[start].lower_ in _DETERMINERS:
            start += 1
        if end > start and doc[end - 1].tag_ == "POS":
            end -= 1
        if start >= end:
            continue
        kind = {"PERSON": "ner_person", "ORG": "ner_org", "NORP": "ner_norp"}[ent.label_]
        u = Unit(start, end, kind)
        if kind == "ner_norp":
            iso3 = _country_of_norp(doc[start:end].text, kb)
            if iso3:  # "Kazahks": a demonym the tables spell differently
                u.kind, u.entry = "adjective", Entry("adjective", iso3)
        if end < len(doc) and doc[end].tag_ == "POS":
            u.possessive = True
        units.append(u)
    return units


# -- 2. mentions ---------------------------------------------------------------------
@dataclass
class Draft:
    """A mention being assembled from units."""

    start: int
    end: int
    person: Unit | None = None
    org: Unit | None = None
    country: str | None = None
    country_unit: Unit | None = None
    agents: list[Unit] | None = None
    metonym: Unit | None = None
    pronoun: str | None = None
    head: int = -1


def build_mentions(doc: Doc, units: list[Unit], kb: ActorKB) -> list[Draft]:
    by_start = {u.start: u for u in units}
    drafts: list[Draft] = []
    used: set[int] = set()
    ordered = sorted(units, key=lambda u: u.start)
    for u in ordered:
        if id(u) in used:
            continue
        if u.kind in ("person", "ner_person"):
            d = Draft(u.start, u.end, person=u)
            _absorb_left(doc, d, by_start, units, used)
            _absorb_apposition(doc, d, units, used)
            drafts.append(d)
            used.add(id(u))
        elif u.kind in ("org", "ner_org"):
            d = Draft(u.start, u.end, org=u)
            _absorb_left(doc, d, by_start, units, used)
            drafts.append(d)
            used.add(id(u))
    # Role phrases without a name ("the Belarusian leader", "Chinese police").
    for u in ordered:
        if id(u) in used or u.kind != "agent":
            continue
        d = Draft(u.start, u.end, agents=[u])
        used.add(id(u))
        # following role nouns in the same phrase: "foreign minister spokesman"
        nxt = _next_unit(units, d.end)
        while nxt is not None and nxt.kind == "agent" and nxt.start == d.end and id(nxt) not in used:
            d.agents.append(nxt)
            d.end = nxt.end
            used.add(id(nxt))
            nxt = _next_unit(units, d.end)
        _absorb_left(doc, d, by_start, units, used)
        _absorb_of_country(doc, d, units, used)
        # "Beijing police", "Minsk police station": a place word before a role noun
        drafts.append(d)
    # Countries, demonyms and capitals left over.
    for u in ordered:
        if id(u) in used:
            continue
        if u.kind == "country":
            drafts.append(Draft(u.start, u.end, country=u.entry.ref, country_unit=u))
        elif u.kind == "metonym" and _is_agentive(doc, u):
            drafts.append(Draft(u.start, u.end, metonym=u))
        elif u.kind in ("adjective", "ner_norp") and _is_group_noun(doc, u):
            d = Draft(u.start, u.end)
            if u.entry is not None:
                d.country, d.country_unit = u.entry.ref, u
            d.end = max(d.end, _noun_end(doc, u))
            drafts.append(d)
        else:
            continue
        used.add(id(u))
    # Pronouns that may stand for people.
    taken = {i for d in drafts for i in range(d.start, d.end)}
    for t in doc:
        if t.lower_ in PERSON_PRONOUNS and t.i not in taken and t.tag_ == "PRP":
            drafts.append(Draft(t.i, t.i + 1, pronoun=t.lower_))
    drafts.sort(key=lambda d: d.start)
    for d in drafts:
        d.head = doc[d.start:d.end].root.i
    return drafts


def _next_unit(units: list[Unit], start: int) -> Unit | None:
    for u in units:
        if u.start == start:
            return u
    return None


def _unit_ending_at(units: list[Unit], end: int) -> Unit | None:
    for u in units:
        if u.end == end:
            return u
    return None


def _absorb_left(doc: Doc, d: Draft, by_start: dict[int, Unit], units: list[Unit], used: set[int]) -> None:
    """Titles, demonyms and ``<title> of <country>`` before the head: "Armenian Prime
    Minister Nikol Pashinyan", "President of Belarus Alexander Lukashenko", "the
    Chairman of China, Xi Jinping", "China's Defense Ministry"."""
    pos = d.start

    def free(u: Unit | None, *kinds: str) -> bool:
        return u is not None and id(u) not in used and u.kind in kinds

    def set_country(u: Unit) -> None:
        if d.country is None and u.entry is not None and u.kind != "org":
            d.country, d.country_unit = u.entry.ref, u

    while pos > 0:
        prev = doc[pos - 1]
        # "<title> of [the] <country> [,]" right before the head
        j = pos - 1 if prev.lower_ == "," else pos
        u_country = _unit_ending_at(units, j)
        if free(u_country, "country", "metonym"):
            k = u_country.start
            if k > 0 and doc[k - 1].lower_ == "the":
                k -= 1
            if k > 1 and doc[k - 1].lower_ == "of":
                u_title = _unit_ending_at(units, k - 1)
                if free(u_title, "agent"):
                    d.agents = [u_title] + (d.agents or [])
                    set_country(u_country)
                    used.update({id(u_title), id(u_country)})
                    pos = u_title.start
                    continue
        if prev.lower_ == "," and d.person is not None:
            u = _unit_ending_at(units, pos - 1)
            if free(u, "agent"):  # "Chairman, Xi Jinping"
                pos -= 1
                continue
            break
        u = _unit_ending_at(units, pos)
        if free(u, "agent"):
            d.agents = [u] + (d.agents or [])
            used.add(id(u))
            pos = u.start
            continue
        if free(u, "adjective") or (free(u, "country", "metonym") and not u.possessive):
            # "Belarusian leader", "Minsk police", "Kano State government"; a bare
            # country before a name ("Belarus Alexander Lukashenko") only as a modifier
            set_country(u)
            used.add(id(u))
            pos = u.start
            continue
        if prev.tag_ == "POS" and pos >= 2:
            u = _unit_ending_at(units, pos - 1)
            if free(u, "country", "metonym", "org", "ner_org"):
                set_country(u)
                used.add(id(u))
                pos = u.start
                continue
            break
        if prev.lower_ == "the" or prev.lower_ in _TITLE_ADJ:
            pos -= 1
            continue
        break
    d.start = min(d.start, pos)


_TITLE_ADJ = {"former", "late", "acting", "interim", "deputy", "vice", "senior", "top", "chief", "then",
              "first", "current", "outgoing", "incoming", "new", "newly", "elected", "ex"}


def _absorb_of_country(doc: Doc, d: Draft, units: list[Unit], used: set[int]) -> None:
    """"the President of Belarus", "Ministry of Defence of Russia"."""
    j = d.end
    if j < len(doc) and doc[j].lower_ == "of":
        k = j + 1
        if k < len(doc) and doc[k].lower_ == "the":
            k += 1
        u = _next_unit(units, k)
        if u is not None and u.kind == "country" and id(u) not in used:
            if d.country is None:
                d.country, d.country_unit = u.entry.ref, u
            used.add(id(u))
            d.end = u.end


def _absorb_apposition(doc: Doc, d: Draft, units: list[Unit], used: set[int]) -> None:
    """"Harry Tseng, Taiwan's deputy foreign minister" -> role and country for the name."""
    j = d.end
    if j >= len(doc) or doc[j].lower_ != ",":
        return
    k = j + 1
    agents, country, cu = [], None, None
    consumed = []
    while k < len(doc):
        tok = doc[k]
        u = _next_unit(units, k)
        if u is not None and id(u) not in used and u.kind in ("country", "adjective", "agent", "metonym"):
            if u.kind == "agent":
                agents.append(u)
            elif country is None:
                country, cu = u.entry.ref, u
            consumed.append(u)
            k = u.end
            if k < len(doc) and doc[k].tag_ == "POS":
                k += 1
            continue
        if tok.lower_ in ("the", "a", "an", "of") or tok.lower_ in _TITLE_ADJ:
            k += 1
            continue
        break
    if agents:
        d.agents = (d.agents or []) + agents
        if d.country is None and country is not None:
            d.country, d.country_unit = country, cu
        used.update(id(u) for u in consumed)


def _is_agentive(doc: Doc, u: Unit) -> bool:
    """A capital stands for its government when it acts: subject, or agent of a passive."""
    head = doc[u.start:u.end].root
    if head.dep_ in _SUBJECT_DEPS:
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "by" and head.head.head.pos_ == "VERB":
        return True
    if u.possessive:
        return False
    return False


def _is_group_noun(doc: Doc, u: Unit) -> bool:
    """A demonym is an actor when it names people ("ordinary Kazakhs", "two Russians")."""
    span = doc[u.start:u.end]
    head = span.root
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ != "compound" and span.text[-1:] == "s":
        return True
    if head.dep_ in _SUBJECT_DEPS | {"dobj", "pobj"} and head.pos_ in ("NOUN", "PROPN"):
        return True
    return False


def _noun_end(doc: Doc, u: Unit) -> int:
    return doc[u.start:u.end].root.i + 1


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


# -- 3. resolution -------------------------------------------------------------------
def resolve(doc: Doc, d: Draft, kb: ActorKB, day: str | None) -> ActorMention:
    span = doc[d.start:d.end]
    m = ActorMention(start=d.start, end=d.end, char_start=span.start_char, char_end=span.end_char,
                     text=span.text, name=span.text, head=d.head)
    role_agent = None
    sector_from_title = None
    if d.agents:
        # The last role noun is the head ("deputy foreign minister"), titles before
        # it are qualifiers; the most specific sector wins.
        role_agent = kb.agents.get(d.agents[-1].entry.ref) if d.agents[-1].entry else None
        for a in d.agents:
            ag = kb.agents.get(a.entry.ref) if a.entry else None
            if ag is not None and ag.sector:
                sector_from_title = ag.sector if sector_from_title in (None, "GOV") else sector_from_title
        if role_agent is not None and role_agent.role:
            m.role = role_agent.role
    former = any(doc[i].lower_ in ("former", "ex", "late") for i in range(max(0, d.start - 1), d.end))
    if d.person is not None:
        m.kind = "person"
        pu = d.person
        m.name = doc[pu.start:pu.end].text
        if pu.kind == "person":
            person = kb.people[pu.entry.ref]
            _apply_person(m, person, day)
            if sector_from_title and m.sector is None:
                m.sector = sector_from_title
        else:
            m.country = d.country
            m.sector = sector_from_title
            m.confidence = 0.6 if m.country or m.sector else 0.3
        if m.country is None and d.country:
            m.country = d.country
        if former and m.kb_id is None:
            m.sector = "ELI"
    elif d.org is not None:
        m.kind = "organization"
        ou = d.org
        m.name = doc[ou.start:ou.end].text
        if ou.kind == "org":
            code = kb.org_code(ou.entry.ref, day)
            if code is not None:
                m.name, m.kb_id = code.name, code.org_id
                m.country, m.sector = code.country or d.country, code.sector or None
        else:
            m.country = d.country
            m.sector = sector_from_title
            m.confidence = 0.5
    elif d.metonym is not None:
        e = d.metonym.entry
        m.kind = "country"
        m.country, m.sector = e.ref, e.sector or "GOV"
        m.name = kb.countries[e.ref].name if e.ref in kb.countries else m.text
        m.confidence = 0.8
    elif d.pronoun is not None:
        m.kind = "person"
        m.gender = PERSON_PRONOUNS[d.pronoun]
        m.confidence = 0.0  # until coreference finds the antecedent
    elif d.agents:
        m.country = d.country
        m.sector = sector_from_title
        single = role_agent is not None and bool(role_agent.role) and doc[d.end - 1].tag_ not in ("NNS", "NNPS")
        m.kind = "person" if single else "group"
        if former and m.sector in ("GOV", "MIL", "LEG", None):
            m.sector = "ELI"
        m.confidence = 0.8 if m.country else 0.6
    elif d.country is not None and d.country_unit is not None and d.country_unit.kind == "country":
        m.kind = "country"
        m.country = d.country
        m.name = kb.countries[d.country].name if d.country in kb.countries else m.text
    else:  # demonym group: "ordinary Kazakhs"
        m.kind = "group"
        m.country = d.country
        m.sector = "CVL" if m.country else None
        m.confidence = 0.6
    m.code = _code(m.country, m.sector)
    return m


def _apply_person(m: ActorMention, person: Person, day: str | None) -> None:
    m.kb_id = person.id
    m.name = person.name
    m.gender = person.gender
    tenure, status = person.status_on(day)
    if tenure is None:
        m.confidence = 0.5
        return
    m.country = tenure.country
    if status in ("current", "undated"):
        m.sector = tenure.sector or None
        m.role = m.role or tenure.role or None
        m.confidence = 0.95 if status == "current" else 0.8
    elif status == "former":
        m.sector = "ELI"
        m.confidence = 0.85
    else:  # not yet in office
        m.sector = None
        m.confidence = 0.6


def _code(country: str | None, sector: str | None) -> str:
    return f"{country or ''}{sector or ''}"


# -- 4. coreference ------------------------------------------------------------------
def corefer(doc: Doc, mentions: list[ActorMention], kb: ActorKB, day: str | None) -> None:
    first_by_kb: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.kb_id is not None and m.kind != "country":
            # A repeated name points back at its first mention, so one person is one chain.
            if m.kb_id in first_by_kb:
                m.refers_to = first_by_kb[m.kb_id]
            else:
                first_by_kb[m.kb_id] = i
            continue
        if m.text.lower() in PERSON_PRONOUNS:
            m.refers_to = _antecedent_for_pronoun(doc, mentions, i)
            if m.refers_to is not None:
                m.confidence = 0.7
            continue
        if m.kind == "person" and m.kb_id is None and len(m.name.split()) == 1 and m.role is None:
            # Surname: an earlier full mention in the article, else a unique office-holder.
            key = canon(m.name)
            for j in range(i - 1, -1, -1):
                prev = mentions[j]
                if prev.refers_to is not None or prev.kind != "person":
                    continue
                if canon(prev.name) != key and canon(prev.name).split(" ")[-1] == key:
                    m.refers_to = j
                    break
            else:
                cands = kb.surname_candidates(m.name, day)
                if len(cands) == 1:
                    _apply_person(m, cands[0], day)
                    m.confidence = min(m.confidence, 0.75)
                    m.code = _code(m.country, m.sector)
            continue
        if m.kind == "person" and m.kb_id is None and m.role and m.name == m.text:
            # A definite role phrase: "the Belarusian leader", "The President".
            ant = _antecedent_for_role(mentions, i)
            if ant is not None:
                m.refers_to = ant


def _antecedent_for_role(mentions: list[ActorMention], i: int) -> int | None:
    m = mentions[i]
    words = m.text.lower().split()
    if words and words[0] in ("a", "an"):
        return None  # indefinite: a new person
    for j in range(i - 1, -1, -1):
        prev = mentions[j]
        ref = prev.resolved(mentions)
        if ref.kind != "person" or ref is m or prev.text.lower() in PERSON_PRONOUNS:
            continue
        if ref.name == ref.text and ref.kb_id is None and ref.role is not None and prev.refers_to is None:
            continue  # another unresolved role phrase
        if m.country and ref.country and m.country != ref.country:
            continue
        if m.country is None and m.role and ref.role and m.role != ref.role and not _compatible_roles(m.role, ref.role):
            continue
        if m.sector and ref.sector and m.sector != ref.sector and m.sector != "ELI":
            if not (m.sector == "GOV" and ref.sector in ("GOV", "MIL")):
                continue
        return j if prev.refers_to is None else prev.refers_to
    return None


def _compatible_roles(a: str, b: str) -> bool:
    leaders = {"President", "Leader", "Head of State", "Chairman", "Monarch", "General Secretary"}
    return a in leaders and b in leaders and (a == "Leader" or b == "Leader")


def _antecedent_for_pronoun(doc: Doc, mentions: list[ActorMention], i: int) -> int | None:
    m = mentions[i]
    tok = doc[m.start]
    sent_start = tok.sent.start
    best: int | None = None
    best_score = -1e9
    for j in range(i - 1, -1, -1):
        prev = mentions[j]
        if prev.text.lower() in PERSON_PRONOUNS and prev.refers_to is None:
            continue
        ref = prev.resolved(mentions)
        if ref.kind != "person":
            continue
        if m.gender and ref.gender and m.gender != ref.gender:
            continue
        if prev.in_quote and not m.in_quote:
            continue
        distance = m.start - prev.start
        if distance > 400:
            break
        score = -distance / 40.0
        ptok = doc[prev.head] if prev.head >= 0 else doc[prev.start]
        if ptok.dep_ in _SUBJECT_DEPS:
            score += 2.0
        if prev.start >= sent_start:
            # same sentence: "he" rarely refers to the object of its own clause
            score += 0.5 if ptok.dep_ in _SUBJECT_DEPS else -1.0
        if ref.kb_id:
            score += 0.5
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
        regions, warnings = find_regions(doc.text)
        state.quoted = [(r.start, r.end) for r in regions if r.double]
    units = kb_units(doc, kb)
    taken = {i for u in units for i in range(u.start, u.end)}
    units += ner_units(doc, taken, kb)
    units.sort(key=lambda u: u.start)
    drafts = build_mentions(doc, units, kb)
    mentions = [resolve(doc, d, kb, day) for d in drafts]
    for m in mentions:
        m.in_quote = state.in_quote(m.char_start)
    corefer(doc, mentions, kb, day)
    return mentions


@Language.factory("communique_actors", default_config={"kb_overlays": []})
def make_actor_stage(nlp: Language, name: str, kb_overlays: list[str]):
    kb = get_actor_kb(tuple(kb_overlays))

    def actor_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.actors = extract_actors(doc, state, kb)
        state.token_actor = {}
        for idx, m in enumerate(state.actors):
            for t in range(m.start, m.end):
                state.token_actor.setdefault(t, idx)
        return doc

    return actor_stage
