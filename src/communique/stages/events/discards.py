"""Step 7: what is not coded: sports and entertainment sentences, historical narrative.
"""

from __future__ import annotations

from spacy.attrs import LOWER
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Token

from ...kb.lexicons import EventLexicon
from .model import clause_head


def _phrase_hits(ids: list[int], strings: StringStore, lex: EventLexicon) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, scope) of discard phrases in a document's lower-case word ids (``LOWER``).
    A word is made a string only where its id is that of a phrase's first word: most words never are."""
    firsts = {get_string_id(w) for w in lex.discard_first}
    hits = []
    for i, h in enumerate(ids):
        if h not in firsts:
            continue
        for phrase in lex.discard_first.get(strings[h], ()):
            if tuple(strings[x] for x in ids[i:i + len(phrase)]) == phrase:
                for p, kind, scope in lex.discards:
                    if p == phrase:
                        hits.append((i, i + len(phrase), kind, scope))
                        break
    return hits


def discarded(doc: Doc, lex: EventLexicon) -> tuple[set[int], list[tuple[int, int]], bool]:
    """Sentences to skip (by start token), historical token ranges, whether to skip the article."""
    strings = doc.vocab.strings  # lower forms from an array: no Token object per word
    ids = doc.to_array(LOWER).tolist() if len(doc) else []
    skip: set[int] = set()
    history: list[tuple[int, int]] = []
    article = False
    first = next(iter(doc.sents), None)
    for s, e, _kind, scope in _phrase_hits(ids, strings, lex):
        sent = doc[s].sent
        if scope == "clause":
            history.append((s, e))
        else:
            skip.add(sent.start)
            if scope == "article" and first is not None and sent.start == first.start:
                article = True
    return skip, history, article


def in_history(tok: Token, history: list[tuple[int, int]], limits: dict[str, int]) -> bool:
    if not history:
        return False
    head = clause_head(tok, limits["clause_climb"])
    lo, hi = head.left_edge.i, head.right_edge.i
    for s, _ in history:
        if lo <= s <= hi and s >= tok.sent.start:
            # the marker must belong to this clause, not to a clause inside it
            cur = tok.doc[s]
            for _ in range(limits["history_climb"]):
                if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
                    break
                cur = cur.head
            if cur.i == head.i or cur.i == tok.i:
                return True
    return False
