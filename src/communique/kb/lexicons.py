"""Word lists: the event verb lexicon and the tone lexicon."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import KnowledgeBaseError
from .tables import data_path, read_table


@dataclass(frozen=True)
class VerbPattern:
    verb: str
    objects: frozenset[str]   # required direct-object lemmas (empty: any)
    prep: str                 # preposition introducing the target ("" = direct object)
    code: str


@dataclass
class EventLexicon:
    patterns: dict[str, list[VerbPattern]] = field(default_factory=lambda: defaultdict(list))
    defaults: dict[str, str] = field(default_factory=dict)   # lemma -> code
    versions: dict[str, str] = field(default_factory=dict)

    def for_verb(self, lemma: str) -> list[VerbPattern]:
        return self.patterns.get(lemma, [])


def load_event_lexicon() -> EventLexicon:
    from .cameo import load_codebook

    codebook = load_codebook()
    lex = EventLexicon()
    verbs = read_table(data_path("event_verbs.tsv"), required=("lemma", "code"))
    for _, row in verbs:
        if row["code"] in codebook:
            lex.defaults[row["lemma"]] = row["code"]
    patterns = read_table(data_path("event_patterns.tsv"), required=("verb", "object", "prep", "code"))
    for lineno, row in patterns:
        if row["code"] not in codebook:
            raise KnowledgeBaseError(f"unknown CAMEO code {row['code']!r}", f"{patterns.path}:{lineno}",
                                     "use a code listed in kb/data/cameo.tsv")
        objects = frozenset(o.strip() for o in row["object"].split("|") if o.strip())
        lex.patterns[row["verb"]].append(VerbPattern(row["verb"], objects, row["prep"].strip(), row["code"]))
    lex.versions = {"event_verbs.tsv": verbs.version, "event_patterns.tsv": patterns.version}
    return lex


@dataclass
class ToneLexicon:
    valence: dict[str, float]
    version: str


def load_tone_lexicon() -> ToneLexicon:
    table = read_table(data_path("tone", "vader.tsv"), required=("token", "valence"))
    return ToneLexicon({row["token"].lower(): float(row["valence"]) for _, row in table}, table.version)
