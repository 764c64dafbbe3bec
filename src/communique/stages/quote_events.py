"""Events coded from what quotes say: a quote that praises, proposes, demands,
criticises, denies or threatens is itself an event from its speaker
(``Event.quote`` links the two).

The phrases are data (``kb/data/quote_acts.tsv``). For each quote, the first
match of each CAMEO root yields one event: source the speaker, target the person
spoken to ("you", "your nation": the quote's addressee, else the last other
person named before it) or an actor named in the same sentence, as the table
row says. Acts the event stage already coded (same trigger, or an event of the
same root from the same quote) are not coded twice.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..errors import KnowledgeBaseError
from ..kb import get_codebook
from ..kb.tables import data_path, read_table
from ._lexicon import FIRST_PERSON_ALL, NEGATORS, SECOND_PERSON_ALL
from ._state import DocState, EventMention, QuoteMention

# Raw confidences of a quote act (named so a run can vary them; calibration replaces them).
QUOTE_ACT_CONFIDENCE: dict[str, float] = {"with_target": 0.55, "without_target": 0.45}

# How far back (characters) the person a quote is spoken to may be named, when the cue names
# no one: about a page of news text, the scene of one meeting. The event component's setting
# ``quote_addressee_window`` (default_config) overrides it.
ADDRESSEE_WINDOW = 6000


@dataclass(frozen=True)
class Act:
    words: tuple[str, ...]
    code: str
    target: str          # addressee | named
    negative: bool       # the phrase itself carries the negation ("not acceptable")
    first_person: bool   # a verb the speaker performs ("I congratulate", "we condemn", "thank you")


@dataclass(frozen=True)
class Acts:
    by_first: dict[str, tuple[Act, ...]]
    version: str


def get_acts() -> Acts:
    """The quote-act table, read and checked against the codebook (the event component keeps it)."""
    table = read_table(data_path("quote_acts.tsv"), required=("phrase", "code", "target", "form"))
    codebook = get_codebook()
    index: dict[str, list[Act]] = {}
    for lineno, row in table:
        if row["code"] not in codebook:
            raise KnowledgeBaseError(f"unknown CAMEO code {row['code']!r}", f"{table.path}:{lineno}",
                                     "use a code listed in kb/data/cameo.tsv")
        if row["target"] not in ("addressee", "named"):
            raise KnowledgeBaseError(f"unknown target {row['target']!r}", f"{table.path}:{lineno}",
                                     "write addressee or named")
        if row["form"] not in ("any", "first"):
            raise KnowledgeBaseError(f"unknown form {row['form']!r}", f"{table.path}:{lineno}",
                                     "write any or first")
        words = tuple(row["phrase"].lower().split())
        if not words:
            continue
        act = Act(words, row["code"], row["target"], words[0] in NEGATORS or "not" in words,
                  row["form"] == "first")
        index.setdefault(words[0], []).append(act)
    for acts in index.values():
        acts.sort(key=lambda a: -len(a.words))
    return Acts({k: tuple(v) for k, v in index.items()}, table.version)


def _word_ok(tok: Token, word: str) -> bool:
    return tok.lower_ == word or tok.lemma_.lower() == word


def _matches(doc: Doc, start: int, end: int, acts: Acts) -> list[tuple[int, int, Act]]:
    """(first token, end token, act) for each phrase found in tokens [start, end)."""
    out = []
    i = start
    while i < end:
        tok = doc[i]
        cands = acts.by_first.get(tok.lower_, ()) or acts.by_first.get(tok.lemma_.lower(), ())
        hit = None
        for act in cands:
            n = len(act.words)
            if i + n <= end and all(_word_ok(doc[i + k], w) for k, w in enumerate(act.words)):
                hit = (i, i + n, act)
                break
        if hit is not None:
            negated = not hit[2].negative and any(doc[j].lower_ in NEGATORS for j in range(max(start, i - 3), i))
            if not negated and (not hit[2].first_person or _performed(doc[i])):
                out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def _performed(tok: Token) -> bool:
    """The speaker does it in saying it: 'I congratulate you', 'We condemn', 'Thank you',
    'I would like to thank ...'; not 'they praised', 'the proposed route'."""
    if tok.pos_ != "VERB" or tok.tag_ in ("VBD", "VBN", "VBG"):
        return False
    verb = tok
    if tok.dep_ == "xcomp" and tok.head.pos_ in ("VERB", "AUX"):
        verb = tok.head            # "I want to thank", "I would like to congratulate"
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj:
        return verb.dep_ == "ROOT"  # "Thank you", "Congratulations to ..."
    return subj[0].lower_ in FIRST_PERSON_ALL


def addressee(state: DocState, q: QuoteMention, window: int = ADDRESSEE_WINDOW) -> int | None:
    """Whom a quote speaks to: the cue's object ("told Xi"), else the last other
    person named outside quotes before it (the one the speaker is meeting), at most
    ``window`` characters before the quote."""
    if q.addressee is not None:
        return q.addressee
    if q.speaker is None:
        return None
    actors = state.actors
    me = actors[q.speaker].resolved(actors)
    for i in range(len(actors) - 1, -1, -1):
        a = actors[i]
        if a.char_start >= q.char_start or a.in_quote or a.char_start < q.char_start - window:
            continue
        ref = a.resolved(actors)
        if ref.kind != "person" or ref is me or (ref.kb_id is not None and ref.kb_id == me.kb_id) \
                or ref.name == me.name:
            continue
        return i
    return None


def _named(doc: Doc, state: DocState, q: QuoteMention, lo: int, hi: int) -> int | None:
    """The first actor named in tokens [lo, hi) who is neither the speaker nor 'I'/'we'."""
    me = state.actors[q.speaker].resolved(state.actors) if q.speaker is not None else None
    for t in range(lo, hi):
        idx = state.token_actor.get(t)
        if idx is None or doc[t].lower_ in FIRST_PERSON_ALL or doc[t].lower_ in SECOND_PERSON_ALL:
            continue
        ref = state.actors[idx].resolved(state.actors)
        if me is not None and (ref is me or ref.name == me.name):
            continue
        return idx
    return None


def events_from_quotes(doc: Doc, state: DocState, acts: Acts,
                       weights: dict[str, float] = QUOTE_ACT_CONFIDENCE,
                       addressee_window: int = ADDRESSEE_WINDOW) -> list[EventMention]:
    """Events implied by quote content beyond the verbs the event stage already coded.

    ``acts`` is the table of ``kb/data/quote_acts.tsv`` (``get_acts``), which the event component loads.
    """
    if not state.quotes:
        return []
    starts = doc.to_array(IDX).tolist() if len(doc) else []
    taken = [(e.trigger[0], e.trigger[1]) for e in state.events]
    coded = {(e.quote, e.cameo[:2]) for e in state.events if e.quote is not None}
    day = state.date.isoformat() if state.date else None
    out: list[EventMention] = []
    for qi, q in enumerate(state.quotes):
        if q.speaker is None and q.speaker_text_span is None:
            continue  # an act needs an actor
        if q.type == "indirect":
            continue  # reported words: the event stage codes the reporting verb itself
        lo, hi = bisect_left(starts, q.char_start), bisect_left(starts, q.char_end)
        roots_done: set[str] = set()
        for a, b, act in _matches(doc, lo, hi, acts):
            root = act.code[:2]
            if root in roots_done or (qi, root) in coded:
                continue
            t0, t1 = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            if any(s < t1 and t0 < e for s, e in taken):
                continue
            sent = doc[a].sent
            s_lo, s_hi = max(lo, sent.start), min(hi, sent.end)
            second = any(doc[t].lower_ in SECOND_PERSON_ALL for t in range(s_lo, s_hi))
            named = _named(doc, state, q, s_lo, s_hi)
            if second or act.target == "addressee":
                spoken_to = addressee(state, q, addressee_window)
                first, other = (spoken_to, named) if second else (named, spoken_to)
                target = first if first is not None else other
            else:
                target = named
            if target is not None and q.speaker is not None and \
                    state.actors[target].resolved(state.actors) is state.actors[q.speaker].resolved(state.actors):
                target = None
            ev = EventMention(sent.start_char, sent.end_char, (t0, t1), a, q.speaker, target, act.code,
                              source_span=q.speaker_text_span if q.speaker is None else None,
                              modality="asserted" if q.type == "direct" else "reported",
                              negated=False, quote=qi, confidence=weights["without_target"] if target is None else weights["with_target"])
            if day:
                ev.date, ev.date_from = day, "article"
            out.append(ev)
            roots_done.add(root)
            taken.append((t0, t1))
    return out
