"""Tense: whether the clause that governs a time expression looks back or ahead.

"June" in "we met in June" is the last June, in "will meet in June" the next one.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Span

# The word lists (future auxiliaries, plan/schedule/deadline verbs, reporting verbs) are knowledge:
# they live in kb/data/times.tsv (kind `tense`) and come in as ``words``, the vocabulary's
# ``Vocab.tense`` (list name -> words).
Words = Mapping[str, frozenset[str]]
# Walk limits, not tunables: a time expression's governing verb is at most this many heads up
# (deeper is a different clause), and an xcomp/conj chain of undecided verbs at most this long.
CLIMB_TO_VERB = 6
VERB_CHAIN = 3


def clause_direction(span: Span, words: Words, through_nouns: bool = False, present_ahead: bool = True) -> int:
    """-1 past, +1 future, 0 unknown, from the verb group that governs ``span``.

    A date that modifies a noun ("the Oct. 23 slaying", "the Jan. 14 deadline") takes
    no direction from a past-tense verb, as the event it dates need not be the verb's;
    ``through_nouns`` keeps it (weekdays: "said Wednesday's quake" is last Wednesday).
    ``present_ahead``: a present-tense verb other than a reporting verb looks ahead.
    """
    tok = span.root
    via_noun = False
    for _ in range(CLIMB_TO_VERB):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT" or tok.head is tok:
            break
        if tok is not span.root and tok.pos_ in ("NOUN", "PROPN") and not (span.start <= tok.i < span.end):
            via_noun = True
        tok = tok.head
    verb = tok
    if verb.pos_ not in ("VERB", "AUX"):
        return 0
    if verb.lemma_ in words["schedule"]:
        return 1
    root = span.root
    if verb.lemma_ in words["deadline"] and root.dep_ == "pobj" and root.head.lower_ in ("until", "till", "to"):
        return 1
    d = 0
    for _ in range(VERB_CHAIN):
        r = _verb_direction(verb, words, present_ahead)
        if r is not None:
            d = r
            break
        if verb.dep_ in ("xcomp", "conj") and verb.head is not verb and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
            continue
        break
    if via_noun and d < 0 and not through_nouns:
        return 0
    return d


def _verb_direction(verb, words: Words, present_ahead: bool) -> int | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lower = {a.lower_ for a in auxes}
    if lower & words["future_aux"]:
        return 1
    if verb.lower_ == "going" or "going" in lower:
        return 1
    if any(a.lower_ == "to" for a in auxes) and verb.dep_ == "xcomp":
        if verb.head.lemma_ in words["plan"]:
            head_past = verb.head.tag_ == "VBD" or any(
                a.tag_ == "VBD" for a in verb.head.children if a.dep_ in ("aux", "auxpass"))
            return 0 if head_past else 1   # "was expected to end on December 15": either side
        return None  # the head verb decides
    if "would" in lower:
        return 1 if verb.tag_ == "VB" else None
    if lower & {"could", "might", "may", "should", "must", "can"}:
        return 0
    if verb.tag_ == "VBN" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes) and \
            verb.lemma_ in words["plan"]:
        return 1   # "is expected on Friday"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return -1
    if any(a.lemma_ == "have" for a in auxes):
        return -1
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        return 1   # "is meeting on Friday": a plan
    if verb.tag_ in ("VBZ", "VBP"):
        return 1 if present_ahead and verb.lemma_ not in words["reporting"] else 0
    return None

