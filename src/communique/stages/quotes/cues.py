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
    kind: str                  # speech | write | belief | source
    content: tuple[str, ...]   # clause | object | to, in order of preference


@dataclass(frozen=True)
class Cues:
    verbs: dict[str, Cue]
    phrases: tuple[tuple[str, ...], ...]
    source_nouns: frozenset[str]
    boilerplate: frozenset[str]
    version: str
    # string ids of the cue lemmas and of the first words of phrase cues (for an array scan)
    ids: numpy.ndarray = field(default_factory=lambda: numpy.array([], dtype="uint64"), compare=False)


def get_cues() -> Cues:
    """The reporting-cue table (kb/data/cues.tsv), read and indexed (the quote component keeps it)."""
    table = read_table(data_path("cues.tsv"), required=("cue", "kind"))
    verbs: dict[str, Cue] = {}
    phrases: list[tuple[str, ...]] = []
    nouns: set[str] = set()
    boiler: set[str] = set()
    for _, r in table:
        cue, kind = r["cue"].lower(), r["kind"]
        if kind == "phrase":
            phrases.append(tuple(cue.split()))
        elif kind == "source_noun":
            nouns.add(cue)
        elif kind == "boilerplate":
            boiler.add(cue)
        elif cue not in verbs:
            cell = r.get("content", "").strip()
            content = () if cell == "-" else tuple(c.strip() for c in cell.split("|") if c.strip()) or ("clause",)
            verbs[cue] = Cue(cue, kind, content)
    words = set(verbs) | {p[0] for p in phrases}
    ids = numpy.array(sorted(get_string_id(w) for w in words), dtype="uint64")
    return Cues(verbs, tuple(sorted(phrases, key=len, reverse=True)), frozenset(nouns), frozenset(boiler),
                table.version, ids)
