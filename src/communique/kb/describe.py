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


# ACLED types that mean force used by security forces on unarmed people: the manual's "repression".
_REPRESSION = {"Excessive force against protesters", "Protest with intervention"}


def describe_event(event: Event, text: str, memo: dict | None = None) -> Event:
    """``event`` with ``plover.modes``, ``plover.contexts`` and ``acled`` filled; ``text`` is the article.
    ``memo``: one dict per article, shared by its events (``plover_of``)."""
    sentence = text[event.sentence.start:event.sentence.end]
    plover = plover_of(event, sentence, memo=memo)
    acled = acled_of(event, sentence)
    # PLOVER's "repression" context is force by security forces against unarmed people, which is
    # what the ACLED rules establish from the participants; a protesters' own PROTEST event is not.
    if (acled is not None and plover.event in ("ASSAULT", "COERCE") and "repression" not in plover.contexts
            and (acled.sub_event_type in _REPRESSION or acled.rule == "suspect-victims")):
        plover = plover.model_copy(update={"contexts": [*plover.contexts, "repression"]})
    return event.model_copy(update={"plover": plover, "acled": acled})
