"""The reporting-cue lexicon (``kb/data/cues.tsv``): speech, belief and source verbs, phrase cues,
source nouns and page furniture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy
from spacy.strings import get_string_id

from ...kb.tables import data_path, read_table


# -- the cue lexicon ------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    lemma: str
    kind: str                  # speech | write | belief | intent | stance | source | noun
    content: tuple[str, ...]   # clause | object | to | ..., in order of preference


@dataclass(frozen=True)
class Cues:
    verbs: dict[str, Cue]
    nouns: dict[str, Cue]      # nominal cues: "the claim that ...", "Trump's warning that ..."
    phrases: tuple[tuple[str, ...], ...]
    source_nouns: frozenset[str]
    boilerplate: frozenset[str]
    version: str
    # prepositions that make a source noun the source of their clause ("In this poll, Trump rose ...")
    source_preps: frozenset[str] = frozenset()
    # string ids of the cue lemmas and of the first words of phrase cues (for an array scan)
    ids: numpy.ndarray = field(default_factory=lambda: numpy.array([], dtype="uint64"), compare=False)


def get_cues() -> Cues:
    """The reporting-cue table (kb/data/cues.tsv), read and indexed (the quote component keeps it)."""
    table = read_table(data_path("cues.tsv"), required=("cue", "kind"))
    verbs: dict[str, Cue] = {}
    noun_cues: dict[str, Cue] = {}
    phrases: list[tuple[str, ...]] = []
    nouns: set[str] = set()
    boiler: set[str] = set()
    preps: set[str] = set()
    for _, r in table:
        cue, kind = r["cue"].lower(), r["kind"]
        if kind == "phrase":
            phrases.append(tuple(cue.split()))
        elif kind == "source_noun":
            nouns.add(cue)
        elif kind == "boilerplate":
            boiler.add(cue)
        elif kind == "source_prep":
            preps.add(cue)
        else:
            cell = r.get("content", "").strip()
            content = () if cell == "-" else tuple(c.strip() for c in cell.split("|") if c.strip()) or ("clause",)
            table_of = noun_cues if kind == "noun" else verbs
            if cue not in table_of:
                table_of[cue] = Cue(cue, kind, content)
    words = set(verbs) | set(noun_cues) | {p[0] for p in phrases} | preps
    ids = numpy.array(sorted(get_string_id(w) for w in words), dtype="uint64")
    return Cues(verbs, noun_cues, tuple(sorted(phrases, key=len, reverse=True)), frozenset(nouns), frozenset(boiler),
                table.version, ids=ids, source_preps=frozenset(preps))
