"""ACLED event type and sub-event type of a coded event, from the mapping table ``acled.tsv``.

ACLED users filter on six event types and their 25 sub-event types (ACLED codebook);
CAMEO roots alone map onto them poorly (a CAMEO 19 "fight" may be a battle, an air strike
or a massacre of villagers). So the type is decided by ordered rules over three things a
coded event already has: its CAMEO code, the classes of its participants (state forces,
armed groups, protesters, rioters, civilians: ``acled_actors.tsv``) and words of its
sentence (weapons, "tear gas", "ceasefire"). The first rule whose conditions all hold
wins; ``rule`` in the output names it, so a user can see why. Rules and classes are data;
``kb/data/EVENTS.md`` ("ACLED types") documents them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeBaseError
from ..records import Acled, Event, Participant
from ._words import compile_words
from .tables import data_path, read_table

__all__ = ["ACLED_TYPES", "AcledTable", "acled_of", "get_acled_table", "load_acled_table"]

# The official ACLED event types and sub-event types (ACLED codebook, 2023).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
ARMED = ("state_force", "nonstate_armed")
# Events that did not happen as told are not ACLED events; an intention is one only when the code
# itself is the intent (CAMEO 03 "agree to a ceasefire" is an ACLED agreement).
_SKIP_MODALITY = {"intended", "hypothetical"}
_INTENT_ROOTS = ("03",)
_CODE = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class ActorClass:
    name: str
    sectors: frozenset[str]
    words: re.Pattern | None


@dataclass(frozen=True)
class Rule:
    name: str
    cameo: tuple[str, ...]          # code prefixes; empty = any
    source: str
    target: str
    words: re.Pattern | None
    also: re.Pattern | None
    unless: re.Pattern | None
    event_type: str
    sub_event_type: str


@dataclass
class AcledTable:
    rules: list[Rule]
    classes: list[ActorClass]
    versions: dict[str, str]

    def classes_of(self, p: Participant | None) -> frozenset[str]:
        """The actor classes of a participant: by a word of its name first, else by its sector."""
        if p is None:
            return frozenset()
        text = f"{p.name} {p.span.text}"
        for c in self.classes:
            if c.words is not None and c.words.search(text):
                out = {c.name}
                break
        else:
            out = {c.name for c in self.classes if p.sector and p.sector in c.sectors}
        if out & set(ARMED):
            out.add("armed")
        elif out or p.sector:
            out.add("other")      # people known not to be armed (a place or a thing has no sector)
        return frozenset(out)


def _check_side(value: str, classes: set[str], where: str) -> str:
    name = value[1:] if value.startswith("!") else value
    if value == "*" or name in classes or name in ("armed", "unarmed", "other"):
        return value
    raise KnowledgeBaseError(f"unknown actor class {value!r}", where,
                             f"use *, armed, unarmed, other or a class of acled_actors.tsv ({', '.join(sorted(classes))}),"
                             " optionally prefixed with !")


def load_acled_table(rules_path: str | Path | None = None, actors_path: str | Path | None = None) -> AcledTable:
    """Read and check ``acled_actors.tsv`` and ``acled.tsv`` (or the given files)."""
    apath = Path(actors_path) if actors_path else data_path("acled_actors.tsv")
    atable = read_table(apath, required=("class", "sectors", "words"))
    classes = []
    for lineno, row in atable:
        if not row["class"]:
            raise KnowledgeBaseError("empty class name", f"{apath}:{lineno}", "name the class in the first column")
        classes.append(ActorClass(row["class"], frozenset(s for s in row["sectors"].split(";") if s),
                                  compile_words(row["words"], f"{apath}:{lineno}")))
    names = {c.name for c in classes}
    missing = [c for c in ARMED if c not in names]
    if missing:
        raise KnowledgeBaseError(f"actor class(es) {', '.join(missing)} missing", str(apath),
                                 "define state_force and nonstate_armed: the rules' 'armed' means either")

    rpath = Path(rules_path) if rules_path else data_path("acled.tsv")
    rtable = read_table(rpath, required=("rule", "cameo", "source", "target", "words", "also", "unless",
                                         "event_type", "sub_event_type"))
    rules = []
    for lineno, row in rtable:
        where = f"{rpath}:{lineno}"
        etype, sub = row["event_type"], row["sub_event_type"]
        if etype not in ACLED_TYPES:
            raise KnowledgeBaseError(f"unknown ACLED event type {etype!r}", where,
                                     f"use one of: {'; '.join(ACLED_TYPES)}")
        if sub not in ACLED_TYPES[etype]:
            raise KnowledgeBaseError(f"{sub!r} is not a sub-event type of {etype!r}", where,
                                     f"use one of: {'; '.join(ACLED_TYPES[etype])}")
        codes = tuple(c.strip() for c in row["cameo"].split(";") if c.strip() and c.strip() != "*")
        bad = [c for c in codes if not _CODE.match(c)]
        if bad or not row["cameo"]:
            raise KnowledgeBaseError(f"bad CAMEO code prefix {', '.join(bad) or '(empty)'}", where,
                                     "write 2-4 digit CAMEO code prefixes separated by ';', or * for any code")
        rules.append(Rule(row["rule"] or f"line{lineno}", codes,
                          _check_side(row["source"] or "*", names, where),
                          _check_side(row["target"] or "*", names, where),
                          compile_words(row["words"], where), compile_words(row["also"], where),
                          compile_words(row["unless"], where), etype, sub))
    return AcledTable(rules, classes, {"acled.tsv": rtable.version, "acled_actors.tsv": atable.version})


@lru_cache(maxsize=1)
def get_acled_table() -> AcledTable:
    return load_acled_table()


def _side_ok(cond: str, classes: frozenset[str]) -> bool:
    if cond == "*":
        return True
    if cond == "unarmed":
        return "armed" not in classes
    if cond.startswith("!"):
        return cond[1:] not in classes
    return cond in classes


def acled_of(event: Event, sentence: str, table: AcledTable | None = None) -> Acled | None:
    """The ACLED type of ``event`` (whose sentence text is ``sentence``), or None when no rule applies."""
    if event.negated or (event.modality in _SKIP_MODALITY
                         and not (event.modality == "intended" and event.cameo.startswith(_INTENT_ROOTS))):
        return None
    table = table or get_acled_table()
    src = tgt = None
    for rule in table.rules:
        if rule.cameo and not event.cameo.startswith(rule.cameo):
            continue
        if rule.source != "*":
            src = table.classes_of(event.source) if src is None else src
            if not _side_ok(rule.source, src):
                continue
        if rule.target != "*":
            tgt = table.classes_of(event.target) if tgt is None else tgt
            if not _side_ok(rule.target, tgt):
                continue
        if rule.words is not None and not rule.words.search(sentence):
            continue
        if rule.also is not None and not rule.also.search(sentence):
            continue
        if rule.unless is not None and rule.unless.search(sentence):
            continue
        return Acled(event_type=rule.event_type, sub_event_type=rule.sub_event_type, rule=rule.name)
    return None
