"""Quote stage: direct, mixed and indirect quotes, each with its speaker and reporting cue.

Direct quotes come from quote marks (``_quotemarks``). Each is attributed from
its own sentence frame (the text around it outside quote marks, up to the
sentence ends):

* a cue after it: ``"...," X said`` / ``"...," said X`` / ``"...," he added``,
  ``"...," according to X``;
* a cue before it: ``X said: "..."`` / ``X told reporters, "..."``;
* a colon with no cue: ``The statement read: "..."`` (nearest actor before it).

A quote that is part of a sentence (``X called the move "unacceptable"``,
``Her time has been "hard," she said``) becomes one *mixed* quote covering the
paraphrase. A quote with no attribution of its own takes the speaker of the
nearest preceding evidence within two paragraphs: the previous quote (the same
paragraph, a continued paragraph or the paragraph before), a reporting verb with
a subject ("The President emphasized that ... . '...'"), or the person the
sentence just before is about.

Indirect quotes are the complement of a reporting verb outside quote marks: its
clause ("X noted that ...", "..., X said"), object ("X expressed his belief in
...") or infinitive ("X vowed to ..."), as the cue table says; belief verbs
("X believes ...") and source verbs with a source noun ("a poll shows ...")
count too, as does "according to X, ...".

Speakers are actor mentions (``state.actors``), so "he" and "the Belarusian
leader" resolve through the actor stage's coreference; a subject no actor covers
("officials", "a source", "I") is kept as a text span. Everything here is
regex and walks over the parse: no model of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX, LEMMA, LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from ..kb.tables import data_path, read_table
from ._quotemarks import Region, find_regions, paragraphs
from ._state import DocState, QuoteMention, get_state

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_RELPRON = {"who", "that", "which", "whom"}
_NO_SPEAKER = {"this", "these", "those", "what", "there", "which", "that", "all", "both", "one", "some", "each",
               "nothing", "anything", "everything", "something"}
_PERSON_PRONOUNS = {"he", "she", "i", "we", "they", "you"}
_LINK_GAP = {"", "that", ":", ",", "\u2014", "\u2013", "-", "--", ";"}
# A sentence ends at . ! ? (and any closing marks) followed by space and a capital,
# a digit or an opening mark; not after a title or an initial ("Mr. Smith", "J. Doe").
_BREAK = re.compile(r"[.!?]+[\"'\u201d\u2019\u00bb)\]]*\s+(?=[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|St|Jr|Sr|Prof|Rev|Hon|No|"
                     r"Vol|Inc|Corp|Co|Ltd|Mt|Ft|Pres|Supt|Det|Insp|Const|Atty|Sept?|Jan|Feb|Mar|Apr|Jun|Jul|"
                     r"Aug|Oct|Nov|Dec|vs|etc|approx|U\.S|U\.K|U\.N|a\.m|p\.m|e\.g|i\.e)|\b[A-Z])$")
_LABEL = re.compile(r"([A-Z][A-Z'\-.]+(?: [A-Z][A-Z'\-.]+){0,2}):[ \t]+(?=\S)")
_FURNITURE = re.compile(r"\W*([A-Za-z][A-Za-z' ]{0,40}?)\s*[:|\u2014]")
_WORD = re.compile(r"\w+")
_TOPIC_PREPS = {"about", "of", "on", "against", "over", "regarding", "concerning"}
_DASH_ATTR = re.compile(r"[ \t\u00a0]*([\u2014\u2015\u2013]|--?)[ \t\u00a0]*(?=[A-Z])")


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

    def hashes(self) -> numpy.ndarray:
        """String ids of the cue lemmas and of the first words of phrase cues."""
        words = set(self.verbs) | {p[0] for p in self.phrases}
        return numpy.array(sorted(get_string_id(w) for w in words), dtype="uint64")


_CUES: Cues | None = None
_CUE_IDS: numpy.ndarray | None = None


def get_cues() -> Cues:
    """The reporting-cue table (kb/data/cues.tsv), read once per process."""
    global _CUES, _CUE_IDS
    if _CUES is None:
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
        _CUES = Cues(verbs, tuple(sorted(phrases, key=len, reverse=True)), frozenset(nouns), frozenset(boiler),
                     table.version)
        _CUE_IDS = _CUES.hashes()
    return _CUES


Speaker = tuple[int | None, tuple[int, int] | None]
_NOBODY: Speaker = (None, None)


def _has(sp: Speaker) -> bool:
    return sp[0] is not None or sp[1] is not None


@dataclass
class _Quote:
    """A quote being built: the mention plus the bookkeeping the passes need."""
    q: QuoteMention
    region: int | None = None      # index into _Ctx.speech
    attributed: bool = False       # speaker from its own frame (not carried)
    consumed: list[int] = field(default_factory=list)


# -- per-document context -------------------------------------------------------------
class _Ctx:
    def __init__(self, doc: Doc, state: DocState, cues: Cues):
        self.doc, self.state, self.cues = doc, state, cues
        self.text = text = state.text  # == doc.text (get_state), without joining the tokens again
        # token offsets and the tokens that may be cues, from arrays (no Token objects)
        arr = doc.to_array([IDX, LEMMA, LOWER]) if len(doc) else None
        self.starts: list[int] = arr[:, 0].tolist() if arr is not None else []
        self.cands: list[int] = []       # tokens whose lemma is a cue verb or opens a phrase cue
        self.lemmas: dict[int, str] = {}
        if arr is not None:
            keys = _CUE_IDS if cues is _CUES and _CUE_IDS is not None else cues.hashes()
            hit = numpy.isin(arr[:, 1], keys) | numpy.isin(arr[:, 2], keys)
            self.cands = numpy.nonzero(hit)[0].tolist()
            for i in self.cands:
                self.lemmas[i] = doc[i].lemma_.lower()
        regions, self.warnings = find_regions(text)
        self.paras = paragraphs(text) or [(0, len(text))]
        self.para_starts = [s for s, _ in self.paras]
        doubles = [r for r in regions if r.double]
        # Single marks quote speech only where they are not inside a double quote
        # (there they are a quote within the quote).
        d_opens = [d.open for d in doubles]

        def nested(r: Region) -> bool:
            k = bisect_left(d_opens, r.open) - 1
            return k >= 0 and r.open < doubles[k].after

        singles = [r for r in regions if not r.double and not nested(r)]
        self.single_primary = not any(len(text[r.start:r.end].split()) >= 4 for r in doubles)
        self.speech: list[Region] = sorted(doubles + singles, key=lambda r: r.open)
        self.opens = [r.open for r in self.speech]
        # token -> index of the speech region holding it (-1: outside)
        self.tok_region = [-1] * len(doc)
        for ri, r in enumerate(self.speech):
            hi = r.after
            for i in range(bisect_left(self.starts, r.open), bisect_left(self.starts, hi)):
                self.tok_region[i] = ri
        # per paragraph: a title, caption or page furniture (no speaker evidence there)
        self.minor = [_is_heading(text, pr) or self.is_boilerplate(pr[0]) for pr in self.paras]
        # per token: inside parentheses ("(Evan Vucci/Associated Press)")
        self.tok_paren = [False] * len(doc)
        depth, pi = 0, 0
        for i, start in enumerate(self.starts):
            while pi + 1 < len(self.paras) and start >= self.paras[pi + 1][0]:
                pi, depth = pi + 1, 0
            ch = text[start]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(0, depth - 1)
            self.tok_paren[i] = depth > 0
        self.used_cues: set[int] = set()
        self.quoted_spans: list[tuple[int, int]] = []   # direct and mixed quotes found, in order
        self.quoted_starts: list[int] = []
        self.mixed_cues: set[int] = set()   # cues whose paraphrase is already a mixed quote
        self._labels: dict[str, int] | None = None
        self.consumed: set[int] = set()

    # positions ------------------------------------------------------------------
    def is_boilerplate(self, para_start: int) -> bool:
        """A paragraph opening with page furniture ("READ MORE:", "WATCH BELOW:")."""
        m = _FURNITURE.match(self.text, para_start)
        return bool(m) and self.is_furniture(m.group(1))

    def is_furniture(self, phrase: str) -> bool:
        words = phrase.lower().split()
        if not words:
            return False
        return " ".join(words) in self.cues.boilerplate or phrase.isupper() and words[0] in self.cues.boilerplate

    def label_counts(self) -> dict[str, int]:
        if self._labels is None:
            self._labels = {}
            for ps, pe in self.paras:
                m = _LABEL.match(self.text, ps + (1 if self.text[ps] in "\"\u201c\u00ab'" else 0), pe)
                if m:
                    self._labels[m.group(1)] = self._labels.get(m.group(1), 0) + 1
        return self._labels

    def para_of(self, char: int) -> int:
        return max(0, bisect_right(self.para_starts, char) - 1)

    def toks(self, a: int, b: int) -> range:
        """Tokens starting in [a, b)."""
        return range(bisect_left(self.starts, a), bisect_left(self.starts, b))

    def region_at(self, char: int) -> int:
        """Index of the speech region holding ``char`` (marks included), else -1. Speech
        regions do not overlap (singles inside doubles are dropped), so the last one
        opening before ``char`` is the only candidate."""
        i = bisect_right(self.opens, char) - 1
        if i >= 0 and char < self.speech[i].after:
            return i
        return -1

    def in_quoted(self, char: int) -> bool:
        """Inside a direct or mixed quote already found."""
        k = bisect_right(self.quoted_starts, char) - 1
        return k >= 0 and char < self.quoted_spans[k][1]

    def in_speech(self, char: int) -> bool:
        return self.region_at(char) >= 0

    def sentence_start(self, lower: int, pos: int) -> int:
        """Start of the sentence holding ``pos``, not before ``lower``, outside quotes."""
        best = lower
        for m in _BREAK.finditer(self.text, lower, min(len(self.text), pos + 3)):
            if m.end() > pos:
                break
            if self._real_break(m.start()) and not self.in_speech(m.start()):
                best = m.end()
        return best

    def sentence_end(self, pos: int, upper: int) -> int:
        """Offset of the punctuation that ends the sentence from ``pos`` (or ``upper``)."""
        for m in _BREAK.finditer(self.text, pos, min(len(self.text), upper + 3)):
            if m.start() >= upper:
                break
            if self._real_break(m.start()) and not self.in_speech(m.start()):
                return m.start()
        end = upper
        while end > pos and self.text[end - 1] in " \n\t.!?":
            end -= 1
        return end

    def _real_break(self, at: int) -> bool:
        if self.text[at] != ".":
            return True
        return not _ABBREV.search(self.text, max(0, at - 8), at)

    # cues -----------------------------------------------------------------------
    def cue_at(self, i: int, speech_only: bool = True) -> Cue | None:
        tok = self.doc[i]
        cue = self.cues.verbs.get(self.lemmas.get(i, ""))
        if cue is None or tok.pos_ not in ("VERB", "AUX") and not (tok.tag_.startswith("VB") and tok.pos_ != "ADJ"):
            return None
        if speech_only and cue.kind not in ("speech", "write"):
            return None
        if cue.kind == "source":
            subj = next((c for c in tok.children if c.dep_ in _SUBJ), None)
            if subj is None or subj.lemma_.lower() not in self.cues.source_nouns:
                return None
        lemma = cue.lemma
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
            return None
        if lemma == "call" and (tok.dep_ in ("acl", "amod") or i > 0 and self.doc[i - 1].lower_ in ("so", "-")):
            return None  # "a group called X", "so-called"
        if tok.dep_ == "amod":
            return None
        return cue

    def phrase_at(self, i: int) -> int:
        """Length in tokens of a phrase cue ("according to") starting at token i, else 0."""
        for words in self.cues.phrases:
            n = len(words)
            if i + n <= len(self.doc) and all(self.doc[i + k].lower_ == w for k, w in enumerate(words)):
                return n
        return 0

    # speakers -------------------------------------------------------------------
    def subject(self, cue: Token, inverted_ok: bool = False, window: tuple[int, int] | None = None
                ) -> Token | None:
        """The subject of a reporting verb; with ``window``, only a subject inside it (the
        parse of a sentence around a quote often attaches words from outside)."""
        def inside(t: Token) -> bool:
            return window is None or window[0] <= t.idx < window[1]

        for c in cue.children:
            if c.dep_ in _SUBJ:
                return c if inside(c) else None
        if inverted_ok:
            # '"...," said Smith': the inverted subject is often parsed as an object
            for c in cue.children:
                if c.i > cue.i and c.dep_ in ("dobj", "attr", "npadvmod", "appos", "dep", "oprd", "nsubj",
                                              "dative", "advmod") \
                        and c.pos_ in ("PROPN", "NOUN", "PRON") and self.tok_region[c.i] < 0 and inside(c):
                    return c
            j = cue.i + 1
            if j < len(self.doc) and self.doc[j].pos_ in ("PROPN", "NOUN") and self.tok_region[j] < 0 \
                    and inside(self.doc[j]):
                return self.doc[j]
        head = cue
        for _ in range(4):
            if head.dep_ == "relcl" and head.head is not head:
                return head.head if inside(head.head) else None   # "Smith, who said ..."
            if head.dep_ in ("conj", "xcomp", "advcl", "acl", "pcomp") and head.head is not head:
                head = head.head
                for c in head.children:
                    if c.dep_ in _SUBJ:
                        return c if inside(c) else None
                if head.pos_ in ("NOUN", "PROPN") and head.dep_ != "ROOT":
                    # "a statement saying ...", "the ministry, saying ...", not "evidence to suggest"
                    if cue.tag_ == "VBG" and inside(head) and (head.i in self.state.token_actor or
                                                               head.lemma_.lower() in self.cues.source_nouns):
                        return head
                    return None
                continue
            break
        return None

    def mention(self, tok: Token) -> Speaker:
        """The speaker a subject token names: an actor mention, else a text span."""
        if tok.lower_ in _RELPRON and tok.head.dep_ == "relcl":
            tok = tok.head.head
        low = tok.lower_
        if low in _NO_SPEAKER or tok.pos_ in ("VERB", "AUX", "ADP", "NUM") or tok.is_punct:
            return _NOBODY
        ta = self.state.token_actor
        if tok.i in ta:
            return ta[tok.i], None
        # the noun phrase core: its left part, then appositions ("a spokesperson, Jane Doe")
        for t in range(tok.i - 1, tok.left_edge.i - 1, -1):
            if t in ta and self.doc[t].dep_ in ("compound", "flat", "poss", "nmod", "amod", "appos"):
                return ta[t], None
        for c in tok.children:
            if c.dep_ == "appos" and c.i in ta:
                return ta[c.i], None
        # a coordinated or apposed title: "city councillor and tenants advocate Josh Matlow"
        lo, hi = tok.left_edge.i, tok.right_edge.i
        if hi - lo <= 10:
            actors = self.state.actors
            for t in range(lo, hi + 1):
                if t in ta and actors[ta[t]].resolved(actors).kind == "person" and \
                        self.doc[t].dep_ not in ("pobj", "poss") and self.doc[t].head.dep_ != "prep":
                    return ta[t], None
        if tok.pos_ == "PRON" and low not in _PERSON_PRONOUNS and low not in ("it", "someone", "everyone",
                                                                               "anyone", "nobody", "many", "others"):
            return _NOBODY
        left = max(tok.left_edge.i, tok.i - 6)
        right = tok.i
        # keep short post-modifiers ("a spokesperson for the camp", "officials in Ottawa")
        redge = tok.right_edge.i
        if redge > tok.i and redge - left <= 8 and not any(self.doc[k].is_punct or self.doc[k].dep_ == "relcl"
                                                             for k in range(tok.i + 1, redge + 1)):
            right = redge
        while left < right and (self.doc[left].is_punct or self.tok_region[left] >= 0):
            left += 1
        span = self.doc[left:right + 1]
        if not span.text.strip():
            return _NOBODY
        return None, (span.start_char, span.end_char)

    def speaker_of(self, cue: Token, inverted_ok: bool = False, window: tuple[int, int] | None = None
                   ) -> Speaker:
        subj = self.subject(cue, inverted_ok, window)
        if subj is None:
            if cue.dep_ in ("ROOT", "ccomp", "conj") and not any(c.dep_ == "auxpass" for c in cue.children):
                # a misparsed subject ("councillor and tenants advocate Josh Matlow told ..."):
                # the person named just before the verb
                ta, actors = self.state.token_actor, self.state.actors
                sent_start = cue.sent.start
                for t in range(cue.i - 1, max(sent_start, cue.i - 5) - 1, -1):
                    if self.tok_region[t] >= 0 or self.doc[t].is_punct:
                        break
                    if t in ta and actors[ta[t]].resolved(actors).kind == "person" and \
                            (window is None or window[0] <= self.doc[t].idx < window[1]):
                        return ta[t], None
            return _NOBODY
        if subj.lower_ == "it" and any(c.dep_ == "auxpass" for c in cue.children):
            return _NOBODY  # "it was reported that"
        return self.mention(subj)

    def addressee_of(self, cue: Token) -> int | None:
        ta = self.state.token_actor
        for c in cue.children:
            if c.dep_ in ("dative", "dobj") and c.i in ta and self.lemmas.get(cue.i) in ("tell", "assure", "inform",
                                                                                     "urge", "ask", "remind",
                                                                                     "warn", "advise"):
                return ta[c.i]
            if c.dep_ == "prep" and c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj" and g.i in ta:
                        return ta[g.i]
        return None


# -- direct quotes --------------------------------------------------------------------
def _gap(text: str, a: int, b: int) -> str:
    return " ".join(text[a:b].split())


def _trim(text: str, start: int, end: int, lead: str = " ,:;\u2014\u2013-\n") -> tuple[int, int]:
    while start < end and (text[start] in lead or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in " ,:;.\u2014\u2013-\n" or text[end - 1].isspace()):
        end -= 1
    return start, end


def _strip_that(ctx: _Ctx, start: int, end: int) -> int:
    """Skip a complementiser "that" (not the determiner of "that claim") or a colon."""
    m = re.match(r"(?:that|:|,)\s+", ctx.text[start:end])
    if m is None:
        return start
    if ctx.text[start] == "t":
        i = bisect_left(ctx.starts, start)
        if i < len(ctx.doc) and ctx.starts[i] == start and ctx.doc[i].dep_ != "mark":
            return start
    return start + m.end()


class _Attribution:
    __slots__ = ("speaker", "cue", "cue_tok", "mode", "addressee")

    def __init__(self, speaker: Speaker, cue: tuple[int, int] | None, cue_tok: int | None, mode: str,
                 addressee: int | None = None):
        self.speaker, self.cue, self.cue_tok, self.mode, self.addressee = speaker, cue, cue_tok, mode, addressee


def _find_after(ctx: _Ctx, r: Region, window: tuple[int, int]) -> _Attribution | None:
    """'"...," X said' / '"...," said X' / '"...," according to X'."""
    text = ctx.text
    a, b = window
    rng = ctx.toks(a, b)
    if len(rng) == 0:
        return None
    content = text[r.start:r.end].rstrip()
    dash = _DASH_ATTR.match(text, a, b)
    if dash is not None:
        # '"...." ― Sonya Herridge': a byline-style attribution after a dash
        ta = ctx.state.token_actor
        name = ctx.toks(dash.end(), b)
        if 0 < len(name) <= 8:
            idx = next((ta[i] for i in name if i in ta), None)
            if idx is not None:
                return _Attribution((idx, None), (dash.start(1), dash.end(1)), None, "after")
            comma = text.find(",", dash.end(), b)
            s_, e_ = _trim(text, dash.end(), comma if comma >= 0 else b)
            if e_ > s_:
                return _Attribution((None, (s_, e_)), (dash.start(1), dash.end(1)), None, "after")
    tail = text[a:b].lstrip(" ,\u2014\u2013-")
    if not tail:
        return None
    if content[-1:] in (".", "!", "?", "\u2026") and not tail[0].islower() and len(rng) > 6:
        return None  # the quote ended its sentence; what follows is a new one
    # the attribution starts with its subject, its verb or "according to"; anything else
    # ('"very committed" to hearing what she had to say') means the sentence goes on
    first = next((ctx.doc[i] for i in rng if not ctx.doc[i].is_punct), None)
    if first is None or not (ctx.phrase_at(first.i) or first.pos_ in ("VERB", "AUX") and ctx.cue_at(first.i)
                             or first.pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "ADV")):
        return None
    for n, i in enumerate(rng):
        if n > 30 or ctx.tok_region[i] >= 0:
            break
        plen = ctx.phrase_at(i)
        if plen:
            j = i + plen
            if j < len(ctx.doc):
                agent = ctx.doc[j]
                pobj = [c for c in ctx.doc[i + plen - 1].children if c.dep_ == "pobj"]
                agent = pobj[0] if pobj else agent
                sp = ctx.mention(agent)
                if _has(sp):
                    end_tok = ctx.doc[i + plen - 1]
                    return _Attribution(sp, (ctx.doc[i].idx, end_tok.idx + len(end_tok.text)), i, "after")
        if ctx.cue_at(i) is None:
            continue
        tok = ctx.doc[i]
        sp = ctx.speaker_of(tok, inverted_ok=True, window=window)
        if not _has(sp):
            # no subject in the parse: the actor nearest the cue in the window, before it
            # ('", Harry Kazianis, director of ..., said') or right after it ('", said Smith')
            ta = ctx.state.token_actor
            before_cue = [k for k in range(rng.start, i) if k in ta]
            after_cue = [k for k in range(i + 1, min(rng.stop, i + 4)) if k in ta]
            if before_cue:
                sp = (ta[before_cue[0]], None)
            elif after_cue:
                sp = (ta[after_cue[0]], None)
        if not _has(sp):
            continue
        return _Attribution(sp, (tok.idx, tok.idx + len(tok.text)), i, "after", ctx.addressee_of(tok))
    return None


def _find_before(ctx: _Ctx, r: Region, window: tuple[int, int]) -> _Attribution | None:
    """'X said: "..."' and 'X said the move was "..."' (the last cue before the mark)."""
    a, b = window
    rng = ctx.toks(a, b)
    for i in reversed(rng):
        if ctx.tok_region[i] >= 0:
            continue
        tok = ctx.doc[i]
        if tok.lower_ == "according" and ctx.phrase_at(i):
            pobj = [c for c in ctx.doc[i + 1].children if c.dep_ == "pobj"] if i + 1 < len(ctx.doc) else []
            sp = ctx.mention(pobj[0]) if pobj else _NOBODY
            if _has(sp):
                return _Attribution(sp, (tok.idx, ctx.doc[i + 1].idx + len(ctx.doc[i + 1].text)), i, "before")
            continue
        if ctx.cue_at(i) is None:
            continue
        sp = ctx.speaker_of(tok, window=window)
        if not _has(sp):
            continue
        return _Attribution(sp, (tok.idx, tok.idx + len(tok.text)), i, "before", ctx.addressee_of(tok))
    return None


def _find_colon(ctx: _Ctx, window: tuple[int, int]) -> _Attribution | None:
    """'The statement read: "..."', 'PENCE: "..."': the nearest actor before a colon."""
    a, b = window
    if not ctx.text[a:b].rstrip().endswith(":"):
        return None
    ta = ctx.state.token_actor
    for i in reversed(ctx.toks(a, b)):
        if i in ta and ctx.tok_region[i] < 0:
            return _Attribution((ta[i], None), None, None, "colon")
    rng = ctx.toks(a, b)
    if 0 < len(rng) <= 4:
        s, e = _trim(ctx.text, a, b)
        if e > s:
            return _Attribution((None, (s, e)), None, None, "colon")
    return None


def _direct(ctx: _Ctx) -> list[_Quote]:
    text = ctx.text
    out: list[_Quote] = []
    n = len(ctx.speech)
    for ri, r in enumerate(ctx.speech):
        if ri in ctx.consumed:
            continue
        content = text[r.start:r.end]
        words = len(content.split())
        pi = ctx.para_of(r.open)
        ps, pe = ctx.paras[pi]
        if ctx.is_boilerplate(ps):
            continue
        prev = ctx.speech[ri - 1] if ri > 0 else None
        lower = ps
        if prev is not None and prev.after <= r.open and prev.after > ps:
            lower = prev.after
        b_start = ctx.sentence_start(lower, r.open)
        before = (b_start, r.open)
        att: _Attribution | None = None
        after: tuple[int, int] | None = None
        if r.close is not None:
            pa = ctx.para_of(r.after)
            upper = ctx.paras[pa][1]
            nxt = ctx.speech[ri + 1].open if ri + 1 < n else len(text)
            a_end = ctx.sentence_end(r.after, min(upper, nxt) if nxt >= r.after else upper)
            after = (r.after, a_end)
            att = _find_after(ctx, r, after)
        if att is None:
            att = _find_before(ctx, r, before)
        if att is None:
            att = _find_colon(ctx, before)
        if not r.double and (att is None or att.mode == "colon") and not ctx.single_primary:
            continue  # single marks in a double-quote article: a title or a scare quote
        gap_before = _gap(text, b_start, r.open)
        q = QuoteMention(r.start, r.end, "direct")
        item = _Quote(q, ri)
        label = _label(ctx, r.start, r.end)
        if label is not None:
            # a transcript turn inside quote marks: '"PENCE: Well, look, ...'
            q.char_start, att = label
        if att is not None:
            q.speaker, q.speaker_text_span = att.speaker
            q.cue, q.cue_token, q.addressee = att.cue, att.cue_tok, att.addressee
            item.attributed = True
            if att.cue_tok is not None:
                ctx.used_cues.add(att.cue_tok)
            if att.mode == "before" and att.cue is not None:
                gap = _gap(text, att.cue[1], r.open)
                # the sentence goes on after the quote: 'warned that "nobody wins" with China'
                tail = _WORD.search(text, r.after, after[1]) if after is not None and not \
                    content.rstrip().endswith((".", "!", "?")) else None
                if gap.lower() not in _LINK_GAP and not gap.endswith((":", ",", "\u2014", ";")) and \
                        not _addressee_gap(ctx, att.cue_tok, r.open) or tail is not None and gap != ":":
                    _make_mixed(ctx, item, att.cue[1], r)
            elif att.mode == "after" and gap_before and gap_before[-1] not in ",:;\u2014\u2013-(" and \
                    len(gap_before.split()) >= 2:
                # 'Her time has been "hard," she said': the sentence is the quote
                s, e = _trim(text, b_start, r.end)
                q.char_start, q.char_end, q.type = s, e, "mixed"
                if att.cue_tok is not None:
                    ctx.mixed_cues.add(att.cue_tok)
        elif gap_before and gap_before[-1] not in ",:;\u2014\u2013-(" and r.close is not None:
            # a fragment inside a sentence with no reporting verb: a scare quote, a title or
            # a phrase; only a whole sentence or more of someone's words counts
            if words < 10 and not re.search(r"[.!?][\"'\u201d\u2019]?\s+\S", content):
                continue
        elif words < 3 and r.close is not None:
            continue
        if q.type == "direct" and r.close is not None and (
                words < 4 and att is not None and att.mode == "before" and not content.rstrip().endswith(
                    (".", "!", "?")) and not _gap(text, att.cue[1] if att.cue else r.open, r.open).endswith(":")
                or words <= 8 and (att is None or att.mode != "after") and _title_case(content)):
            continue  # 'called the conclusion "bold"', 'told "Face the Nation"': a word, a title
        out.append(item)
    return out


def _title_case(content: str) -> bool:
    """'Face the Nation', 'The Kid Who Would Be King': the longer words after the first capitalised."""
    words = [w for w in _WORD.findall(content)[1:] if len(w) >= 4]
    return bool(words) and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


def _label(ctx: _Ctx, start: int, end: int) -> tuple[int, _Attribution] | None:
    """'PENCE: Well, look ...': a speaker label opening a transcript turn."""
    m = _LABEL.match(ctx.text, start, end)
    if m is None or ctx.is_furniture(m.group(1)) or end - m.end() < 10:
        return None
    ta = ctx.state.token_actor
    colon = m.end(1)
    sp: Speaker = (None, (m.start(1), colon))
    person = False
    for i in ctx.toks(m.start(1), colon):
        if i in ta:
            sp = (ta[i], None)
            person = ctx.state.actors[ta[i]].resolved(ctx.state.actors).kind == "person"
            break
    # a transcript takes turns among a few speakers, one of them at least twice; a run of
    # one-off capitalised labels ("ENERGY:", "KEEPING SCORE:") are section headings
    counts = ctx.label_counts()
    if not person and not (max(counts.values(), default=0) >= 2 and len(counts) <= 4):
        return None
    return m.end(), _Attribution(sp, (colon, colon + 1), None, "label")


_HEADLINE = re.compile(r"([A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}):\s+(?=\S)")


def _headline(ctx: _Ctx, start: int, end: int) -> tuple[int, _Attribution] | None:
    """A title 'Pat Caddell: Democrat Voters Worried ...': a named actor, a colon, their words."""
    m = _HEADLINE.match(ctx.text, start, end)
    if m is None or ctx.is_furniture(m.group(1)) or end - m.end() < 10:
        return None
    ta = ctx.state.token_actor
    colon = m.end(1)
    rng = ctx.toks(m.start(1), colon)
    idx = next((ta[i] for i in rng if i in ta), None)
    if idx is None or not all(i in ta for i in rng):
        return None
    if ctx.state.actors[idx].resolved(ctx.state.actors).kind not in ("person", "organization", "group"):
        return None
    return m.end(), _Attribution((idx, None), (colon, colon + 1), None, "headline")


def _transcript(ctx: _Ctx) -> list[_Quote]:
    """Transcript turns outside quote marks: a paragraph 'WALLACE: But, Governor ...'."""
    out = []
    for pi, (ps, pe) in enumerate(ctx.paras):
        if ctx.in_speech(ps) or ctx.in_speech(min(pe - 1, ps + 1)):
            continue
        label = _label(ctx, ps, pe)
        if label is None and pi == 0:
            label = _headline(ctx, ps, pe)
        if label is None:
            continue
        start, att = label
        end = pe
        while end > start and ctx.text[end - 1].isspace():
            end -= 1
        q = QuoteMention(start, end, "indirect" if att.mode == "headline" else "direct", att.speaker[0],
                         att.speaker[1], att.cue)
        for ri in range(bisect_left(ctx.opens, start), bisect_left(ctx.opens, end)):
            ctx.consumed.add(ri)
        out.append(_Quote(q, None, attributed=True))
    return out


def _addressee_gap(ctx: _Ctx, cue_tok: int | None, open_: int) -> bool:
    """'X told reporters "..."', 'X said Monday "...': only an object or a time between."""
    if cue_tok is None:
        return False
    rng = ctx.toks(ctx.doc[cue_tok].idx + 1, open_)
    if len(rng) > 4:
        return False
    return all(ctx.doc[i].dep_ in ("dative", "dobj", "npadvmod", "det", "compound", "prep", "pobj", "punct",
                                   "amod", "poss") or ctx.doc[i].ent_type_ in ("DATE", "TIME")
               for i in rng)


def _make_mixed(ctx: _Ctx, item: _Quote, from_char: int, r: Region) -> None:
    """A quote inside a paraphrase: the paraphrase, from the cue to the sentence end, is the quote."""
    text = ctx.text
    pi = ctx.para_of(r.after)
    end = ctx.sentence_end(r.after, ctx.paras[pi][1])
    start = _strip_that(ctx, _trim(text, from_char, end)[0], end)
    start, end = _trim(text, start, end)
    # further quoted fragments of the same paraphrase belong to it
    for ri in range(item.region + 1, len(ctx.speech)):
        r2 = ctx.speech[ri]
        if r2.open >= end:
            break
        ctx.consumed.add(ri)
        item.consumed.append(ri)
    if end - start > r.end - r.start:
        item.q.char_start, item.q.char_end, item.q.type = start, end, "mixed"
        if item.q.cue_token is not None:
            ctx.mixed_cues.add(item.q.cue_token)


# -- carrying speakers over -----------------------------------------------------------
def _evidence(ctx: _Ctx, quotes: list[_Quote]) -> list[tuple[int, int, Speaker, int]]:
    """Who was last speaking, at each point: (position, strength, speaker, cue token)."""
    ev: list[tuple[int, int, Speaker, int]] = []
    for it in quotes:
        if it.attributed and _has((it.q.speaker, it.q.speaker_text_span)):
            pos = max(it.q.char_end, it.q.cue[1] if it.q.cue else 0)
            ev.append((pos, 2, (it.q.speaker, it.q.speaker_text_span), it.q.cue_token or -1))
    ta = ctx.state.token_actor
    actors = ctx.state.actors
    doc = ctx.doc
    # reporting verbs with a subject, and people who are the subject of a main clause
    subjects = sorted({a.head for a in actors if a.head >= 0} | set(ctx.cands))
    for i in subjects:
        if i >= len(doc) or ctx.tok_region[i] >= 0 or ctx.tok_paren[i]:
            continue  # inside quotes, or "(Evan Vucci/Associated Press)"
        if ctx.minor[ctx.para_of(ctx.starts[i])]:
            continue  # titles, captions and page furniture say nothing about who speaks
        tok = doc[i]
        if ctx.cue_at(i, speech_only=False) is not None:
            sp = ctx.speaker_of(tok)
            if _has(sp):
                ev.append((tok.idx, 2, sp, i))
        elif tok.dep_ in ("nsubj", "nsubjpass") and i in ta and tok.head.dep_ == "ROOT":
            ref = actors[ta[i]].resolved(actors)
            if ref.kind == "person" or tok.lower_ in ("he", "she"):
                ev.append((tok.idx, 1, (ta[i], None), -1))
    ev.sort(key=lambda e: e[0])
    return ev


def _is_heading(text: str, para: tuple[int, int]) -> bool:
    s = text[para[0]:para[1]].strip()
    return len(s.split()) <= 10 and s[-1:] not in ".!?:\"\u201d\u2019'" or (s.startswith("(") and s.endswith(")"))


def _carry(ctx: _Ctx, quotes: list[_Quote]) -> list[tuple[int, int, Speaker, int]]:
    """Unattributed quotes take the speaker of the nearest evidence before them; returns
    the evidence (for resolving pronoun speakers)."""
    ev = _evidence(ctx, quotes)
    positions = [e[0] for e in ev]
    by_region = {it.region: it for it in quotes if it.region is not None}
    for it in quotes:
        q = it.q
        if it.attributed or it.region is None:
            continue
        r = ctx.speech[it.region]
        # a quote that continues from the previous paragraph keeps its speaker
        prev = by_region.get(it.region - 1)
        if prev is not None and ctx.speech[it.region - 1].continues and _has((prev.q.speaker,
                                                                              prev.q.speaker_text_span)):
            q.speaker, q.speaker_text_span, q.cue = prev.q.speaker, prev.q.speaker_text_span, prev.q.cue
            continue
        pi = ctx.para_of(r.open)
        back, lim = pi, 0
        while back > 0 and lim < 2:
            back -= 1
            if not ctx.minor[back]:
                lim += 1
        floor = ctx.paras[back][0]
        k = bisect_left(positions, r.open) - 1
        # the sentence just before the quote, for weak (narrative) evidence
        sent_floor = ctx.sentence_start(max(ctx.paras[max(0, pi - 1)][0], r.open - 1000), max(0, r.open - 1))
        while k >= 0 and positions[k] >= floor:
            pos, strength, sp, _ = ev[k]
            if strength >= 2 or pos >= sent_floor - 200:
                q.speaker, q.speaker_text_span = sp
                break
            k -= 1
        if _has((q.speaker, q.speaker_text_span)):
            # a carried quote is evidence for the next one
            i = bisect_left(positions, q.char_end)
            positions.insert(i, q.char_end)
            ev.insert(i, (q.char_end, 2, (q.speaker, q.speaker_text_span), -1))
    return ev


_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}


def _resolve_pronouns(ctx: _Ctx, items: list[_Quote], ev: list[tuple[int, int, Speaker, int]]) -> None:
    """'"...," he said' names the person last reported speaking (or written about), not
    whoever coreference found nearest: the most recent named person in the evidence
    before the pronoun, of a compatible gender, within three paragraphs."""
    actors = ctx.state.actors
    named: list[tuple[int, int]] = []   # (position, actor index) of named people
    for pos, _, sp, _ in ev:
        idx = sp[0]
        if idx is None or actors[idx].text.lower() in _PRONOUN_GENDER:
            continue
        ref = actors[idx].resolved(actors)
        if ref.kind == "person":
            named.append((pos, idx))
    named.sort()
    positions = [p for p, _ in named]
    cache: dict[int, int | None] = {}
    for it in items:
        q = it.q
        if q.speaker is None:
            continue
        m = actors[q.speaker]
        gender = _PRONOUN_GENDER.get(m.text.lower())
        if gender is None:
            continue
        if q.speaker not in cache:
            cache[q.speaker] = None
            floor = ctx.paras[max(0, ctx.para_of(m.char_start) - 3)][0]
            k = bisect_left(positions, m.char_start) - 1
            while k >= 0 and positions[k] >= floor:
                ref = actors[named[k][1]].resolved(actors)
                if not ref.gender or ref.gender == gender:
                    cache[q.speaker] = named[k][1]
                    break
                k -= 1
        ref_idx = cache[q.speaker]
        if ref_idx is not None and actors[ref_idx].resolved(actors) is not m.resolved(actors):
            q.speaker_ref = ref_idx


# -- indirect quotes ------------------------------------------------------------------
def _content_span(ctx: _Ctx, tok: Token, cue: Cue) -> tuple[int, int] | None:
    for how in cue.content:
        comp: Token | None = None
        if how == "clause":
            cands = [c for c in tok.children if c.dep_ == "ccomp"]
            if cands:
                comp = min(cands, key=lambda c: abs(c.i - tok.i))
        elif how == "object":
            cands = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i]
            comp = cands[0] if cands else None
        elif how == "for":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "for" and c.i == tok.i + 1:
                    comp = next((g for g in c.children if g.dep_ == "pobj"), None)
                    break
        elif how == "topic":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS and c.i > tok.i:
                    comp = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if comp is not None:
                        break
        elif how == "to":
            cands = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.i > tok.i and
                     any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
            comp = cands[0] if cands else None
        if comp is None:
            continue
        left, right = comp.left_edge, comp.right_edge
        if comp.i < tok.i and right.i >= tok.i:
            right = ctx.doc[tok.i - 1]
        if comp.i > tok.i and left.i <= tok.i:
            left = ctx.doc[tok.i + 1]
        return left.idx, right.idx + len(right.text)
    if "clause" in cue.content and tok.dep_ == "parataxis":
        # "The plan, he said, is dead." / "The plan is dead, he said."
        head = tok.head
        sent = tok.sent
        start = sent.start_char
        end = tok.left_edge.idx
        if end - start < 10 and head.i > tok.i:
            start, end = tok.right_edge.idx + len(tok.right_edge.text), sent.end_char
        return start, end
    if "bare" in cue.content:
        return _bare_clause(ctx, tok)
    return None


def _bare_clause(ctx: _Ctx, tok: Token) -> tuple[int, int] | None:
    """'DeBoer said having Karlsson back was a big boost': a clause without "that" the
    parse did not attach as the verb's complement. The rest of the sentence is the
    content when the speaker comes first and what follows reads as a clause."""
    doc = ctx.doc
    subj = ctx.subject(tok)
    if subj is None or subj.i > tok.i:
        return None
    end = tok.sent.end
    j = tok.i + 1
    while j < end and (doc[j].dep_ in ("dative", "npadvmod", "advmod") and doc[j].head.i == tok.i
                       or doc[j].lower_ in ("that", ",", ":") or doc[j].ent_type_ in ("DATE", "TIME")
                       and doc[j].head.i in (tok.i, j + 1)):
        j += 1
    while end > j and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - j < 4 or doc[j].pos_ not in ("DET", "PRON", "PROPN", "NOUN", "NUM", "ADJ") and doc[j].tag_ != "VBG":
        return None  # a clause starts with its subject
    inner = ctx.cands[bisect_left(ctx.cands, j):bisect_left(ctx.cands, end)]
    if any(ctx.tok_region[k] >= 0 for k in range(j, end)) or any(ctx.cue_at(k) for k in inner):
        return None  # a quote or another report inside: leave it to them
    if not any(doc[k].pos_ in ("VERB", "AUX") and doc[k].tag_ not in ("VBG", "VBN") for k in range(j, end)):
        return None  # "said the words", "told him about it": no clause
    return doc[j].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _indirect(ctx: _Ctx) -> list[_Quote]:
    text = ctx.text
    out: list[_Quote] = []
    doc = ctx.doc
    for i in ctx.cands:
        if i in ctx.mixed_cues or ctx.tok_region[i] >= 0 or ctx.in_quoted(ctx.starts[i]):
            continue
        pi = ctx.para_of(ctx.starts[i])
        if ctx.minor[pi] and (pi > 0 or ctx.is_boilerplate(ctx.paras[pi][0])):
            continue  # a caption, a link to another story (the first paragraph may be the title)
        tok = doc[i]
        if tok.lower_ == "according" and ctx.phrase_at(i):
            q = _according(ctx, i)
            if q is not None:
                out.append(_Quote(q, attributed=True))
            continue
        cue = ctx.cue_at(i, speech_only=False)
        if cue is None:
            continue
        span = _content_span(ctx, tok, cue)
        if span is None:
            continue
        ps, pe = ctx.paras[ctx.para_of(tok.idx)]
        if ctx.is_boilerplate(ps):
            continue
        start, end = _trim(text, max(span[0], ps), min(span[1], pe))
        if cue.kind == "belief" and not (text.startswith("that ", start) and tok.dep_ != "ccomp"):
            continue  # "X believes that ...", not "I think", "you know"
        start = _strip_that(ctx, start, end)
        start, end = _trim(text, start, end)
        typ = "indirect"
        # a direct quote inside: the paraphrase ends where a full quote begins,
        # but a quoted fragment makes it a mixed quote
        for ri in range(max(0, bisect_left(ctx.opens, start) - 1), len(ctx.speech)):
            r = ctx.speech[ri]
            if r.open >= end:
                break
            if r.after <= start:
                continue
            if r.open <= start:
                start = r.after  # content starting inside a quote: take what follows it
                continue
            if r.after <= end + 1 and r.open > start:
                typ = "mixed"
                continue
            end = r.open
        start, end = _trim(text, start, end)
        if end - start < 8 or len(text[start:end].split()) < 3:
            continue
        sp = ctx.speaker_of(tok)
        if not _has(sp):
            continue
        q = QuoteMention(start, end, typ, sp[0], sp[1], (tok.idx, tok.idx + len(tok.text)), i,
                         ctx.addressee_of(tok))
        out.append(_Quote(q, attributed=True))
    return out


def _according(ctx: _Ctx, i: int) -> QuoteMention | None:
    """'According to X, ...' and '..., according to X.': the sentence minus the phrase."""
    doc, text = ctx.doc, ctx.text
    plen = ctx.phrase_at(i)
    if i + plen >= len(doc):
        return None
    last = doc[i + plen - 1]
    pobj = [c for c in last.children if c.dep_ == "pobj"]
    agent = pobj[0] if pobj else doc[i + plen]
    sp = ctx.mention(agent)
    if not _has(sp):
        return None
    sent = doc[i].sent
    start, end = sent.start_char, sent.end_char
    phrase_end = agent.right_edge.idx + len(agent.right_edge.text)
    if doc[i].idx <= start + 1 or text[start:doc[i].idx].strip() in ("", "But", "And", "Yet"):
        start = phrase_end
    else:
        end = doc[i].idx
    start, end = _trim(text, start, end)
    if len(text[start:end].split()) < 3:
        return None
    if ctx.in_speech(start) or ctx.in_speech(max(start, end - 1)):
        return None
    return QuoteMention(start, end, "indirect", sp[0], sp[1], (doc[i].idx, last.idx + len(last.text)), i)


# -- the stage ------------------------------------------------------------------------
def extract_quotes(doc: Doc, state: DocState) -> list[QuoteMention]:
    """All quotes of ``doc``, in text order (pure: reads the doc and ``state.actors``)."""
    ctx = _Ctx(doc, state, get_cues())
    state.warnings.extend(f"quotes: {w}" for w in ctx.warnings)
    state.quoted = [(r.start, r.end) for r in ctx.speech if r.double]
    turns = _transcript(ctx)
    direct = _direct(ctx)
    direct = [d for d in direct if d.region not in ctx.consumed or d.consumed] + turns
    spans = sorted((d.q.char_start, d.q.char_end) for d in direct)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    ctx.quoted_spans, ctx.quoted_starts = merged, [a for a, _ in merged]
    ev = _carry(ctx, direct)
    items = direct + _indirect(ctx)
    _resolve_pronouns(ctx, items, ev)
    items.sort(key=lambda it: (it.q.char_start, -it.q.char_end))
    out: list[QuoteMention] = []
    seen: set[tuple[int, int]] = set()
    for it in items:
        q = it.q
        key = (q.char_start, q.char_end)
        if key in seen or q.char_end <= q.char_start:
            continue
        seen.add(key)
        out.append(q)
    return out


@Language.factory("communique_quotes", default_config={})
def make_quote_stage(nlp: Language, name: str):
    get_cues()

    def quote_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.quotes = extract_quotes(doc, state)
        return doc

    return quote_stage
