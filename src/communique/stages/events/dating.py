"""Step 6: the date of an event, from a time expression attached to its clause.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .._state import DocState
from .model import clause_head

# -- dates, places, discards ---------------------------------------------------------------------------
# The date part of a TIMEX3 value, at its own granularity: 2025-08-28, 2025-W34, 1989-Q3, 199.
_EVENT_DATE = re.compile(r"\d{2,4}(?:-(?:\d\d(?:-\d\d)?|W\d\d|Q\d|H\d|SP|SU|FA|WI))?")


def time_map(doc: Doc, state: DocState, climb: int) -> dict[int, str]:
    out: dict[int, str] = {}
    for t in state.times:
        if t.type not in ("DATE", "TIME") or t.start < 0 or t.value.endswith("_REF") or t.value[:1] not in "0123456789":
            continue
        m = _EVENT_DATE.match(t.value.split("T")[0])
        if not m:
            continue
        root = doc[t.start:t.end].root
        out.setdefault(clause_head(root.head if root.head is not root else root, climb).i, m.group())
    return out


def date_of(tok: Token, times: dict[int, str], limits: dict[str, int]) -> str | None:
    cur = tok if tok.pos_ in ("VERB", "AUX") else clause_head(tok, limits["clause_climb"])
    for _ in range(limits["date_climb"]):
        if cur.i in times:
            return times[cur.i]
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
            cur = cur.head
            continue
        break
    return None
