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
    # regular inflections of the cue verbs -> their cue, for verb-tagged tokens the lemmatizer gets
    # wrong ("hopes" -> "hop"); string ids of those forms for the array scan
    forms: dict[str, str] = field(default_factory=dict, compare=False)
    form_ids: frozenset[int] = field(default_factory=frozenset, compare=False)


def inflections(lemma: str) -> set[str]:
    """The regular -s/-ed/-ing forms of a verb ("hope": hopes, hoped, hoping; "rely": relies, relied;
    "vet": vetted, vetting)."""
    out = {lemma + "s", lemma + "ed", lemma + "ing"}
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        out.add(lemma + "es")
    if lemma.endswith("e"):
        out |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in ("a", "e", "o", "u"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


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
    forms = {f: v for v in sorted(verbs) for f in sorted(inflections(v)) if f not in words}
    form_ids = frozenset(get_string_id(f) for f in forms)
    return Cues(verbs, noun_cues, tuple(sorted(phrases, key=len, reverse=True)), frozenset(nouns), frozenset(boiler),
                table.version, ids=ids, source_preps=frozenset(preps), forms=forms, form_ids=form_ids)
