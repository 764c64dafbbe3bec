"""PLOVER modes and contexts of a coded event (PLOVER manual, Draft 0.8, 2021).

PLOVER splits CAMEO's hierarchy into event ("what"), mode ("how", a short list per event
type) and context ("why", one fixed list for every type). The CAMEO code already gives
one mode and context (``cameo.tsv``, from CAMEO2PLOVER); the words of the sentence give
the rest: "tear gas" is the ``crowd-control`` mode of an ASSAULT, "by phone" the ``phone``
mode of a CONSULT, "refugees" the ``migration`` context. Old names that CAMEO2PLOVER and
PLOVER 0.5 use (``massacre``, ``refugees``) are mapped to the manual's names; names the
manual lacks are dropped from the lists. The record's ``plover.mode`` keeps the CAMEO2PLOVER
mode unchanged, so existing filters on it still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeBaseError
from ..records import Event, Plover
from ._words import compile_words, first_words, lead_words
from .tables import data_path, read_table

__all__ = ["PLOVER_CONTEXTS", "PloverTables", "get_plover_tables", "load_plover_tables", "plover_of"]

# The general contexts of the manual ("Context codes that can be used with any category").
PLOVER_CONTEXTS = (
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights", "rights_freedoms",
    "repression", "human_security", "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic",
    "territory", "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource",
    "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime", "corruption",
    "illegal_drugs", "trafficking",
)
# The manual's auxiliary modes, which it asks coders to put in the context.
AUXILIARY = ("negation", "hypothetical", "future")
# Sectors of armed actors that are not a state military (the manual's "military" context excludes them).
_NOT_MILITARY = frozenset({"COP", "REB", "PRM", "UAF", "INS", "SEP", "CRM"})
# Types that already mean a future act; the manual asks for the single category, not category + future.
_INTENT_TYPES = frozenset({"AGREE", "THREATEN"})
# The event types of the manual (and communique's STATEMENT for CAMEO 01).
PLOVER_EVENTS = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                 "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "STATEMENT")


@dataclass(frozen=True)
class WordRule:
    name: str
    words: re.Pattern | None
    unless: re.Pattern | None
    first: tuple[str, ...] | None = None   # _words.first_words of the words: a cheap test before the regex
    lead: tuple[tuple[str, bool], ...] | None = None   # _words.lead_words of the words, for RuleSet

    def matches(self, text: str) -> bool:
        if self.words is None:
            return False
        if self.first is not None and text.isascii():
            low = text.lower()
            if not any(w in low for w in self.first):
                return False   # the regex would search the whole sentence to find nothing
        return self.regex_matches(text)

    def regex_matches(self, text: str) -> bool:
        """``matches`` without the shortcut (the caller has already ruled the text in)."""
        return (self.words is not None and self.words.search(text) is not None
                and (self.unless is None or self.unless.search(text) is None))


_WORD = re.compile(r"\w+")
_HEAD = re.compile(r"[a-z0-9_]*")   # the leading ASCII word characters of a lower-case stem


class RuleSet:
    """Word rules in table order, indexed by the words their items begin with, so that a sentence
    is split into words once and only the rules one of whose first words occurs in it run their
    regex (a sentence against some 40 context rules was most of the cost of describing events).

    Exactness: an item's regex starts ``(?<!\\w)stem`` (case-insensitive), so in an ASCII text a
    match starts a run of word characters that begins with the stem's leading word characters
    ``h``; unless the stem runs on (``protest*``, all word characters) that run *is* ``h`` (the
    stem is followed by a space, the end of the item or a non-word character). So a rule that
    matches has an item whose ``h`` is a word of the lower-cased text, or whose running-on stem
    occurs in it: the index only skips rules whose regex would find nothing. Texts that are not
    ASCII, and rules with a non-ASCII or non-word first character, always run the regex."""

    def __init__(self, rules: list[WordRule]):
        self.rules = list(rules)
        self.always: list[int] = []                 # rules the index cannot rule out
        self.exact: dict[str, list[int]] = {}        # word of the text -> rules it may start
        self.running: list[tuple[str, int]] = []     # (stem run on with '*', rule): substring test
        for k, rule in enumerate(self.rules):
            if rule.words is None:
                continue   # matches nothing
            if rule.lead is None:
                self.always.append(k)
                continue
            for stem, runs_on in rule.lead:
                head = _HEAD.match(stem).group()
                if not head:
                    self.always.append(k)
                    break
                if runs_on and head == stem:
                    self.running.append((stem, k))
                else:
                    self.exact.setdefault(head, []).append(k)

    def names(self, text: str) -> list[str]:
        """The names of the rules that match ``text``, in table order (as ``[r.name for r in
        rules if r.matches(text)]``)."""
        if not text.isascii():
            return [r.name for r in self.rules if r.matches(text)]
        low = text.lower()
        hit = set(self.always)
        exact = self.exact
        for w in set(_WORD.findall(low)):
            ks = exact.get(w)
            if ks is not None:
                hit.update(ks)
        for stem, k in self.running:
            if stem in low:
                hit.add(k)
        rules = self.rules
        return [rules[k].name for k in sorted(hit) if rules[k].regex_matches(text)]


@dataclass
class PloverTables:
    modes: dict[str, list[WordRule]]          # event type -> its mode rules, in table order
    mode_alias: dict[tuple[str, str], str]    # (event, legacy or manual mode) -> manual mode
    contexts: list[WordRule]
    context_alias: dict[str, str]             # legacy or manual context -> manual context
    cameo_contexts: dict[str, list[str]]      # CAMEO code -> contexts named in cameo.tsv
    versions: dict[str, str]
    # the same rules indexed by their first words (RuleSet), built from ``modes`` and ``contexts``
    mode_sets: dict[str, RuleSet] = field(init=False, repr=False)
    context_set: RuleSet = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.mode_sets = {kind: RuleSet(rules) for kind, rules in self.modes.items()}
        self.context_set = RuleSet(self.contexts)


def _names(cell: str) -> list[str]:
    return [x.strip() for x in re.split(r"[;,]", cell) if x.strip()]


def _lead(cell: str) -> tuple[tuple[str, bool], ...] | None:
    lead = lead_words(cell)
    return None if lead is None else tuple(lead)


def load_plover_tables(modes_path: str | Path | None = None, contexts_path: str | Path | None = None) -> PloverTables:
    """Read and check ``plover_modes.tsv``, ``plover_contexts.tsv`` and cameo.tsv's contexts."""
    mpath = Path(modes_path) if modes_path else data_path("plover_modes.tsv")
    mtable = read_table(mpath, required=("event", "mode", "words", "unless", "legacy"))
    modes: dict[str, list[WordRule]] = {}
    mode_alias: dict[tuple[str, str], str] = {}
    for lineno, row in mtable:
        where = f"{mpath}:{lineno}"
        if row["event"] not in PLOVER_EVENTS:
            raise KnowledgeBaseError(f"unknown PLOVER event type {row['event']!r}", where,
                                     f"use one of: {', '.join(PLOVER_EVENTS)}")
        if not row["mode"]:
            raise KnowledgeBaseError("empty mode", where, "name the mode in the second column")
        modes.setdefault(row["event"], []).append(
            WordRule(row["mode"], compile_words(row["words"], where), compile_words(row["unless"], where),
                     first_words(row["words"]), _lead(row["words"])))
        for name in [row["mode"], *_names(row["legacy"])]:
            mode_alias[(row["event"], name)] = row["mode"]

    cpath = Path(contexts_path) if contexts_path else data_path("plover_contexts.tsv")
    ctable = read_table(cpath, required=("context", "words", "unless", "legacy"))
    contexts = []
    context_alias: dict[str, str] = {}
    for lineno, row in ctable:
        where = f"{cpath}:{lineno}"
        if row["context"] not in PLOVER_CONTEXTS:
            raise KnowledgeBaseError(f"{row['context']!r} is not a context of the PLOVER manual", where,
                                     f"use one of: {', '.join(PLOVER_CONTEXTS)}")
        contexts.append(WordRule(row["context"], compile_words(row["words"], where),
                                 compile_words(row["unless"], where), first_words(row["words"]),
                                 _lead(row["words"])))
        for name in [row["context"], *_names(row["legacy"])]:
            context_alias[name] = row["context"]

    cameo = read_table(data_path("cameo.tsv"), required=("code", "plover_context"))
    cameo_contexts = {row["code"]: _names(row["plover_context"]) for _, row in cameo}
    return PloverTables(modes, mode_alias, contexts, context_alias, cameo_contexts,
                        {"plover_modes.tsv": mtable.version, "plover_contexts.tsv": ctable.version})


