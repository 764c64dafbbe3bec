"""The tunable settings of the time stage (``[components.communique_times]`` in ``nlp.config``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class TimeSettings:
    # With no tense to go by, a date is read in the past unless the future reading is more
    # than ``future_bias`` times closer (news mostly reports what happened).
    future_bias: float = 2.0
    # ... and a bare weekday is the last one unless the next is more than this many days closer.
    weekday_slack: int = 1
    # A present-tense verb that is not a reporting verb ("meets on Friday") looks ahead.
    present_ahead: bool = True
    # Characters searched either side of a trigger word for a time expression: a pattern
    # only runs near words of its classes, which keeps the stage cheap.
    window: int = 48

    def as_config(self) -> dict:
        return asdict(self)
