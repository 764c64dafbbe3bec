"""Step 3 of the actor stage: the code of each phrase.

A known person's or organisation's code comes from the knowledge base on the article
date (a former president is ELI); titles, demonyms, possessives and "of"-phrases give the
code of everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from ...kb._text import actor_key as canon
from ...kb.actors import (
    NON_STATE,
    ActorKB,
    Person,
    code_person,
)
from .._lexicon import DETERMINERS
from .._state import ActorMention
from .chunks import Chunk
from .units import Unit
from .words import COLLECTIVE_SUFFIXES, COLLECTIVES, GENERIC_HEADS, INSTITUTIONS, ROLE_SYNONYMS


# -- 3. resolution -------------------------------------------------------------------
def _agent(kb: ActorKB, u: Unit):
    return kb.agents.get(u.ref) if u.kind == "agent" else None


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


# Raw confidences of an actor's country and sector, by how they were found (named so that a run
# can vary them from the config, ``components.communique_actors.confidence``; calibration
# replaces them). The coreference ones cap a mention resolved through another.
ACTOR_CONFIDENCE: dict[str, float] = {
    "demonym_modifier": 0.7, "person_clue": 0.7, "person_no_clue": 0.4, "kb_org": 0.9, "named_org": 0.6,
    "role_with_country": 0.8, "role_without_country": 0.6, "metonym": 0.8, "country": 0.9, "people": 0.7,
    # a person the knowledge base knows gets its raw confidence from kb.code_person (issue 16's rules)
    "place": 0.5, "pronoun_unresolved": 0.0, "pronoun_resolved": 0.7,
    "surname": 0.75, "titled_surname": 0.7,
}


@dataclass
class Clues:
    """What a phrase's modifiers, "of"-complements, locations and titles say about its actor."""

    mod_country: str | None
    of_country: str | None
    loc_country: str | None
    title_sector: str | None
    title_role: str | None
    generic: bool
    mod_org: Unit | None


def _effective(c: Chunk) -> tuple[Chunk, Unit]:
    """The chunk to resolve, with an apposition's description or a shared role noun filled in."""
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
    return c, head


def _clues(kb: ActorKB, c: Chunk, head: Unit, day: str | None) -> Clues:
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
        of_mod = next((x for x in (_country_of_unit(kb, u, day) for u in reversed(o.mods)) if x), None)
        if o.head.kind in ("org", "norg") and of_mod:
            of_country = of_country or of_mod   # "leaders of Kenya's Liberal Democratic Party"
        of_country = of_country or _country_of_unit(kb, o.head, day) or of_mod
        if of_sector is None and o.head.kind in ("org", "norg", "metonym"):
            of_sector = _org_sector(kb, o.head, day)
        elif of_sector is None and o.head.kind == "agent":
            a = _agent(kb, o.head)
            of_sector = a.sector if a and a.phrase not in GENERIC_HEADS else None
    loc_country = None
    for o in c.locs if not c.posting else ():
        if o.head is not None and o.head.kind in ("org", "norg"):
            # "members of parliament from Kenya's Liberal Democratic Party": the country the text
            # gives the organisation before the one a namesake has in the tables
            loc_country = loc_country or next(
                (x for x in (_country_of_unit(kb, u, day) for u in reversed(o.mods)) if x), None) \
                or _country_of_unit(kb, o.head, day)
        elif o.head is not None and o.head.kind != "agent":
            loc_country = loc_country or _country_of_unit(kb, o.head, day)
        elif o.head is not None:   # "ministers from the Georgian government": the body's country
            loc_country = loc_country or next(
                (x for x in (_country_of_unit(kb, u, day) for u in reversed(o.mods)) if x), None)
    title_sector, title_role, generic = _title_sector(kb, c.titles)
    # org/metonym modifiers before a generic role noun: "Kremlin spokesman", "CIA official"
    mod_org = next((u for u in reversed(c.mods) if u.kind in ("org", "norg", "metonym")), None)
    if of_sector and (generic or title_sector is None):
        title_sector, generic = of_sector, False
    return Clues(mod_country, of_country, loc_country, title_sector, title_role, generic, mod_org)


def resolve(doc: Doc, c: Chunk, kb: ActorKB, day: str | None,
            conf: dict[str, float] = ACTOR_CONFIDENCE) -> ActorMention | None:
    span = doc[c.start:c.end]
    c, head = _effective(c)
    m = ActorMention(start=c.start, end=c.end, char_start=span.start_char, char_end=span.end_char,
                     text=span.text, name=span.text, head=span.root.i, gender=c.gender)
    if c.modifier_only:
        # only the demonym: "an Indian proposal" -> "Indian"
        hs = doc[head.start:head.end]
        m.start, m.end, m.char_start, m.char_end, m.text = head.start, head.end, hs.start_char, hs.end_char, hs.text
        m.head = hs.root.i
        m.kind, m.country = "country", head.country
        m.name = kb.countries[head.country].name if head.country in kb.countries else m.text
        m.code = actor_code(m.country, None)
        m.confidence = conf["demonym_modifier"]
        return m
    clues = _clues(kb, c, head, day)
    m.role = clues.title_role
    if head.kind in ("person", "nperson"):
        _resolve_person(doc, m, c, head, kb, day, clues, conf)
    elif head.kind in ("org", "norg"):
        _resolve_org(doc, m, c, head, kb, day, clues, conf)
    elif head.kind == "agent":
        _resolve_role(doc, m, c, head, kb, day, clues, conf)
    elif not _resolve_named(doc, m, c, head, kb, clues, conf):
        return None
    m.code = actor_code(m.country, m.sector)
    return m


