"""Word lists and patterns of the quote stage (those only this stage needs).
"""

from __future__ import annotations

import re

from ...kb.wordlists import load_word_lists

# The lists that are knowledge (word meanings, codes) are data: kb/data/stage_words.tsv.
_WORDS = load_word_lists()

NO_SPEAKER = _WORDS.words("quotes", "no_speaker")

LINK_GAP = {"", "that", ":", ",", "\u2014", "\u2013", "-", "--", ";"}

# A sentence ends at . ! ? (and any closing marks) followed by space and a capital,
# a digit or an opening mark; not after a title or an initial ("Mr. Smith", "J. Doe").
BREAK = re.compile(r"[.!?]+[\"'\u201d\u2019\u00bb)\]]*\s+(?=[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9])")

ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|St|Jr|Sr|Prof|Rev|Hon|No|"
                     r"Vol|Inc|Corp|Co|Ltd|Mt|Ft|Pres|Supt|Det|Insp|Const|Atty|Sept?|Jan|Feb|Mar|Apr|Jun|Jul|"
                     r"Aug|Oct|Nov|Dec|vs|etc|approx|U\.S|U\.K|U\.N|a\.m|p\.m|e\.g|i\.e)|\b[A-Z])$")

LABEL = re.compile(r"([A-Z][A-Z'\-.]+(?: [A-Z][A-Z'\-.]+){0,2}):[ \t]+(?=\S)")

FURNITURE = re.compile(r"\W*([A-Za-z][A-Za-z' ]{0,40}?)\s*[:|\u2014]")

WORD = re.compile(r"\w+")
TOPIC_PREPS = _WORDS.words("quotes", "topic_preps")

DASH_ATTR = re.compile(r"[ \t\u00a0]*([\u2014\u2015\u2013]|--?)[ \t\u00a0]*(?=[A-Z])")

# a title "Pat Caddell: ...", "Clinton camp: ...": a capitalised name, up to three more words
HEADLINE = re.compile(r"([A-Z][\w.'\u2019-]*(?: [A-Za-z][\w.'\u2019-]*){0,3}):\s+(?=\S)")

# "criticized the law as a failure", "likened RT to the BBC", "accused her of lying": the
# prepositions after an object that say what the object is said to be or to have done
OBJECT_PREDICATE_PREPS = frozenset({"as", "to", "of", "for"})

# the writer and the reader: "I think", "you know", "we want" outside quotes are no attribution
FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us"})

# the head of a headline's source before its colon ("Clinton camp: ...", "Trump aides: ...")
HEADLINE_GROUPS = frozenset({"camp", "campaign", "aide", "adviser", "advisor", "official", "source", "ally",
                             "spokesman", "spokeswoman", "spokesperson", "lawyer", "attorney", "team"})

# Penn tags of finite verbs: a stretch with one of them is a clause
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})

# the openings of an indirect question: "would not say whether ...", "declined to say why"
QUESTION_WORDS = frozenset({"whether", "if", "who", "whom", "whose", "what", "which", "when", "where", "why", "how"})
