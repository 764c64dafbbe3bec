"""Events coded from what quotes say: a quote that praises, proposes, demands or
threatens is itself an event from its speaker (``Event.quote`` links the two)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..kb.lexicons import EventLexicon
from ._state import DocState, EventMention


def events_from_quotes(doc: Doc, state: DocState, lex: EventLexicon) -> list[EventMention]:
    """Events implied by quote content beyond the verbs the event stage already coded."""
    return []
