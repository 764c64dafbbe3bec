"""Word lists of the event stage (closed-class English words only this stage needs).

Words shared with other stages live in ``stages/_lexicon.py``; the event lexicon (rules,
frames, word sets) lives in ``kb/data``.
"""

from __future__ import annotations

from ...kb.wordlists import load_word_lists

# The lists that are knowledge (word meanings, codes) are data: kb/data/stage_words.tsv.
_WORDS = load_word_lists()

TARGET_PREPS = ("with", "against", "on", "upon", "to", "at", "toward", "towards", "into", "over", "onto")

NOUN_TARGET_PREPS = ("with", "against", "on", "upon", "to", "toward", "towards", "into", "of", "for")
# prepositions of a verb's nominal object that name the event's target ("a ban on X", "sanctions against X")
NESTED_TARGET_PREPS = ("against", "on", "upon", "with", "to", "toward", "towards", "into")
# prepositions naming the recipient of a transfer; a named recipient beats an unnamed object group
RECIPIENT_PREPS = ("to", "toward", "towards")
# prepositions whose nominal object may belong to the target ("agreed to US mediation",
# "an investigation into crimes committed by X", "protested over Serbia's crackdown")
OWNER_PREPS = ("to", "into", "against", "on", "over", "with", "about", "of")
# a complement clause's subject is the target of these frames ("demanded that Iran stop ...")
ADDRESSED_KINDS = ("appeal", "demand", "threat")
CONDITION_MARKS = ("unless", "if")
HYPOTHETICAL_AUX = _WORDS.words("events", "hypothetical_aux")
INTENT_AUX = _WORDS.words("events", "intent_aux")

HYPO_MARKERS = ("god willing", "inshallah", "insha'allah", "if all goes well", "in theory")
PAIR_WORDS = _WORDS.words("events", "pair_words")

MEASURE = _WORDS.words("events", "measure")
PART_WORDS = _WORDS.words("events", "part_words")

DEONTIC = {"must": "demand", "should": "appeal", "ought": "appeal"}
PERFORMATIVE = _WORDS.words("events", "performative")
COMMIT = _WORDS.words("events", "commit")
OFFER = _WORDS.words("events", "offer")
WISH = _WORDS.words("events", "wish")
QUANTITY = _WORDS.words("events", "quantity")
MUTUAL_ROOTS = _WORDS.words("events", "mutual_roots")
INSTRUMENT = _WORDS.words("events", "instrument")
SCENE_ROOTS = _WORDS.words("events", "scene_roots")
SCENE_OBJECT_ROOTS = _WORDS.words("events", "scene_object_roots")
PROPOSAL_NOUNS = _WORDS.words("events", "proposal_nouns")
OWN_ASSETS = _WORDS.words("events", "own_assets")
DEPLOY_VERBS = _WORDS.words("events", "deploy_verbs")
SUBJECT_CONTROL = _WORDS.words("events", "subject_control")
ENABLE_VERBS = _WORDS.words("events", "enable_verbs")
STATIVE_PARTICIPLES = _WORDS.words("events", "stative_participles")
HELP_NOUNS = _WORDS.words("events", "help_nouns")
ACT_OF_NOUNS = _WORDS.words("events", "act_of_nouns")
FOIL_VERBS = _WORDS.words("events", "foil_verbs")
FAIL_VERBS = _WORDS.words("events", "fail_verbs")
ACCUSING_SAY = _WORDS.words("events", "accusing_say")
ATTEMPT_NOUNS = _WORDS.words("events", "attempt_nouns")
REASON_NOUNS = _WORDS.words("events", "reason_nouns")
OWN_POSS = ("its", "their", "our", "his", "her", "my")
ANAPHORIC_DETS = ("the", "this", "that", "these", "those")
# prepositions followed from a protest's reason or aim to whom it is against ("in protest against
# violations by X", "calling for independence from Y", "in defiance of Z")
REASON_PREPS = ("against", "of", "over", "at", "from", "by", "for", "on", "to", "with")
POLITICAL = _WORDS.words("events", "political")
