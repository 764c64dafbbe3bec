"""Time stage: find time expressions and normalise them to TimeML (TIMEX3) values.

Detection runs a small grammar of compiled regular expressions over the text
(dates, clock times, weekdays, months, seasons, quarters, holidays, relative and
anaphoric expressions, durations, sets, vague references) and adds spaCy's
DATE/TIME entities the grammar does not cover. Coordinated dates come out as
separate expressions ("August 31st and September 1st" is two).

Values are resolved against the article date (``dct``), with the tense of the
governing verb deciding direction: "June" in "we met in June" is the last June,
in "will meet in June" the next. Granularity is kept: a month stays ``2025-06``,
a year ``2022``, a week ``2025-W34``, a decade ``199``, a quarter ``1989-Q3``.
Durations become ``P3Y``/``PT5H30M``, recurring expressions ``SET``s (``P1D``,
``XXXX-WXX-4``), vague ones ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``.
Anaphoric expressions ("that day", "the following year", "a year earlier" in a
report about a quarter) use the reference time: the last date mentioned.

Modules, one concern each: ``vocabulary`` (the word table ``kb/data/times.tsv``),
``calendar`` (date arithmetic), ``durations``, ``rules`` (each rule's patterns, trigger
classes, filters and normaliser in one declaration), ``normalisers`` (the rules'
handlers), ``grammar`` (the rules compiled for a vocabulary and settings), ``triggers``
and ``detection`` (finding expressions), ``filters``, ``tense``, ``settings`` and
``stage`` (the spaCy component).
"""

from __future__ import annotations

from .calendar import holiday_date
from .grammar import TimeGrammar
from .settings import TimeSettings
from .stage import TimeStage, extract_times, make_time_stage
from .tense import clause_direction
from .vocabulary import Vocab, load_vocab

__all__ = ["TimeGrammar", "TimeSettings", "TimeStage", "Vocab", "clause_direction", "extract_times",
           "holiday_date", "load_vocab", "make_time_stage"]
