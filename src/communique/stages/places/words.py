"""Word lists of the place stage (closed-class words and name parts only this stage needs).
"""

from __future__ import annotations

from ...kb.wordlists import load_word_lists

# The lists that are knowledge (word meanings, codes) are data: kb/data/stage_words.tsv.
_WORDS = load_word_lists()

CONNECTORS = _WORDS.words("places", "connectors")
LOCATIVE = _WORDS.words("places", "locative")
LOC_PREPS = _WORDS.words("places", "loc_preps")
LOC_PREPS_WEAK = _WORDS.words("places", "loc_preps_weak")
ADMIN_WORDS = _WORDS.words("places", "admin_words")
CITY_WORDS = _WORDS.words("places", "city_words")
ORG_WORDS = _WORDS.words("places", "org_words")
NOT_PLACES = _WORDS.words("places", "not_places")
PHYSICAL = _WORDS.words("places", "physical")
AREA_MODIFIERS = _WORDS.words("places", "area_modifiers")
LANG_HEADS = _WORDS.words("places", "lang_heads")
COUNTY_WORDS = _WORDS.words("places", "county_words")
DIVISION_NOUNS = _WORDS.words("places", "division_nouns")
DISEASE_HEADS = _WORDS.words("places", "disease_heads")

NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT"}
