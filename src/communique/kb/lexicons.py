"""Word lists: the event pattern lexicon and the tone lexicon.

The event lexicon is five tables in ``kb/data`` (format in ``kb/data/EVENTS.md``):

* ``event_patterns.tsv``  verb rules: lemma [particle], a pattern over its dependents, a CAMEO code
* ``event_nouns.tsv``     the same for nouns and adjectives ("talks between", "ready to")
* ``event_frames.tsv``    how a frame verb (appeal, intend, demand, reject, threaten, halt)
                          combines with the code of its complement ("urged ... to withdraw" -> 0256)
* ``event_sets.tsv``      named word sets used in patterns (``@military``)
* ``event_discards.tsv``  phrases that mark a sentence or article as not codable (sports ...)

Patterns are parsed once here into ``Rule`` objects; matching them against a parse is
the event stage's job.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import KnowledgeBaseError
from .tables import data_path, read_table

KINDS = {"event", "say", "judge", "light", "aspect", "appeal", "intent", "demand", "reject", "threat",
         "posture", "halt"}
# Frames whose code depends on the complement's code (see event_frames.tsv).
FRAME_KINDS = {"appeal", "intent", "demand", "reject", "threat", "posture", "halt"}


@dataclass(frozen=True)
class Words:
    """What a dependent must be: one of ``lemmas``, or a multi-word phrase ending in its head.

    ``anywhere``: the words may occur anywhere in the dependent's phrase (``~@merit``),
    not only as its head.
    """

    lemmas: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    anywhere: bool = False
    any: bool = False          # no constraint on the word (``>`` alone, ``+`` alone)

    def heads(self) -> frozenset[str]:
        return self.lemmas | frozenset(p[-1] for p in self.phrases)


ANY = Words(any=True)


@dataclass(frozen=True)
class PrepSlot:
    prep: str                  # "with", "on", "against"; "" matches any preposition
    words: Words | None        # constraint on the prepositional object, None = any
    target: bool               # the prepositional object is the target


@dataclass(frozen=True)
class Rule:
    head: str                  # verb / noun / adjective lemma
    particle: str              # "" or a particle ("carry out" -> "out")
    obj: Words | None          # direct-object constraint
    obj_target: bool           # the direct object is the target ("+")
    obj_actor: bool            # ... and must be an actor ("+!")
    preps: tuple[PrepSlot, ...]
    comp: Words | None         # clausal complement (xcomp/ccomp) constraint (">")
    subj: Words | None         # subject (or adverb before the verb) constraint ("subj:@military", "adv:sharply")
    code: str                  # CAMEO code; "" = code nothing (a blocker)
    reverse: bool              # the event goes from the target to the subject ("<173")
    mirror: str                # code of a second event from the target back to the source
    kind: str
    standalone: bool           # nouns: may stand on their own as an event
    origin: str
    specificity: int
    line: str                  # "table:line" for messages

    @property
    def is_default(self) -> bool:
        """No condition on the dependents (a particle may still be part of the verb)."""
        return not (self.obj or self.obj_target or self.preps or self.comp or self.subj)


@dataclass
class EventLexicon:
    verbs: dict[str, list[Rule]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[Rule]] = field(default_factory=lambda: defaultdict(list))
    frames: dict[str, dict[str, str]] = field(default_factory=dict)   # frame -> topic prefix -> code
    sets: dict[str, Words] = field(default_factory=dict)
    discards: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)  # (words, kind, scope)
    discard_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def verb_default(self, lemma: str) -> str | None:
        """The code a verb has without any context, if any ("accuse" -> "112")."""
        for r in self.verbs.get(lemma, []):
            if r.is_default and not r.particle and r.code:
                return r.code
        return None

    @property
    def defaults(self) -> dict[str, str]:
        """Lemma -> context-free code, for every verb that has one."""
        out: dict[str, str] = {}
        for lemma in self.verbs:
            code = self.verb_default(lemma)
            if code:
                out[lemma] = code
        return out

    def frame_code(self, frame: str, topic: str) -> str | None:
        """Code of ``frame`` applied to a complement coded ``topic`` (longest prefix wins).

        ``None``: the frame has no reading for this topic; ``""``: code nothing.
        """
        table = self.frames.get(frame)
        if not table:
            return None
        for n in range(len(topic), 0, -1):
            code = table.get(topic[:n])
            if code is not None:
                return topic if code == "=" else code
        code = table.get("*")
        if code is not None and code.startswith("@"):
            return self.frame_code(code[1:], topic)
        return code


# -- the pattern mini-syntax ---------------------------------------------------------
_CODE = re.compile(r"^\d{2,4}$")


class PatternError(ValueError):
    pass


def _tokens(pattern: str) -> list[str]:
    """Split a pattern at spaces outside (...) and {...}."""
    out: list[str] = []
    buf, depth = "", 0
    for ch in pattern:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth = max(0, depth - 1)
        if ch.isspace() and depth == 0:
            if buf:
                out.append(buf)
            buf = ""
        else:
            buf += ch
    if buf:
        out.append(buf)
    return out


def _alternatives(text: str) -> list[str]:
    """Split ``a|{b c}|@d`` at bars outside braces."""
    out, buf, depth = [], "", 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch == "|" and depth == 0:
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out


def parse_words(text: str, sets: dict[str, Words]) -> Words:
    """``a|b|@set|{x y}`` (optionally prefixed ``~``) -> Words."""
    anywhere = text.startswith("~")
    text = text.lstrip("~")
    lemmas: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for part in _alternatives(text):
        part = part.strip()
        if not part:
            continue
        if part.startswith("@"):
            ref = sets.get(part[1:])
            if ref is None:
                raise PatternError(f"unknown word set {part!r}")
            lemmas |= ref.lemmas
            phrases.extend(ref.phrases)
        elif part.startswith("{"):
            words = tuple(w for w in part.strip("{}").lower().split() if w)
            if len(words) == 1:
                lemmas.add(words[0])
            elif words:
                phrases.append(words)
        else:
            words = tuple(part.lower().replace("_", " ").split())
            if len(words) == 1:
                lemmas.add(words[0])
            elif words:
                phrases.append(words)
    if not lemmas and not phrases:
        raise PatternError(f"empty word constraint {text!r}")
    return Words(frozenset(lemmas), tuple(phrases), anywhere)


def parse_rule(head: str, pattern: str, code: str, mirror: str, kind: str, sets: dict[str, Words],
               origin: str = "", standalone: bool = False, where: str = "") -> Rule:
    """One table row -> Rule. Raises PatternError with a readable message."""
    words = head.strip().lower().split()
    if not words:
        raise PatternError("empty head word")
    lemma, particle = words[0], " ".join(words[1:])
    obj: Words | None = None
    obj_target = obj_actor = False
    preps: list[PrepSlot] = []
    comp: Words | None = None
    subj: Words | None = None
    spec = 0
    for tok in _tokens(pattern.strip()):
        if tok in ("+", "+!"):
            obj_target, obj_actor = True, tok == "+!"
            spec += 1 if tok == "+!" else 0
        elif tok.startswith("("):
            inner = tok[1:-1].split()
            if not inner:
                raise PatternError("empty (...) group")
            prep, rest = inner[0].lower(), inner[1:]
            target = "+" in rest
            rest = [r for r in rest if r != "+"]
            w = parse_words(" ".join(rest), sets) if rest else None
            preps.append(PrepSlot("" if prep == "*" else prep, w, target))
            spec += 2 + (3 if w is not None else 0)
        elif tok.startswith(">"):
            comp = ANY if tok == ">" else parse_words(tok[1:], sets)
            spec += 2 if comp.any else 4
        elif tok.startswith("subj:") or tok.startswith("adv:"):
            subj = parse_words(tok.split(":", 1)[1], sets)
            spec += 3
        else:
            if obj is not None:
                raise PatternError(f"two object constraints in {pattern!r}")
            obj = parse_words(tok, sets)
            spec += (5 if not obj.anywhere else 4) + (1 if obj.phrases and not obj.lemmas else 0)
    if particle:
        spec += 1
    code = code.strip()
    reverse = code.startswith("<")
    code = code.lstrip("<")
    if code in ("-", "---"):
        code = ""
    if code and not _CODE.match(code):
        raise PatternError(f"bad CAMEO code {code!r}")
    mirror = mirror.strip()
    if mirror and not _CODE.match(mirror):
        raise PatternError(f"bad mirror code {mirror!r}")
    kind = (kind or "event").strip()
    if kind not in KINDS:
        raise PatternError(f"unknown kind {kind!r} (one of {', '.join(sorted(KINDS))})")
    return Rule(lemma, particle, obj, obj_target, obj_actor, tuple(preps), comp, subj, code, reverse,
                mirror, kind, standalone, origin, spec, where)


def _load_sets() -> tuple[dict[str, Words], str]:
    table = read_table(data_path("event_sets.tsv"), required=("set", "words"))
    sets: dict[str, Words] = {}
    for lineno, row in table:
        try:
            sets[row["set"]] = parse_words(row["words"], sets)
        except PatternError as err:
            raise KnowledgeBaseError(str(err), f"{table.path}:{lineno}",
                                     "write words separated by |, phrases in {braces}") from err
    return sets, table.version


def _load_rules(name: str, sets: dict[str, Words], codebook, nouns: bool) -> tuple[dict[str, list[Rule]], str]:
    key = "noun" if nouns else "verb"
    table = read_table(data_path(name), required=(key, "pattern", "code"))
    rules: dict[str, list[Rule]] = defaultdict(list)
    for lineno, row in table:
        where = f"{table.path}:{lineno}"
        try:
            rule = parse_rule(row[key], row["pattern"], row["code"], row.get("mirror", ""),
                              row.get("kind", ""), sets, row.get("origin", ""),
                              row.get("standalone", "").lower() in ("yes", "y", "1", "true"), where)
        except PatternError as err:
            raise KnowledgeBaseError(str(err), where, "see kb/data/EVENTS.md for the pattern syntax") from err
        for c in (rule.code, rule.mirror):
            if c and c not in codebook:
                raise KnowledgeBaseError(f"unknown CAMEO code {c!r}", where, "use a code listed in kb/data/cameo.tsv")
        rules[rule.head].append(rule)
    for lst in rules.values():
        lst.sort(key=lambda r: -r.specificity)
    return rules, table.version


def load_event_lexicon() -> EventLexicon:
    from .cameo import load_codebook

    codebook = load_codebook()
    lex = EventLexicon()
    lex.sets, v_sets = _load_sets()
    lex.verbs, v_verbs = _load_rules("event_patterns.tsv", lex.sets, codebook, nouns=False)
    lex.nouns, v_nouns = _load_rules("event_nouns.tsv", lex.sets, codebook, nouns=True)
    frames = read_table(data_path("event_frames.tsv"), required=("frame", "topic", "code"))
    for lineno, row in frames:
        code = row["code"].strip()
        code = "" if code in ("-", "---") else code
        if code and code != "=" and not code.startswith("@") and code not in codebook:
            raise KnowledgeBaseError(f"unknown CAMEO code {code!r}", f"{frames.path}:{lineno}",
                                     "use a code listed in kb/data/cameo.tsv, '=' or '-'")
        lex.frames.setdefault(row["frame"], {})[row["topic"].strip()] = code
    discards = read_table(data_path("event_discards.tsv"), required=("phrase", "kind", "scope"))
    for _, row in discards:
        words = tuple(re.findall(r"[\w'&.-]+", row["phrase"].lower()))
        if words:
            lex.discards.append((words, row["kind"], row["scope"]))
            lex.discard_first.setdefault(words[0], []).append(words)
    lex.versions = {"event_patterns.tsv": v_verbs, "event_nouns.tsv": v_nouns, "event_frames.tsv": frames.version,
                    "event_sets.tsv": v_sets, "event_discards.tsv": discards.version}
    return lex


@dataclass
class ToneLexicon:
    valence: dict[str, float]
    version: str


def load_tone_lexicon() -> ToneLexicon:
    table = read_table(data_path("tone", "vader.tsv"), required=("token", "valence"))
    return ToneLexicon({row["token"].lower(): float(row["valence"]) for _, row in table}, table.version)
