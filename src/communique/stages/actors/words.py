"""Word lists of the actor stage (closed classes of English that only this stage needs).

Words shared with other stages live in ``stages/_lexicon.py``; facts about the world (who
holds which office, which words name which country) live in ``kb/data``.
"""

from __future__ import annotations

from ...kb.wordlists import load_word_lists

# The lists that are knowledge (word meanings, codes) are data: kb/data/stage_words.tsv.
_WORDS = load_word_lists()

FORMER = _WORDS.words("actors", "former")
SPONSOR = _WORDS.words("actors", "sponsor")
SPONSOR_PREFIX = _WORDS.words("actors", "sponsor_prefix")
GENERIC_HEADS = _WORDS.words("actors", "generic_heads")
LOCATIVE = _WORDS.words("actors", "locative")
AGENTIVE_PREPS = _WORDS.words("actors", "agentive_preps")
NOT_PLACES = _WORDS.words("actors", "not_places")

NOT_NAME_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "GPE", "LOC", "FAC",
                  "NORP", "EVENT", "LAW", "LANGUAGE", "PRODUCT", "WORK_OF_ART"}

PREP_END = (" to", " for", " of", " in", " at", " on", " with")
ENVOYS = _WORDS.words("actors", "envoys")
SPEAKS_FOR = _WORDS.words("actors", "speaks_for")

# Titles as the agents table spells them -> the people tables' role vocabulary.
ROLE_SYNONYMS = {
    "Foreign Secretary": "Foreign Minister", "Secretary of State": "Foreign Minister",
    "Defence Secretary": "Defence Minister", "Defense Secretary": "Defence Minister",
    "Defense Minister": "Defence Minister", "Home Secretary": "Interior Minister",
    "Chancellor of the Exchequer": "Finance Minister", "Finance Secretary": "Finance Minister",
    "Premier": "Prime Minister", "PM": "Prime Minister", "Emir": "Monarch", "King": "Monarch",
    "Queen": "Monarch", "Sultan": "Monarch",
}
INSTITUTION_HEADS = _WORDS.words("actors", "institution_heads")
INSTITUTIONS = _WORDS.words("actors", "institutions")
COLLECTIVES = _WORDS.words("actors", "collectives")

COLLECTIVE_SUFFIXES = ("ment", "ry", "ity", "tion", "sion", "cy", "ship", "ure", "ism", "hood", "dom")
LEADER_NOUNS = _WORDS.words("actors", "leader_nouns")
FAMILY_FIRST = _WORDS.words("actors", "family_first")
FROM_PREPS = _WORDS.words("actors", "from_preps")
BASED_WORDS = _WORDS.words("actors", "based_words")
REGION_WORDS = _WORDS.words("actors", "region_words")
AGENT_COMPOUND_HEADS = _WORDS.words("actors", "agent_compound_heads")
PARTICLES = _WORDS.words("actors", "particles")
PERSON_VERBS = _WORDS.words("actors", "person_verbs")
