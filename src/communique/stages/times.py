"""Time stage: find time expressions and normalise them to TimeML values.

Values are resolved against the article date, with the tense of the governing
verb deciding direction ("June" in "we met in June" is the last June; in "will
meet in June" the next). Granularity is kept: a month stays ``2025-06``, a year
``2022``, a week ``2025-W34``, a decade ``199``. Durations become ``P3Y``,
recurring expressions are ``SET``s, vague ones ``PAST_REF``/``PRESENT_REF``/
``FUTURE_REF``. ``normalise`` is a pure function, tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span

from ._state import DocState, TimeMention, get_state

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12})
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"])}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
           "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "several": "X", "few": "X",
           "many": "X", "some": "X", "couple": 2, "half": 0.5}
UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "month": "M",
         "year": "Y", "decade": "DE", "century": "CE", "quarter": "Q", "weekend": "WE"}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}

_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY_RE = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Surface patterns spaCy's NER sometimes misses.
_EXTRA = re.compile(
    r"\b(?:" + _MONTH_RE + r"\s+" + _ORD + r"(?:,?\s+\d{4})?"      # August 31st, 2025
    r"|" + _ORD + r"\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+\d{4})?"  # 31 August 2025
    r"|" + _WEEKDAY_RE +
    r"|(?:today|yesterday|tomorrow|tonight|now|currently|recently|nowadays)"
    r"|(?:last|next|this|coming|past)\s+(?:week|month|year|weekend|decade|century|spring|summer|autumn|fall|winter)"
    r"|(?:earlier|later)\s+this\s+(?:week|month|year)"
    r"|\d{4}-\d{2}-\d{2}"
    r")\b", re.IGNORECASE)


@dataclass
class Tense:
    """Direction for resolving underspecified dates: -1 past, +1 future, 0 unknown."""

    direction: int = 0


def _add_months(d: date, months: int) -> tuple[int, int]:
    m = d.month - 1 + months
    return d.year + m // 12, m % 12 + 1


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _num(word: str):
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def normalise(text: str, dct: date | None, direction: int = 0) -> tuple[str, str] | None:
    """``(value, type)`` of a time expression, or None if it is not one.

    ``dct`` is the article date; ``direction`` -1/0/+1 is the tense of the clause.
    """
    raw = text.strip()
    t = re.sub(r"\s+", " ", raw.lower()).strip(" .,")
    t = re.sub(r"^(?:in|on|at|by|since|until|during|from|for|of|about|around|early|late|mid|the)[- ]", "", t) \
        if not re.match(r"^the (past|last|next|coming|first|second|third|fourth|same)", t) else t
    t = t.strip()

    # ISO date
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return f"{m[1]}-{m[2]}-{m[3]}", "DATE"
    # Vague references
    if t in ("now", "currently", "nowadays", "at present", "presently", "right now", "at the moment", "already",
             "these days", "today's", "the present"):
        return "PRESENT_REF", "DATE"
    if t in ("recently", "previously", "formerly", "earlier", "in the past", "the past", "lately", "once",
             "recent years", "recent weeks", "recent months", "recent days", "recent weeks and months"):
        return "PAST_REF", "DATE"
    if t in ("future", "the future", "soon", "in the future", "later", "eventually", "coming years",
             "coming months", "coming weeks", "coming days", "the coming years", "the coming months"):
        if t.startswith(("coming", "the coming")):
            unit = UNITS.get(t.split()[-1].rstrip("s"), "Y")
            return f"PX{unit}", "DURATION"
        return "FUTURE_REF", "DATE"
    # Sets
    m = re.fullmatch(r"(?:every|each) (?:(\w+) )?(day|week|month|year|quarter|morning|night|weekend)", t)
    if m:
        n = _num(m[1]) if m[1] else 1
        unit = UNITS.get(m[2], "D")
        if m[2] in ("morning", "night"):
            return "XXXX-XX-XXT" + PARTS[m[2]], "SET"
        return f"P{n if n else 1}{unit}", "SET"
    sets = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
            "quarterly": "P1Q", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W"}
    if t in sets:
        return sets[t], "SET"
    if dct is None:
        # Without an article date only absolute expressions resolve.
        return _absolute(t) or _duration(t)
    y = dct.year
    # today / yesterday / tomorrow / tonight, with an optional part of day
    rel_days = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "this morning": 0,
                "this afternoon": 0, "this evening": 0, "last night": -1, "yesterday morning": -1,
                "yesterday afternoon": -1, "yesterday evening": -1, "tomorrow morning": 1,
                "later today": 0, "earlier today": 0, "later yesterday": -1, "earlier yesterday": -1,
                "the day before yesterday": -2, "the day after tomorrow": 2}
    if t in rel_days:
        d = dct + timedelta(days=rel_days[t])
        part = next((PARTS[p] for p in PARTS if t.endswith(p)), None)
        if part and t != "tonight":
            return f"{d.isoformat()}T{part}", "TIME"
        return d.isoformat(), "DATE"
    # weekday, with optional last/next/this and part of day
    m = re.fullmatch(r"(?:(last|next|this|past|coming) )?" + _WEEKDAY_RE +
                     r"(?:'s)?(?: (morning|afternoon|evening|night))?", t)
    if m:
        wd = WEEKDAYS[m[2]]
        delta = wd - dct.weekday()
        if m[1] in ("last", "past"):
            delta = delta - 7 if delta >= 0 else delta
        elif m[1] in ("next", "coming"):
            delta = delta + 7 if delta <= 0 else delta
        elif direction > 0:
            delta = delta + 7 if delta < 0 else delta
        elif direction < 0:
            delta = delta - 7 if delta > 0 else delta
        else:  # news mostly reports the recent past: nearest day, ties to the past
            if delta > 3:
                delta -= 7
            elif delta < -3:
                delta += 7
        d = dct + timedelta(days=delta)
        if m[3]:
            return f"{d.isoformat()}T{PARTS[m[3]]}", "TIME"
        return d.isoformat(), "DATE"
    # month day[, year]  /  day month [year]
    m = re.fullmatch(_MONTH_RE + r" " + _ORD + r"(?:,? (\d{4}))?", t) or None
    if m:
        mon, day, year = MONTHS[m[1][:3] if m[1][:4] != "sept" else "sep"], int(m[2]), m[3]
        return _month_day(mon, day, year, dct, direction)
    m = re.fullmatch(_ORD + r" (?:of )?" + _MONTH_RE + r"(?:,? (\d{4}))?", t)
    if m:
        mon, day, year = MONTHS[m[2][:3] if m[2][:4] != "sept" else "sep"], int(m[1]), m[3]
        return _month_day(mon, day, year, dct, direction)
    # month [year]
    m = re.fullmatch(r"(?:(last|next|this|early|late|mid|mid-|early-|late-) ?)?" + _MONTH_RE + r"(?:,? (\d{4}))?", t)
    if m and not re.fullmatch(r"may|march", t) or (m and raw[:1].isupper()):
        mon = MONTHS[m[2][:3] if m[2][:4] != "sept" else "sep"]
        if m[3]:
            return f"{int(m[3]):04d}-{mon:02d}", "DATE"
        year = y
        mod = m[1] or ""
        if mod == "last" or (mod not in ("next", "this") and direction < 0 and mon > dct.month):
            year = y - 1 if mon >= dct.month or mod == "last" else y
            if mod == "last" and mon < dct.month:
                year = y
        elif mod == "next" or (direction > 0 and mon < dct.month):
            year = y + 1 if mon <= dct.month else y
        elif direction == 0 and mon - dct.month > 6:
            year = y - 1
        elif direction == 0 and dct.month - mon > 6:
            year = y + 1
        return f"{year:04d}-{mon:02d}", "DATE"
    # seasons
    m = re.fullmatch(r"(?:(last|next|this) )?(spring|summer|autumn|fall|winter)(?: (?:of )?(\d{4}))?", t)
    if m:
        year = int(m[3]) if m[3] else y + {"last": -1, "next": 1}.get(m[1] or "", 0)
        return f"{year:04d}-{SEASONS[m[2]]}", "DATE"
    # relative week / month / year / quarter
    m = re.fullmatch(r"(last|past|previous|next|this|coming|the current|current|the same|that) "
                     r"(week|weekend|month|year|quarter|decade|century)", t)
    if m:
        k = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(m[1], 0)
        return _relative_unit(m[2], k, dct), "DATE"
    m = re.fullmatch(r"(earlier|later) this (week|month|year)", t)
    if m:
        return _relative_unit(m[2], 0, dct), "DATE"
    m = re.fullmatch(r"(?:a|one|(\w+)) (day|week|month|year|decade)s? (ago|earlier|before|later|from now|hence)", t)
    if m:
        n = _num(m[1]) if m[1] else 1
        if isinstance(n, (int, float)):
            k = -int(n) if m[3] in ("ago", "earlier", "before") else int(n)
            return _relative_unit(m[2], k, dct), "DATE"
    if t in ("a year earlier", "a year ago", "the year-earlier period", "the year-ago period", "year-earlier"):
        return str(y - 1), "DATE"
    # quarters
    m = re.fullmatch(r"(?:the )?(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter(?: of (\d{4}))?", t)
    if m:
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[m[1]]
        year = int(m[2]) if m[2] else (y if q <= (dct.month - 1) // 3 + 1 or direction >= 0 else y - 1)
        return f"{year}-Q{q}", "DATE"
    # weekend
    if t in ("the weekend", "this weekend", "weekend"):
        return _week(dct) + "-WE", "DATE"
    return _absolute(t) or _duration(t)


def _month_day(mon: int, day: int, year: str | None, dct: date, direction: int) -> tuple[str, str]:
    if year:
        return f"{int(year):04d}-{mon:02d}-{day:02d}", "DATE"
    y = dct.year
    try:
        cand = date(y, mon, day)
    except ValueError:
        return f"{y:04d}-{mon:02d}", "DATE"
    if direction < 0 and cand > dct + timedelta(days=1):
        y -= 1
    elif direction > 0 and cand < dct - timedelta(days=1):
        y += 1
    elif direction == 0 and (cand - dct).days > 183:
        y -= 1
    elif direction == 0 and (dct - cand).days > 183:
        y += 1
    return f"{y:04d}-{mon:02d}-{day:02d}", "DATE"


def _relative_unit(unit: str, k: int, dct: date) -> str:
    if unit == "day":
        return (dct + timedelta(days=k)).isoformat()
    if unit in ("week", "weekend"):
        return _week(dct + timedelta(weeks=k)) + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        yy, mm = _add_months(dct, k)
        return f"{yy:04d}-{mm:02d}"
    if unit == "quarter":
        q = (dct.month - 1) // 3 + k
        return f"{dct.year + q // 4}-Q{q % 4 + 1}"
    if unit == "decade":
        return str((dct.year // 10) + k)[:3]
    if unit == "century":
        return str(dct.year // 100 + k)
    return str(dct.year + k)


def _absolute(t: str) -> tuple[str, str] | None:
    m = re.fullmatch(r"(?:the )?(?:year )?(\d{4})", t)
    if m and 1000 <= int(m[1]) <= 2200:
        return m[1], "DATE"
    m = re.fullmatch(r"(?:fiscal|fy) ?(\d{4})", t)
    if m:
        return m[1], "DATE"
    m = re.fullmatch(r"(?:the )?(?:early |late |mid-?)?(\d{3})0s", t)
    if m:
        return m[1], "DATE"
    m = re.fullmatch(r"(?:the )?'?(\d)0s", t)
    if m:
        return "19" + m[1], "DATE"
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th) century", t)
    if m:
        return f"{int(m[1]) - 1:02d}", "DATE"
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
    if m:
        return f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}", "DATE"
    return None


_DUR = re.compile(r"(?:the )?(?:(?:past|last|next|first|coming|previous|following|recent|final|at least|about|"
                  r"nearly|almost|more than|over|some|another|an additional|up to) )*"
                  r"(?:(\d+(?:\.\d+)?|[a-z]+)(?:[- ](?:and[- ]a[- ]half))? ?)?(?:more )?"
                  r"(second|minute|hour|day|night|week|month|year|decade|century|quarter)s?(?:-long| long| old)?")


def _duration(t: str) -> tuple[str, str] | None:
    m = _DUR.fullmatch(t)
    if not m:
        return None
    unit = UNITS[m[2]]
    n = _num(m[1]) if m[1] else 1
    if n is None:
        if m[1] in ("the", "this", "that"):
            return None
        n = "X"
    if isinstance(n, float):
        n = int(n) if n >= 1 else n
    if unit == "Q":
        return f"P{n}Q", "DURATION"
    if unit in ("S", "H") or (unit == "M" and m[2] == "minute"):
        return f"PT{n}{unit}", "DURATION"
    if unit == "DE":
        return f"P{n}DE", "DURATION"
    if unit == "CE":
        return f"P{n}CE", "DURATION"
    return f"P{n}{unit}", "DURATION"


def clause_direction(span: Span) -> int:
    """-1 past, +1 future, 0 unknown, from the verb that governs ``span``."""
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            break
        tok = tok.head
    verb = tok
    if verb.pos_ not in ("VERB", "AUX"):
        return 0
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "wo", "shall", "'ll") for a in auxes):
        return 1
    if any(a.lower_ in ("going",) for a in auxes) or verb.lower_ == "going":
        return 1
    if verb.tag_ in ("VBD",) or any(a.tag_ == "VBD" for a in auxes):
        return -1
    if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
        return -1
    if verb.tag_ in ("VBG", "VBZ", "VBP") and any(a.lemma_ == "be" for a in auxes) and \
            any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return 1 if verb.tag_ == "VBG" else 0  # "is taking place on Aug 31": scheduled
    return 0


def _candidates(doc: Doc) -> list[tuple[int, int]]:
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    for m in _EXTRA.finditer(doc.text):
        if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e in spans):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def _split_coordination(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """"August 31st and September 1st" is two dates."""
    seg = text[start:end]
    parts = re.split(r"\s+(?:and|or|to|through|until)\s+|\s*[-\u2013]\s*(?=[A-Z])", seg)
    if len(parts) < 2 or not all(re.search(r"\d|" + _MONTH_RE, p, re.I) for p in parts):
        return [(start, end)]
    out, pos = [], start
    for p in parts:
        s = text.index(p, pos)
        out.append((s, s + len(p)))
        pos = s + len(p)
    return out


def extract_times(doc: Doc, state: DocState) -> list[TimeMention]:
    out: list[TimeMention] = []
    text = doc.text
    for s, e in _candidates(doc):
        for s2, e2 in _split_coordination(text, s, e):
            span = doc.char_span(s2, e2, alignment_mode="expand")
            if span is None:
                continue
            # trim leading prepositions/determiners the entity may include
            while len(span) > 1 and span[0].lower_ in ("in", "on", "at", "by", "since", "from", "until"):
                span = span[1:]
            direction = clause_direction(span)
            res = normalise(span.text, state.date, direction)
            if res is None:
                continue
            value, typ = res
            out.append(TimeMention(span.start_char, span.end_char, value, typ, span.start, span.end))
    return out


@Language.factory("communique_times", default_config={})
def make_time_stage(nlp: Language, name: str):
    def time_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.times = extract_times(doc, state)
        return doc

    return time_stage
