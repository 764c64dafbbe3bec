"""Closed-class words and dependency labels shared by the stages.

These are facts of English grammar and of spaCy's label scheme, not knowledge about the world
(that lives in ``kb/data``): dependency label sets, pronouns with their person and gender,
negators, determiners and honorifics. Each set is defined once here so that the quote, place,
event and actor stages cannot drift apart; a stage that needs a narrower set builds it from
these by name.

Dependency labels are checked against ``spacy.symbols`` when this module is imported, so a
misspelt label (which would silently never match) fails at import.
"""

from __future__ import annotations

from spacy import symbols as _symbols

# Labels of spaCy's English (ClearNLP) parsers that ``spacy.symbols`` has no symbol for.
_LABELS_WITHOUT_SYMBOL = frozenset({"dative", "predet", "compound", "ROOT", "nummod"})


def _deps(*labels: str) -> frozenset[str]:
    """A set of dependency labels, each of which spaCy knows as a symbol (or the parser uses)."""
    unknown = [label for label in labels if label not in _symbols.IDS and label not in _LABELS_WITHOUT_SYMBOL]
    if unknown:  # a programming error in this module: fail loudly at import
        raise ValueError(f"not spaCy dependency labels: {', '.join(unknown)}")
    return frozenset(labels)


# -- dependency labels (ClearNLP scheme of spaCy's English pipelines) -----------------------
#: subjects, active and passive, nominal and clausal
SUBJECT_DEPS = _deps("nsubj", "nsubjpass", "csubj", "csubjpass")
#: nominal subjects only (a clause cannot be a speaker or an agent)
NOMINAL_SUBJECT_DEPS = _deps("nsubj", "nsubjpass")
OBJECT_DEPS = _deps("dobj", "attr", "oprd")
PREP_DEPS = _deps("prep", "agent", "dative")
COMPLEMENT_DEPS = _deps("xcomp", "ccomp")
#: dependents that open a clause of their own (an event's participants are not sought in them)
CLAUSAL_DEPS = _deps("relcl", "acl", "ccomp", "xcomp", "advcl", "conj", "cc", "punct", "appos", "parataxis",
                     "mark", "csubj")
#: clauses subordinate to another one
SUBORDINATE_DEPS = _deps("advcl", "relcl", "acl", "pcomp", "csubj", "csubjpass")

# -- pronouns --------------------------------------------------------------------------------
#: third-person singular personal pronouns and the gender they imply
PRONOUN_GENDER: dict[str, str] = {"he": "m", "him": "m", "she": "f", "her": "f"}
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
FIRST_PERSON_ALL = FIRST_PERSON | {"my", "our", "ours", "myself", "ourselves"}
SECOND_PERSON = frozenset({"you"})
SECOND_PERSON_ALL = SECOND_PERSON | {"your", "yours", "yourself", "yourselves"}
#: pronouns that can stand for a speaker ("he said", "we said")
SPEAKER_PRONOUNS = frozenset({"he", "she", "i", "we", "they", "you"})
#: pronouns that stand for a country or an organisation
NONPERSON_PRONOUNS = frozenset({"it", "they", "its", "their", "itself", "themselves", "them"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
POSSESSIVE_DETERMINERS = frozenset({"its", "their", "his", "her", "our", "my", "your"})
#: words that never name an actor by themselves (pronouns, demonstratives, quantifiers)
PRONOUN_LIKE = frozenset({
    "i", "we", "me", "us", "you", "he", "she", "him", "her", "it", "they", "them", "this", "that",
    "these", "those", "which", "who", "whom", "what", "one", "each", "other", "itself", "themselves",
    "himself", "herself", "everyone", "everybody", "someone", "somebody", "anyone", "nobody", "all",
    "both", "some", "any", "none", "many", "few", "its", "their", "his", "our", "my", "your"})

# -- negators --------------------------------------------------------------------------------
#: words that negate what follows them within a few words: "not good", "never agreed",
#: "without approval", "nothing to praise", "hardly acceptable", "neither fair nor ..."
#: (one set since issue 15; tone used to lack "nothing"/"hardly", quote acts "nor"/"neither")
NEGATORS = frozenset({"not", "n't", "no", "never", "nothing", "hardly", "without", "nor", "neither"})

# -- determiners -----------------------------------------------------------------------------
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
ARTICLES = frozenset({"the", "a", "an"})
#: what a place name is trimmed of ("the Hague" keeps its article only in the gazetteer)
PLAIN_DETERMINERS = ARTICLES | DEFINITE_DETERMINERS
QUANTIFIERS = frozenset({"some", "several", "many", "all", "both", "each", "every", "no", "any", "most", "few"})
#: everything that may open a noun phrase before an actor's name or role
DETERMINERS = PLAIN_DETERMINERS | POSSESSIVE_DETERMINERS | QUANTIFIERS

# -- honorifics ------------------------------------------------------------------------------
#: forms of address (lower case, without the full stop) and the gender they imply ("" unknown)
HONORIFICS: dict[str, str] = {
    "mr": "m", "mister": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "sir": "m",
    "dame": "f", "lord": "m", "lady": "f", "dr": "", "prof": "", "sheikh": "m", "sheik": "m", "mme": "f",
    "mlle": "f", "m": "m", "herr": "m", "frau": "f", "senor": "m", "senora": "f"}

__all__ = [
    "ARTICLES", "CLAUSAL_DEPS", "COMPLEMENT_DEPS", "DEFINITE_DETERMINERS", "DETERMINERS", "FIRST_PERSON",
    "FIRST_PERSON_ALL", "HONORIFICS", "NEGATORS", "NOMINAL_SUBJECT_DEPS", "NONPERSON_PRONOUNS", "OBJECT_DEPS",
    "PLAIN_DETERMINERS", "POSSESSIVE_DETERMINERS", "PREP_DEPS", "PRONOUN_GENDER", "PRONOUN_LIKE", "QUANTIFIERS",
    "RELATIVE_PRONOUNS", "SECOND_PERSON", "SECOND_PERSON_ALL", "SPEAKER_PRONOUNS", "SUBJECT_DEPS",
    "SUBORDINATE_DEPS",
]
