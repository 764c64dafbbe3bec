"""Step 4 of the actor stage: what each mention stands for (``refers_to``).

Repeated names and surnames, definite role phrases ("the Belarusian leader", "The
President") and he/she point back to the mention they stand for, with gender from the
knowledge base.
"""

from __future__ import annotations

from spacy.attrs import LOWER, TAG
from spacy.tokens import Doc

from ...kb._text import actor_key as canon
from ...kb.actors import (
    LEADER_ROLES,
    ActorKB,
    Person,
    other_office_fits,
)
from .._lexicon import HONORIFICS, PRONOUN_GENDER, SUBJECT_DEPS
from .._state import ActorMention
from .chunks import Chunk
from .resolution import ACTOR_CONFIDENCE, actor_code, apply_person
from .units import sent_of
from .words import FAMILY_FIRST, LEADER_NOUNS, PARTICLES

# How he/she picks its antecedent among the earlier person mentions: the best score wins (a
# distance penalty per character, bonuses and penalties below); named so that a run can vary
# them from the config (``components.communique_actors.pronoun_scores``).
PRONOUN_SCORES: dict[str, float] = {"max_distance": 400, "distance_scale": 40.0, "subject": 2.0,
                                    "same_sentence_non_subject": -1.0, "known_person": 0.5, "no_gender": -1.5}


# -- 4. coreference ------------------------------------------------------------------
def _link_person(m: ActorMention, person: Person, day: str, c: Chunk, confidence: float, i: int,
                 first_by_kb: dict[str, int], conf: dict[str, float]) -> None:
    """Code mention ``i`` as a known person found from a partial name (at most ``confidence``) and
    point it at the first mention of that person, or make it the first."""
    apply_person(m, person, day, c, m.sector, conf)
    m.confidence = min(m.confidence, confidence)
    m.code = actor_code(m.country, m.sector)
    if person.id in first_by_kb:
        m.refers_to = first_by_kb[person.id]
    else:
        first_by_kb[person.id] = i


# Long on purpose: one pass over the mentions in text order with the first-mention indexes in
# locals; each branch is one kind of mention and ends with continue.
def corefer(doc: Doc, mentions: list[ActorMention], chunks: list[Chunk], kb: ActorKB, day: str,
            conf: dict[str, float] = ACTOR_CONFIDENCE, pronoun_scores: dict[str, float] = PRONOUN_SCORES
            ) -> None:
    first_by_kb: dict[str, int] = {}
    first_by_name: dict[str, int] = {}
    # (start, end) -> _strip_title of that mention: the surname search below looks at every
    # earlier mention again for each later one
    stripped: dict[tuple[int, int], str] = {}
    for i, (m, c) in enumerate(zip(mentions, chunks, strict=True)):
        # the chunk an apposition stands next to, by identity (chunks are not hashable)
        j = next((k for k, other in enumerate(chunks) if other is c.appos), None) if c.appos is not None else None
        if j is not None:
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
            m.refers_to = _antecedent_for_pronoun(doc, mentions, i, pronoun_scores)
            if m.refers_to is not None:
                m.confidence = conf["pronoun_resolved"]
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
                name = stripped.get((prev.start, prev.end))
                if name is None:
                    name = stripped[(prev.start, prev.end)] = _strip_title(doc, prev)
                for pname in {ref.name, name}:
                    pwords = canon(pname).split(" ")
                    if len(pwords) > len(words) and (pwords[-len(words):] == words or pwords[:len(words)] == words
                                                     and len(words) == 1 and ref.country in FAMILY_FIRST):
                        ant = j
                        break
                if ant is not None:
                    break
            if ant is not None:
                m.refers_to = ant
                continue
            if len(words) == 1 or (len(words) == 2 and words[0] in PARTICLES):
                # A famous surname, alone or after a title: "Putin", "President Obama"
                person = kb.resolve_surname(words[-1], day)
                if person is not None and _fits(person, m, day):
                    _link_person(m, person, day, c, conf["surname"], i, first_by_kb, conf)
                    continue
                if person is None and m.country is None:
                    m.country = kb.surname_country(words[-1], day)
                    m.code = actor_code(m.country, m.sector)
            if m.kb_id is None and c.titles and (m.role or m.sector):
                # "President Reagan", "President Francois Mitterand" (sic)
                person = kb.resolve_titled([w for w in words if w not in PARTICLES], day, m.role, m.sector)
                if person is not None and _fits(person, m, day):
                    _link_person(m, person, day, c, conf["titled_surname"], i, first_by_kb, conf)
                    continue
            first_by_name.setdefault(key, i)
            continue
        if m.kind == "person" and m.kb_id is None and c.head is not None and c.head.kind == "agent" \
                and c.definite and not c.plural and not c.former and (
                    m.role or c.head.ref in LEADER_NOUNS or c.head.ref.rsplit(" ", 1)[-1] in LEADER_NOUNS):
            ant = _antecedent_for_role(mentions, i, c)
            if ant is not None:
                m.refers_to = ant


def _strip_title(doc: Doc, m: ActorMention) -> str:
    """The name words of a mention: "Mr. Viktor Yanukovich" -> "Viktor Yanukovich"."""
    words = [t for t in doc[m.start:m.end] if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in HONORIFICS]
    return " ".join(t.text for t in words)


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


def _antecedent_for_pronoun(doc: Doc, mentions: list[ActorMention], i: int,
                            w: dict[str, float] = PRONOUN_SCORES) -> int | None:
    m = mentions[i]
    tok = doc[m.start]
    sent_start = sent_of(doc, tok.i)[0]
    best: int | None = None
    best_score = -1e9
    for j in range(i - 1, -1, -1):
        prev = mentions[j]
        ref = prev.resolved(mentions)
        if prev.text.lower() in PRONOUN_GENDER and prev.refers_to is None:
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
        same_sentence = sent_of(doc, ptok.i)[0] == sent_start
        if same_sentence and ptok.head.i == tok.head.i and ptok.dep_ in SUBJECT_DEPS \
                and tok.dep_ in ("dobj", "pobj"):
            continue  # "Putin told him": not himself
        distance = m.start - prev.start
        if distance > w["max_distance"]:
            break
        score = -distance / w["distance_scale"]
        if ptok.dep_ in SUBJECT_DEPS:
            score += w["subject"]
        if same_sentence and ptok.dep_ not in SUBJECT_DEPS:
            score += w["same_sentence_non_subject"]
        if ref.kb_id:
            score += w["known_person"]
        if not ref.gender:
            score += w["no_gender"]
        if score > best_score:
            best_score, best = score, j
    if best is None:
        return None
    return mentions[best].refers_to if mentions[best].refers_to is not None else best


def add_pronouns(doc: Doc, chunks: list[Chunk]) -> None:
    taken = {i for c in chunks for i in range(c.start, c.end)}
    if not len(doc):
        return
    strings = doc.vocab.strings
    pronouns = {strings[p]: p for p in PRONOUN_GENDER}  # ids, so the scan reads an array
    prp = strings["PRP"]
    arr = doc.to_array([LOWER, TAG])
    for i, (low, tag) in enumerate(zip(arr[:, 0].tolist(), arr[:, 1].tolist(), strict=True)):
        if low in pronouns and tag == prp and i not in taken:
            chunks.append(Chunk(i, i + 1, [], pronoun=pronouns[low]))
    chunks.sort(key=lambda c: c.start)
