"""Step 5: raw confidence of an event, a sum of named weights from the stage settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._lexicon import (
    SUBORDINATE_DEPS,
)
from .._state import DocState
from ..quote_events import QUOTE_ACT_CONFIDENCE
from .model import SEARCH_LIMITS, Coded, clause_head
from .participants import Part


def pair_confidence(conf: float, a: Part | None, b: Part | None, state: DocState, w: dict[str, float]) -> float:
    """The trigger's confidence adjusted for how well its participants are known (raw weights,
    named in the stage settings; calibration is issue 15's other part)."""
    p = conf
    if a is not None and a.actor is not None:
        p += w["source_with_country"] if state.actors[a.actor].resolved(state.actors).country \
            else w["source_without_country"]
    if b is not None and b.actor is not None:
        p += w["target_with_country"] if state.actors[b.actor].resolved(state.actors).country \
            else w["target_without_country"]
    if a is None:
        p += w["no_source"]
    return round(max(w["floor"], min(p, w["ceiling"])), 3)


def trigger_confidence(c: Coded, code: str, modality: str, negated: bool, reported: bool, noun: bool,
                w: dict[str, float], clause_climb: int = SEARCH_LIMITS["clause_climb"]) -> float:
    """The raw confidence of a trigger's reading: a sum of named weights (``CONFIDENCE_WEIGHTS``)."""
    rule, tok = c.rule, c.tok
    conf = w["base"]
    conf += min(rule.specificity, w["max_specificity"]) * w["per_specificity"]
    if rule.origin == "curated":
        conf += w["curated_rule"]
    elif rule.is_default:
        conf += w["default_rule"]
    if c.topic is not None:
        conf += w["frame_topic"]
    if code == "010" or (c.kind == "say" and code[:2] == "01"):
        conf += w["say"]
    elif c.kind == "say":
        # "X said that Y attacked Z": the accusation is what the sentence reports X doing, above
        # the reported act
        conf += w["accusation"]
    elif code[:2] == "01":
        conf += w["other_statement"]
    if noun:
        conf += w["noun_trigger"]
        if tok.dep_ == "pobj":
            conf += w["noun_in_pobj"]
    head = clause_head(tok, clause_climb)
    if head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT"):
        conf += w["main_clause"]
    elif head.dep_ in SUBORDINATE_DEPS:
        conf += w["subordinate_gerund"] if head.tag_ == "VBG" else w["subordinate"]
    if reported:
        conf += w["reported"]
    if negated:
        conf += w["negated"]
    if modality == "hypothetical":
        conf += w["hypothetical"]
    return conf


# Raw confidence weights, added up by ``trigger_confidence`` and ``pair_confidence``: named so that a
# run can vary them from the config (``components.communique_events.confidence``) and so that
# calibration can replace them.
CONFIDENCE_WEIGHTS: dict[str, float] = {
    "base": 0.5, "per_specificity": 0.012, "max_specificity": 8, "curated_rule": 0.04, "default_rule": -0.04,
    "frame_topic": 0.06, "say": -0.3, "accusation": 0.1, "other_statement": -0.08, "noun_trigger": -0.12, "noun_in_pobj": -0.05,
    "main_clause": 0.04, "subordinate_gerund": -0.12, "subordinate": -0.08, "reported": 0.05, "negated": -0.2,
    "hypothetical": -0.2, "source_with_country": 0.08, "source_without_country": 0.04,
    "target_with_country": 0.05, "target_without_country": 0.02, "no_source": -0.05, "floor": 0.05,
    "ceiling": 0.97,
}


@dataclass(frozen=True)
class EventSettings:
    """The event stage's tunables, from the component's config."""

    history_years: int = 25     # a clause dated this many years before the article is historical narrative
    confidence: dict[str, float] = field(default_factory=lambda: dict(CONFIDENCE_WEIGHTS))
    quote_confidence: dict[str, float] = field(default_factory=lambda: dict(QUOTE_ACT_CONFIDENCE))
    limits: dict[str, int] = field(default_factory=lambda: dict(SEARCH_LIMITS))
    # a material act's place abroad is its target when the text names none (roles.scene_target)
    scene_targets: bool = True