def _resolve_person(doc: Doc, m: ActorMention, c: Chunk, head: Unit, kb: ActorKB, day: str | None,
                    clues: Clues, conf: dict[str, float]) -> None:
    m.kind = "person"
    m.name = doc[head.start:head.end].text
    title_sector = clues.title_sector
    person = kb.choose_person(head.entries, day) if head.kind == "person" else None
    if person is not None:
        apply_person(m, person, day, c, title_sector, conf, clues.mod_country or clues.of_country)
        return
    m.country = clues.mod_country or clues.of_country or clues.loc_country
    if clues.mod_org is not None and title_sector is None:
        title_sector = _org_sector(kb, clues.mod_org, day)
    m.sector = "ELI" if c.former else title_sector
    m.confidence = conf["person_clue"] if (m.country or m.sector) else conf["person_no_clue"]
    m.gender = m.gender or kb.gender_of_name(m.name)


def _resolve_org(doc: Doc, m: ActorMention, c: Chunk, head: Unit, kb: ActorKB, day: str | None,
                 clues: Clues, conf: dict[str, float]) -> None:
    m.kind = "organization"
    m.name = doc[head.start:head.end].text
    mod_country, of_country = clues.mod_country, clues.of_country
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
        m.confidence = conf["kb_org"]
    else:
        m.country = head.country or mod_country or of_country or clues.loc_country
        m.sector = head.sector or clues.title_sector or None
        m.confidence = conf["named_org"]
    if c.former:
        m.sector = "ELI"


def _resolve_role(doc: Doc, m: ActorMention, c: Chunk, head: Unit, kb: ActorKB, day: str | None,
                  clues: Clues, conf: dict[str, float]) -> None:
    """A role noun: "the foreign minister", "Kremlin spokesman", "Iraqi troops"."""
    agent = _agent(kb, head)
    country = clues.mod_country or clues.of_country
    sector = clues.title_sector
    mod_org = clues.mod_org
    if mod_org is not None:
        org_sector = _org_sector(kb, mod_org, day)
        if clues.generic or sector is None:
            sector = org_sector or sector
        elif org_sector in ("REB", "PRM", "UAF", "CRM", "OPP", "SEP", "INS", "RAD"):
            sector = org_sector
        if mod_org.kind == "org" and not country:
            country = _country_of_unit(kb, mod_org, day)
    m.country = country or clues.loc_country
    m.sector = sector
    m.kind = _agent_kind(doc, c, agent)
    if c.former:
        m.sector = "ELI"
    m.confidence = conf["role_with_country"] if m.country else conf["role_without_country"]


def _resolve_named(doc: Doc, m: ActorMention, c: Chunk, head: Unit, kb: ActorKB, clues: Clues,
                   conf: dict[str, float]) -> bool:
    """A metonym, country, demonym or place head; False for any other."""
    if head.kind == "metonym":
        mt = kb.metonyms.get(head.ref)
        m.kind = "country"
        m.country = head.country
        m.sector = head.sector or None
        m.name = mt.phrase if mt else m.text
        if m.country in kb.countries and (mt is None or mt.kind == "capital"):
            m.name = kb.countries[m.country].name
        m.confidence = conf["metonym"]
    elif head.kind == "country":
        m.kind = "country"
        m.country = head.country
        m.name = kb.countries[m.country].name if m.country in kb.countries else m.text
        m.confidence = conf["country"]
    elif head.kind in ("adjective", "ethnic"):
        # a demonym as a noun: "Palestinians", "ordinary Kazakhs", "Two Russians"; the
        # first of two is the country: "Bosnian Serbs", "Iraqi Kurds"
        m.kind = "group"
        m.country = clues.mod_country or head.country
        m.sector = "CVL" if (c.quantified or c.indefinite or _has_adj_before(doc, c)) else None
        m.name = m.text
        m.confidence = conf["people"]
    elif head.kind == "place":
        m.country = head.country
        if head.feature in ("country", "admin1"):
            m.kind = "country"   # "Bosnia", "Scotland"
        else:
            m.kind = "group"     # a town's people: "Mariupol", "Sydney"
            m.sector = "CVL"
        m.confidence = conf["place"]
    else:
        return False
    return True


def _has_adj_before(doc: Doc, c: Chunk) -> bool:
    return any(t.lower_ not in DETERMINERS and t.is_alpha for t in doc[c.start:c.head.start])


def agent_kind(phrase: str, role: str = "", declared: str = "") -> str:
    """person | group | organization for a role noun: "leader" is one person, "police" a group."""
    if declared in ("person", "group", "organization"):
        return declared
    last = phrase.rsplit(" ", 1)[-1]
    if role:
        return "person"
    if last in INSTITUTIONS:
        return "organization"
    if last in COLLECTIVES:
        return "group"
    if last.endswith(COLLECTIVE_SUFFIXES) and last not in ("secretary", "emissary", "dignitary", "missionary",
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


def apply_person(m: ActorMention, person: Person, day: str, c: Chunk | None = None,
                 title_sector: str | None = None, conf: dict[str, float] = ACTOR_CONFIDENCE,
                 text_country: str | None = None) -> None:
    """Code a mention of a known person on ``day``.

    The rules (time, "former", a title in the text overriding the stored office, never mixing
    two sources in one code) live in the knowledge base's ``code_person``; its raw confidences
    are mapped to calibrated ones later (calibration.py)."""
    m.kb_id = person.id
    m.name = person.name
    m.gender = person.gender or m.gender
    pc = code_person(person, day, title_sector=title_sector, title_role=m.role, text_country=text_country,
                     former=bool(c is not None and c.former), then=bool(c is not None and c.then))
    m.country, m.sector, m.confidence = pc.country, pc.sector, pc.confidence
    m.role = pc.role


def actor_code(country: str | None, sector: str | None) -> str:
    return f"{country or ''}{sector or ''}"
