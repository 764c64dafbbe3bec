"""Speakers carried over: a quote with no attribution of its own takes the speaker of the nearest
preceding evidence; he/she speakers resolve to the person the quote is about.
"""

from __future__ import annotations

from bisect import bisect_left

from .._lexicon import PRONOUN_GENDER
from .context import QuoteContext, QuoteItem, Speaker, has_speaker

# Cues that say someone is speaking or holds a view (a quote after them is likely theirs);
# positions taken on something ("criticized", "backed") and intentions are not such evidence
SPEAKING_KINDS = frozenset({"speech", "write", "belief", "source"})


# -- carrying speakers over -----------------------------------------------------------
def _evidence(ctx: QuoteContext, quotes: list[QuoteItem]) -> list[tuple[int, int, Speaker, int]]:
    """Who was last speaking, at each point: (position, strength, speaker, cue token)."""
    ev: list[tuple[int, int, Speaker, int]] = []
    for it in quotes:
        if it.attributed and has_speaker((it.q.speaker, it.q.speaker_text_span)):
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
        cue = ctx.cue_at(i, speech_only=False)
        if cue is not None and cue.kind in SPEAKING_KINDS:
            sp = ctx.speaker_of(tok)
            if has_speaker(sp):
                ev.append((tok.idx, 2, sp, i))
        elif tok.dep_ in ("nsubj", "nsubjpass") and i in ta and tok.head.dep_ == "ROOT":
            ref = actors[ta[i]].resolved(actors)
            if ref.kind == "person" or tok.lower_ in ("he", "she"):
                ev.append((tok.idx, 1, (ta[i], None), -1))
    ev.sort(key=lambda e: e[0])
    return ev


def carried_speakers(ctx: QuoteContext, quotes: list[QuoteItem]) -> list[tuple[int, int, Speaker, int]]:
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
        if prev is not None and ctx.speech[it.region - 1].continues and has_speaker((prev.q.speaker,
                                                                              prev.q.speaker_text_span)):
            q.speaker, q.speaker_text_span, q.cue = prev.q.speaker, prev.q.speaker_text_span, prev.q.cue
            continue
        pi = ctx.para_of(r.open)
        back, lim = pi, 0
        while back > 0 and lim < ctx.carry_paragraphs:
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
        if has_speaker((q.speaker, q.speaker_text_span)):
            # a carried quote is evidence for the next one
            i = bisect_left(positions, q.char_end)
            positions.insert(i, q.char_end)
            ev.insert(i, (q.char_end, 2, (q.speaker, q.speaker_text_span), -1))
    return ev


def resolve_pronouns(ctx: QuoteContext, items: list[QuoteItem], ev: list[tuple[int, int, Speaker, int]]) -> None:
    """'"...," he said' names the person last reported speaking (or written about), not
    whoever coreference found nearest: the most recent named person in the evidence
    before the pronoun, of a compatible gender, within three paragraphs."""
    actors = ctx.state.actors
    named: list[tuple[int, int]] = []   # (position, actor index) of named people
    for pos, _, sp, _ in ev:
        idx = sp[0]
        if idx is None or actors[idx].text.lower() in PRONOUN_GENDER:
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
        gender = PRONOUN_GENDER.get(m.text.lower())
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