@lru_cache(maxsize=1)
def get_plover_tables() -> PloverTables:
    return load_plover_tables()


def _add(out: list[str], name: str | None) -> None:
    if name and name not in out:
        out.append(name)


def plover_of(event: Event, sentence: str, tables: PloverTables | None = None, memo: dict | None = None) -> Plover:
    """``event.plover`` with ``modes`` and ``contexts`` filled from its CAMEO code and ``sentence``.

    ``memo`` (a dict the caller keeps for one article) remembers which word rules a sentence
    matches, so the events of one sentence search it once: the rules are most of the cost."""
    t = tables or get_plover_tables()
    kind = event.plover.event
    memo = {} if memo is None else memo
    said = memo.get((kind, sentence))
    if said is None:
        rules = t.mode_sets.get(kind)
        said = memo[(kind, sentence)] = rules.names(sentence) if rules is not None else []
    worded = memo.get(sentence)
    if worded is None:
        worded = memo[sentence] = t.context_set.names(sentence)
    coded = t.mode_alias.get((kind, event.plover.mode or ""))
    modes: list[str] = []
    # The words beat the code: CAMEO 183 carries "suicide-attack" for any bombing, so when the
    # sentence names another mode of the type ("roadside bomb": explosives) but not the code's,
    # the code's mode is left out.
    if coded and (not said or coded in said):
        modes.append(coded)
    for name in said:
        _add(modes, name)
    contexts: list[str] = []
    sectors = {p.sector for p in (event.source, event.target) if p is not None}
    for name in t.cameo_contexts.get(event.cameo, ()):
        context = t.context_alias.get(name)
        # The manual's "military" covers state militaries only, not police, militias or rebels: a
        # CAMEO 19 code for those keeps the context only if the sentence names the military.
        if context == "military" and sectors & _NOT_MILITARY and "MIL" not in sectors:
            continue
        _add(contexts, context)
    for name in worded:
        _add(contexts, name)
    if event.negated:
        _add(contexts, "negation")
    elif event.modality == "hypothetical":
        _add(contexts, "hypothetical")
    elif event.modality == "intended" and kind not in _INTENT_TYPES:
        _add(contexts, "future")
    return event.plover.model_copy(update={"modes": modes, "contexts": contexts})
