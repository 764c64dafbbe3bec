"""What a coded event adds beyond its CAMEO code: PLOVER modes and contexts, and the ACLED type.

Called once per event when the record is assembled (``stages/_state.assemble``). Pure: the
same event and sentence always give the same description, and no spaCy object is needed,
so a stored record can be described again after the tables change.
"""

from __future__ import annotations

from ..records import Event
from .acled import acled_of
from .plover import plover_of

__all__ = ["describe_event"]


def describe_event(event: Event, text: str) -> Event:
    """``event`` with ``plover.modes``, ``plover.contexts`` and ``acled`` filled; ``text`` is the article."""
    sentence = text[event.sentence.start:event.sentence.end]
    return event.model_copy(update={"plover": plover_of(event, sentence), "acled": acled_of(event, sentence)})
