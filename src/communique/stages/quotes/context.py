"""The per-document context of the quote stage: token offsets, quote regions, paragraphs, cue
candidates, and the speaker of a cue (subject, inverted subject, actor mention).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX, LEMMA, LOWER, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from .._arrays import in_sorted, sorted_ids
from .._lexicon import RELATIVE_PRONOUNS, SPEAKER_PRONOUNS, SUBJECT_DEPS
from .._quotemarks import Region, find_regions, paragraphs
from .._state import DocState, QuoteMention
from .cues import Cue, Cues
from .words import ABBREV, BREAK, FURNITURE, LABEL, NO_SPEAKER

Speaker = tuple[int | None, tuple[int, int] | None]


NOBODY: Speaker = (None, None)


def has_speaker(sp: Speaker) -> bool:
    return sp[0] is not None or sp[1] is not None


@dataclass
class QuoteItem:
    """A quote being built: the mention plus the bookkeeping the passes need."""
    q: QuoteMention
    region: int | None = None      # index into QuoteContext.speech
    attributed: bool = False       # speaker from its own frame (not carried)
    consumed: list[int] = field(default_factory=list)
    kind: str = ""                 # the cue's kind (cues.tsv) for indirect items


# verb tags, as string ids: only a verb-tagged token is looked up by its inflected form
VERB_TAG_IDS = sorted_ids(get_string_id(t) for t in ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"))


# -- per-document context -------------------------------------------------------------
class QuoteContext:
    # Long on purpose: the per-document tables every quote rule reads, computed once here.
    def __init__(self, doc: Doc, state: DocState, cues: Cues, carry_paragraphs: int = 2,
                 title_case_share: float = 0.75, attitudes: bool = True):
        # how many paragraphs (not counting headings and furniture) a speaker carries over
        self.carry_paragraphs = carry_paragraphs
        # a short quote whose longer words are this capitalised is a title ('"Face the Nation"')
        self.title_case_share = title_case_share
        # attributions beyond speech, as PolNeAR annotates them: beliefs without "that",
        # intentions, positions taken (stance), predicate adjectives and nominal cues; off, the
        # stage reports speech only (GGT's convention)
        self.attitudes = attitudes
        # attributions with no named source ("turnout is expected to rise"): part of the attitudes
        self.unsourced = attitudes
        self.doc, self.state, self.cues = doc, state, cues
        self.text = text = state.text  # == doc.text (get_state), without joining the tokens again
        # token offsets and the tokens that may be cues, from arrays (no Token objects)
        arr = doc.to_array([IDX, LEMMA, LOWER, TAG]) if len(doc) else None
        self.starts: list[int] = arr[:, 0].tolist() if arr is not None else []
        self.cands: list[int] = []       # tokens whose lemma is a cue verb or opens a phrase cue
        self.lemmas: dict[int, str] = {}
        if arr is not None:
            hit = in_sorted(arr[:, 1], cues.ids) | in_sorted(arr[:, 2], cues.ids)   # cues.ids is sorted
            self.cands = numpy.nonzero(hit)[0].tolist()
            for i in self.cands:
                self.lemmas[i] = doc[i].lemma_.lower()
            # a verb the lemmatizer got wrong ("hopes" -> "hop") is still the cue its form inflects
            lowers = arr[:, 2].tolist()
            for i in numpy.nonzero(~hit & in_sorted(arr[:, 3], VERB_TAG_IDS))[0].tolist():
                if lowers[i] in cues.form_ids:
                    self.lemmas[i] = cues.forms[doc[i].lower_]
                    self.cands.append(i)
            self.cands.sort()
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
        # without "(" no token is inside parentheses: skip the walk over every token
        for i, start in enumerate(self.starts if "(" in text else ()):
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
        m = FURNITURE.match(self.text, para_start)
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
                m = LABEL.match(self.text, ps + (1 if self.text[ps] in "\"\u201c\u00ab'" else 0), pe)
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
        for m in BREAK.finditer(self.text, lower, min(len(self.text), pos + 3)):
            if m.end() > pos:
                break
            if self._real_break(m.start()) and not self.in_speech(m.start()):
                best = m.end()
        return best

    def sentence_end(self, pos: int, upper: int) -> int:
        """Offset of the punctuation that ends the sentence from ``pos`` (or ``upper``)."""
        for m in BREAK.finditer(self.text, pos, min(len(self.text), upper + 3)):
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
        return not ABBREV.search(self.text, max(0, at - 8), at)

    # cues -----------------------------------------------------------------------
    def cue_at(self, i: int, speech_only: bool = True) -> Cue | None:
        tok = self.doc[i]
        cue = self.cues.verbs.get(self.lemmas.get(i, ""))
        if cue is not None and cue.kind == "adjective":
            # "X is confident that ...": a predicate adjective, never a direct quote's cue
            # "X made it clear that ...": the adjective predicated of "it" by "make"
            made = tok.dep_ in ("ccomp", "oprd") and tok.head.lemma_ == "make"
            return cue if not speech_only and tok.pos_ == "ADJ" and (tok.dep_ == "acomp" or made) else None
        if cue is None or tok.pos_ not in ("VERB", "AUX") and not (tok.tag_.startswith("VB") and tok.pos_ != "ADJ") \
                and not noun_tagged_verb(tok):
            return None
        if speech_only and cue.kind not in ("speech", "write"):
            return None
        if cue.kind == "source":
            subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is None or subj.lemma_.lower() not in self.cues.source_nouns:
                return None
        lemma = cue.lemma
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" or c.dep_ == "prep" and c.lower_ == "to"
                                        for c in tok.children):
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
            if c.dep_ in SUBJECT_DEPS:
                return c if inside(c) else None
        if noun_tagged_verb(cue):
            subj = max((c for c in cue.children if c.dep_ == "compound" and c.i < cue.i), key=lambda c: c.i)
            return subj if inside(subj) else None
        outer = cue.head.head
        if cue.dep_ in ("advcl", "conj") and cue.head.dep_ == "ccomp" and outer.i in self.lemmas and \
                self.cue_at(outer.i) is not None:
            # "X said the factors contributed, citing ...", "X said it was opposed and warned ...":
            # the parse hangs the speaker's second report inside the first one's content
            return self.subject(outer, inverted_ok, window)
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
            if (head.dep_ in ("conj", "xcomp", "advcl", "acl", "pcomp") or head.dep_ == "prep" and head.pos_ == "ADP"
                    or head.dep_ == "acomp" and head.pos_ == "ADJ") and head.head is not head:
                # "voters are more likely to say ...": through the adjective to the copula's
                # subject, but "it is hard to say" has none
                expletive_ok = head.dep_ != "acomp"
                head = head.head
                for c in head.children:
                    if c.dep_ in SUBJECT_DEPS:
                        return c if inside(c) and (expletive_ok or c.lower_ not in EXPLETIVES) else None
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
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            tok = tok.head.head
        low = tok.lower_
        if low in NO_SPEAKER or tok.pos_ in ("VERB", "AUX", "ADP") or tok.is_punct or \
                tok.pos_ == "NUM" and not _share_of_people(tok):
            return NOBODY
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
        if tok.pos_ == "PRON" and low not in SPEAKER_PRONOUNS and low not in ("it", "someone", "everyone",
                                                                               "anyone", "nobody", "many", "others"):
            return NOBODY
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
            return NOBODY
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
            return NOBODY
        if subj.lower_ == "it" and any(c.dep_ == "auxpass" for c in cue.children):
            return NOBODY  # "it was reported that"
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


# subjects that hold no attitude: "it is hard to say", "there is no way to know"
EXPLETIVES = frozenset({"it", "there", "this", "that", "which", "what"})


def _share_of_people(tok: Token) -> bool:
    """'Six in 10 say ...', 'two of the officers said': a number is a speaker only as a share of a
    group (poll respondents, members of a group), never alone ("2016 was ...")."""
    return any(c.dep_ == "quantmod" and c.lower_ in ("in", "out") or c.dep_ == "prep" and c.lower_ == "of"
               for c in tok.children)


def noun_tagged_verb(tok: Token) -> bool:
    """'Trump claims that ...', 'Sanders Vows To Eliminate ...': a reporting verb after a name,
    tagged as a plural noun heading the sentence, with the name as its compound or subject and a clause
    or an infinitive after it (the small model's error on third-person verbs after names)."""
    return tok.tag_ == "NNS" and tok.dep_ == "ROOT" and \
        any(c.dep_ in ("compound", "nsubj") and c.i < tok.i for c in tok.children) and \
        any(c.i > tok.i and c.dep_ in ("ccomp", "acl", "advcl", "relcl") for c in tok.children)


# -- direct quotes --------------------------------------------------------------------
def gap_text(text: str, a: int, b: int) -> str:
    return " ".join(text[a:b].split())


def trim_span(text: str, start: int, end: int, lead: str = " ,:;\u2014\u2013-\n") -> tuple[int, int]:
    while start < end and (text[start] in lead or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in " ,:;.\u2014\u2013-\n" or text[end - 1].isspace()):
        end -= 1
    return start, end


def strip_that(ctx: QuoteContext, start: int, end: int) -> int:
    """Skip a complementiser "that" (not the determiner of "that claim") or a colon."""
    m = re.match(r"(?:that|:|,)\s+", ctx.text[start:end])
    if m is None:
        return start
    if ctx.text[start] == "t":
        i = bisect_left(ctx.starts, start)
        if i < len(ctx.doc) and ctx.starts[i] == start and ctx.doc[i].dep_ != "mark":
            return start
    return start + m.end()


def _is_heading(text: str, para: tuple[int, int]) -> bool:
    s = text[para[0]:para[1]].strip()
    return len(s.split()) <= 10 and s[-1:] not in ".!?:\"\u201d\u2019'" or (s.startswith("(") and s.endswith(")"))
