"""The ``communique_times`` component: time expressions of a parsed article with TimeML values.

Candidates come from the grammar's detector and from spaCy's DATE/TIME entities it does
not cover; each is normalised with the tense of its clause and the reference time (the
last date mentioned), so that "that day" and "a year earlier" resolve in context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.language import Language
from spacy.tokens import Doc

from .._state import DocState, TimeMention, get_state
from .calendar import granular, ref_at
from .detection import Hit, detect
from .filters import not_a_year, trim_entity
from .grammar import TimeGrammar
from .settings import TimeSettings
from .tense import clause_direction

_DAY_WORDS = re.compile(r"\b(?:day|morning|afternoon|evening|night|hours?|a\.?m|p\.?m|noon|midnight|"
                        r"o'clock|\d{1,2}:\d\d)\b", re.IGNORECASE)
_BEFORE_EVENT = re.compile(r"\s+(?:before|after|following|preceding|leading\s+up\s+to)\s+(?:the|his|her|their|its)\b",
                           re.IGNORECASE)
_SHIFT_WORDS = re.compile(r"\b(?:previous|next|following|before|after|later|earlier|prior)\b", re.I)
_FIN_WORDS = re.compile(r"\b(?:quarter|period|year-earlier|year-ago|a year (?:ago|earlier)|year earlier|"
                        r"year ago|prior-year)\b", re.IGNORECASE)


@dataclass
class _Refs:
    """What anaphoric expressions resolve against, updated as the article is read."""
    ref: str | None = None        # the last date mentioned (reference time)
    ref_day: str | None = None    # the last day mentioned, for "the previous day", "that night"
    qref: str | None = None       # the last reported quarter, for "a year earlier" in results


def time_entities(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of spaCy's DATE and TIME entities (read from the token arrays,
    which is much cheaper than building ``doc.ents``)."""
    strings = doc.vocab.strings
    date_label, time_label = strings.add("DATE"), strings.add("TIME")
    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    hits = np.flatnonzero((arr[:, 1] == date_label) | (arr[:, 1] == time_label)).tolist()
    out: list[tuple[int, int]] = []
    start = prev = -1
    iob = arr[:, 0]
    for i in hits:
        if start >= 0 and i == prev + 1 and iob[i] != 3 and arr[i, 1] == arr[prev, 1]:
            prev = i
            continue
        if start >= 0:
            out.append((doc[start].idx, doc[prev].idx + len(doc[prev])))
        start = prev = i
    if start >= 0:
        out.append((doc[start].idx, doc[prev].idx + len(doc[prev])))
    return out


def candidates(doc: Doc, text: str, g: TimeGrammar, shape_digit: dict[int, bool]) -> list[Hit | tuple[int, int]]:
    """The grammar's hits and, where they find nothing, spaCy's entities ((start, end)), in text order."""
    hits: list[Hit | tuple[int, int]] = list(detect(g, text, doc, shape_digit))
    spans = [(h[0], h[1]) for h in hits]
    vague = g.vocab.vague
    for es, ee in time_entities(doc):
        s, e = trim_entity(text, es, ee)
        if e <= s or any(s < ce and cs < e for cs, ce in spans):
            continue
        low = g.clean(text[s:e])
        if low in g.vocab.nontime or (low in vague and not vague[low][2]) or \
                (re.fullmatch(r"\d{4}", low) and not_a_year(text, s, e)):
            continue
        hits.append((s, e))
        spans.append((s, e))
    hits.sort(key=lambda h: (h[0], h[1]))
    return hits


def extract_times(doc: Doc, state: DocState, g: TimeGrammar, shape_digit: dict[int, bool] | None = None
                  ) -> list[TimeMention]:
    """Time expressions of ``doc`` with TimeML values, in text order."""
    text = state.text
    dct = state.date
    out: list[TimeMention] = []
    refs = _Refs()
    by_start: dict[int, str] = {}
    for cand in candidates(doc, text, g, {} if shape_digit is None else shape_digit):
        s, e = cand[0], cand[1]
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        find = cand.rule.find if isinstance(cand, Hit) else None
        direction = clause_direction(span, g.vocab.tense,
                                     through_nouns=find is not None and find.through_nouns,
                                     present_ahead=g.settings.present_ahead)
        res = _value(g, text, cand, dct, direction, refs, by_start)
        if res is None:
            continue
        value, typ = res
        by_start[s] = value
        out.append(TimeMention(s, e, value, typ, span.start, span.end))
        if (find is None or find.anchor) and typ in ("DATE", "TIME") and re.match(r"\d{4}", value) \
                and "X" not in value[:4]:
            if re.fullmatch(r"\d{4}-Q\d", value) and (dct is None or value <= granular(dct, "Q", -1)):
                refs.qref = value  # a reported quarter, not one still to come
            if re.match(r"\d{4}-\d\d-\d\d", value):
                refs.ref_day = value[:10]
            refs.ref = value
    return out


def _value(g: TimeGrammar, text: str, cand: Hit | tuple[int, int], dct: date | None, direction: int, refs: _Refs,
           by_start: dict[int, str]) -> tuple[str, str] | None:
    s, e = cand[0], cand[1]
    seg = text[s:e]
    ref = refs.ref
    if isinstance(cand, Hit) and cand.first is not None:
        # the second day of "April 24 and 25" takes month and year from the first
        first = by_start.get(cand.first)
        if first is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", first):
            return None
        try:
            return date(int(first[:4]), int(first[5:7]), int(seg)).isoformat(), "DATE"
        except ValueError:
            return None
    if isinstance(cand, Hit) and cand.rule.find.dated_by_event and ref and _BEFORE_EVENT.match(text, e) \
            and seg[:4].lower() == "the ":
        # "in the weeks before the shooting": a stretch of time dated by its event,
        # which is (as a rule) the date mentioned last
        return (ref_at(ref, "M") or ref[:4]), "DATE"
    use_q = refs.qref if _FIN_WORDS.search(seg) else None
    use_ref = ref
    if refs.ref_day and ref and not re.match(r"\d{4}-\d\d-\d\d", ref) and _DAY_WORDS.search(seg) \
            and _SHIFT_WORDS.search(seg):
        use_ref = refs.ref_day   # "the previous day" needs a day to count from
    return g.normalise(seg, dct, direction, use_ref, use_q)


class TimeStage:
    """The component: owns its grammar (built from the settings) and its caches."""

    def __init__(self, settings: TimeSettings):
        self.settings = settings
        self.grammar = TimeGrammar.load(settings=settings)
        self._shape_digit: dict[int, bool] = {}   # token shape hash -> has a digit

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.times = extract_times(doc, state, self.grammar, self._shape_digit)
        return doc


@Language.factory("communique_times", default_config=TimeSettings().as_config())
def make_time_stage(nlp: Language, name: str, future_bias: float, weekday_slack: int, present_ahead: bool,
                    window: int) -> TimeStage:
    return TimeStage(TimeSettings(future_bias=future_bias, weekday_slack=weekday_slack,
                                  present_ahead=present_ahead, window=window))
