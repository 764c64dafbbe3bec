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

``normalise`` is a pure function, tested on its own; the word lists live in
``kb/data/times.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LOWER, SHAPE
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from ..errors import KnowledgeBaseError
from ..kb.tables import data_path, read_table
from ._state import DocState, TimeMention, get_state

# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocab:
    version: str
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, str]          # word -> digits or "X"
    ordinals: dict[str, int]
    units: dict[str, tuple[str, int, bool]]  # word -> (code, multiplier, clock unit)
    seasons: dict[str, str]
    parts: dict[str, str]
    holidays: dict[str, str]
    vague: dict[str, tuple[str, str, bool]]  # phrase -> (value, type, detect)
    decades: dict[str, str]


@lru_cache(maxsize=1)
def get_vocab() -> Vocab:
    """The time vocabulary from ``kb/data/times.tsv`` (read once per process)."""
    table = read_table(data_path("times.tsv"), required=("kind", "phrase", "value", "type", "detect"))
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    numbers: dict[str, str] = {}
    ordinals: dict[str, int] = {}
    units: dict[str, tuple[str, int, bool]] = {}
    seasons: dict[str, str] = {}
    parts: dict[str, str] = {}
    holidays: dict[str, str] = {}
    vague: dict[str, tuple[str, str, bool]] = {}
    decades: dict[str, str] = {}
    for lineno, row in table:
        kind, phrase, value = row["kind"], row["phrase"].lower(), row["value"]
        try:
            _check_row(kind, value)
        except ValueError as err:
            raise KnowledgeBaseError(f"bad {kind or 'empty'} row ({err})", f"{table.path}:{lineno}",
                                     "see the kinds and values described at the top of times.tsv") from err
        if kind == "month":
            months[phrase] = int(value)
        elif kind == "weekday":
            weekdays[phrase] = int(value)
        elif kind == "number":
            numbers[phrase] = value
        elif kind == "ordinal":
            ordinals[phrase] = int(value)
        elif kind == "unit":
            code, _, mult = value.partition("*")
            units[phrase] = (code, int(mult or 1), row["type"] == "T")
        elif kind == "season":
            seasons[phrase] = value
        elif kind == "part":
            parts[phrase] = value
        elif kind == "holiday":
            holidays[phrase] = value
        elif kind in ("vague", "set"):
            vague[phrase] = (value, row["type"] or "DATE", row["detect"] == "yes")
        elif kind == "decade":
            decades[phrase] = value
    # compound ordinals: twenty-first .. thirty-first
    tens = {"twenty": 20, "thirty": 30}
    for tw, tv in tens.items():
        for ow, ov in ordinals.copy().items():
            if ov < 10:
                ordinals[f"{tw}-{ow}"] = tv + ov
                ordinals[f"{tw} {ow}"] = tv + ov
    return Vocab(table.version, months, weekdays, numbers, ordinals, units, seasons, parts, holidays,
                 vague, decades)


_KINDS = {"month", "weekday", "number", "ordinal", "unit", "season", "part", "holiday", "vague", "set",
          "decade"}


def _check_row(kind: str, value: str) -> None:
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if kind in ("month", "weekday", "ordinal") and not value.isdigit():
        raise ValueError(f"{value!r} is not a number")
    if kind == "number" and not (value.isdigit() or value == "X"):
        raise ValueError(f"{value!r} is neither a number nor X")
    if kind == "unit" and not re.fullmatch(r"[A-Z]{1,2}(?:\*\d+)?", value):
        raise ValueError(f"{value!r} is not a unit code such as Y or Y*10")
    if kind == "holiday" and holiday_date(value, 2000) is None:
        raise ValueError(f"{value!r} is not a holiday rule")


def _alt(words) -> str:
    """Regex alternation of ``words``, longest first, spaces matching any whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


# --------------------------------------------------------------------------- number words

@lru_cache(maxsize=1)
def _numword_re() -> re.Pattern:
    v = get_vocab()
    words = [w for w, d in v.numbers.items() if d.isdigit() and " " not in w and w not in ("a", "an")]
    w = _alt(words)
    return re.compile(rf"\b(?:a\s+(?=hundred|thousand|dozen))?(?:{w})(?:(?:[\s-]+|\s+and\s+)(?:{w}))*\b")


def _words_value(run: str) -> str:
    v = get_vocab()
    toks = [x for x in re.split(r"[\s-]+", run) if x and x != "and"]
    vals = [1 if x == "a" else int(v.numbers[x]) for x in toks]
    # spelled years: nineteen ninety-six, twenty twenty, nineteen hundred
    if len(vals) >= 2 and 11 <= vals[0] <= 20 and "hundred" != toks[0]:
        rest = vals[1:]
        if rest == [100]:
            return str(vals[0] * 100)
        if all(x < 100 for x in rest) and rest[0] >= 20 and rest[0] % 10 == 0 and \
                (len(rest) == 1 or (len(rest) == 2 and rest[1] < 10)):
            return str(vals[0] * 100 + sum(rest))
        if len(rest) == 1 and 10 <= rest[0] < 20:
            return str(vals[0] * 100 + rest[0])
    total = cur = 0
    for word, x in zip(toks, vals, strict=True):
        if x == 100:
            cur = max(cur, 1) * 100
        elif x == 1000:
            total += max(cur, 1) * 1000
            cur = 0
        elif word == "dozen":
            cur = max(cur, 1) * 12
        else:
            cur += x
    return str(total + cur)


def _digits(t: str) -> str:
    """``t`` with spelled cardinal numbers written in digits ("twenty four hours" -> "24 hours")."""
    return _numword_re().sub(lambda m: _words_value(m.group()), t)


# --------------------------------------------------------------------------- calendar helpers

def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(y, month, day)


def holiday_date(rule: str, year: int) -> date | None:
    """The date of a holiday ``rule`` (see times.tsv) in ``year``."""
    m = re.fullmatch(r"easter([+-]\d+)", rule)
    if m:
        return _easter(year) + timedelta(days=int(m[1]))
    m = re.fullmatch(r"(\d\d)-(\d\d)", rule)
    if m:
        return date(year, int(m[1]), int(m[2]))
    m = re.fullmatch(r"(\d\d)-(\d)#(\d|L)(?:\+(\d+))?", rule)
    if m:
        mon, wd = int(m[1]), int(m[2])
        if m[3] == "L":
            nxt = date(year + (mon == 12), mon % 12 + 1, 1)
            d = nxt - timedelta(days=1)
            d -= timedelta(days=(d.isoweekday() - wd) % 7)
        else:
            d = date(year, mon, 1)
            d += timedelta(days=(wd - d.isoweekday()) % 7 + 7 * (int(m[3]) - 1))
        return d + timedelta(days=int(m[4] or 0))
    return None


# With no tense to go by, a date is read in the past unless the future reading is more
# than twice as close (news mostly reports what happened), and a bare weekday is the
# last one unless the next is more than a day closer.
FUTURE_BIAS = 2.0
WEEKDAY_SLACK = 1


def _pick(cands: list, now, direction: int):
    """The candidate (comparable with ``now``) the tense points to: the latest not after
    ``now`` for the past, the earliest not before it for the future, else the nearest
    (ties to the past, as news mostly reports what happened)."""
    past = [c for c in cands if c <= now]
    fut = [c for c in cands if c >= now]
    if direction < 0 and past:
        return max(past)
    if direction > 0 and fut:
        return min(fut)
    p, f = (max(past) if past else None), (min(fut) if fut else None)
    if p is None:
        return f
    if f is None:
        return p
    return p if _dist(now, p) <= _dist(f, now) * FUTURE_BIAS else f


def _dist(a, b) -> int:
    d = a - b
    return d.days if isinstance(d, timedelta) else d


def _resolve_md(mon: int, day: int, dct: date, direction: int) -> str | None:
    cands = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            cands.append(date(y, mon, day))
        except ValueError:
            pass
    if not cands:
        return None   # "February 30"
    return _pick(cands, dct, direction).isoformat()


def _resolve_month(mon: int, dct: date, direction: int) -> str:
    now = dct.year * 12 + dct.month - 1
    cands = [(dct.year + k) * 12 + mon - 1 for k in (-1, 0, 1)]
    i = _pick(cands, now, direction)
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def _resolve_weekday(wd: int, dct: date, direction: int, mod: str = "") -> date:
    back = (dct.isoweekday() - wd) % 7          # days back to the last such day (0 = today)
    fwd = (wd - dct.isoweekday()) % 7
    if mod in ("last", "past", "previous"):
        return dct - timedelta(days=back or 7)
    if mod in ("next", "coming", "this coming"):
        return dct + timedelta(days=fwd or 7)
    if mod == "this":
        return dct + timedelta(days=wd - dct.isoweekday())
    if direction > 0:
        return dct + timedelta(days=fwd)
    if direction < 0:
        return dct - timedelta(days=back)
    return dct - timedelta(days=back) if back <= fwd + WEEKDAY_SLACK else dct + timedelta(days=fwd)


def _quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _shift(value: str, unit: str, k: int) -> str | None:
    """``value`` (a TimeML date) moved ``k`` ``unit``s, keeping its granularity."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", value)
    if m:
        d = date(int(m[1]), int(m[2]), int(m[3]))
        if unit == "D":
            return (d + timedelta(days=k)).isoformat() + (m[4] or "")
        if unit == "W":
            return (d + timedelta(weeks=k)).isoformat()
        if unit == "M":
            y, mo = _add_months(d.year, d.month, k)
            try:
                return date(y, mo, d.day).isoformat()
            except ValueError:
                return f"{y:04d}-{mo:02d}"
        if unit == "Y":
            try:
                return date(d.year + k, d.month, d.day).isoformat()
            except ValueError:
                return f"{d.year + k:04d}-{d.month:02d}"
        return None
    m = re.fullmatch(r"(\d{4})-(\d\d)", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        if unit == "M":
            y, mo = _add_months(y, mo, k)
        elif unit == "Y":
            y += k
        else:
            return None
        return f"{y:04d}-{mo:02d}"
    m = re.fullmatch(r"(\d{4})-Q(\d)", value)
    if m:
        y, q = int(m[1]), int(m[2])
        if unit == "Q":
            i = y * 4 + q - 1 + k
            return f"{i // 4}-Q{i % 4 + 1}"
        if unit == "Y":
            return f"{y + k}-Q{q}"
        return None
    m = re.fullmatch(r"(\d{4})-W(\d\d)", value)
    if m and unit == "W":
        d = date.fromisocalendar(int(m[1]), int(m[2]), 1) + timedelta(weeks=k)
        return _week(d)
    m = re.fullmatch(r"(\d{4})(?:-(?:H\d|SU|SP|FA|WI))?", value)
    if m and unit == "Y":
        return str(int(m[1]) + k) + value[4:]
    return None


def _granular(dct: date, unit: str, k: int = 0) -> str:
    """The ``unit`` (D, W, WE, M, Q, Y, DE, CE) containing ``dct``, moved ``k`` units."""
    if unit == "D":
        return (dct + timedelta(days=k)).isoformat()
    if unit == "W":
        return _week(dct + timedelta(weeks=k))
    if unit == "WE":
        return _week(dct + timedelta(weeks=k)) + "-WE"
    if unit == "M":
        y, m = _add_months(dct.year, dct.month, k)
        return f"{y:04d}-{m:02d}"
    if unit == "Q":
        i = dct.year * 4 + _quarter_of(dct) - 1 + k
        return f"{i // 4}-Q{i % 4 + 1}"
    if unit == "H":
        i = dct.year * 2 + (dct.month > 6) + k
        return f"{i // 2}-H{i % 2 + 1}"
    if unit == "DE":
        return str(dct.year // 10 + k)
    if unit == "CE":
        return f"{dct.year // 100 + k:02d}"
    return str(dct.year + k)


def _unit(word: str) -> tuple[str, int, bool] | None:
    w = word.lower().rstrip(".")
    units = get_vocab().units
    if w in units:
        return units[w]
    for stem, full in (("centuries", "century"), ("millennia", "millennium"), ("millenniums", "millennium")):
        if w == stem:
            return units[full]
    if w.endswith("s") and w[:-1] in units:
        return units[w[:-1]]
    return None


# the next smaller unit, for fractions: 2 1/2 years = P2Y6M, 5 1/2 hours = PT5H30M
_SUBUNIT = {("Y", False): ("M", 12, False), ("Q", False): ("M", 3, False), ("M", False): ("D", 30, False),
            ("W", False): ("D", 7, False), ("D", False): ("H", 24, True), ("H", True): ("M", 60, True),
            ("M", True): ("S", 60, True)}


def _duration(n, word: str) -> str | None:
    """TimeML duration of ``n`` (int, float or "X") ``word`` units."""
    u = _unit(word)
    if u is None:
        return None
    code, mult, clock = u
    if code == "WE":
        code, mult = "D", 2
    if n == "X":
        return ("PTX" if clock else "PX") + code
    n = n * mult
    whole = int(n)
    parts = [(whole, code, clock)] if whole else []
    if n - whole > 1e-9:
        sub = _SUBUNIT.get((code, clock))
        if sub is None:
            return None
        scode, k, sclock = sub
        parts.append((round((n - whole) * k), scode, sclock))
    if not parts:
        return None
    date_part = "".join(f"{v}{c}" for v, c, t in parts if not t)
    time_part = "".join(f"{v}{c}" for v, c, t in parts if t)
    return "P" + date_part + ("T" + time_part if time_part else "")


def _num(s: str):
    """Value of a quantity word or digits: int, float, or "X" for vague amounts."""
    s = s.strip().lower().replace(",", "")
    m = re.fullmatch(r"(\d+)\s+(\d)/(\d)", s)
    if m:
        return int(m[1]) + int(m[2]) / int(m[3])
    m = re.fullmatch(r"(\d)/(\d)", s)
    if m:
        return int(m[1]) / int(m[2])
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d*\.\d+", s):
        return float(s)
    if s == "half":
        return 0.5
    v = get_vocab().numbers.get(re.sub(r"\s+", " ", s))
    if v is None:
        return None
    return v if v == "X" else int(v)


# --------------------------------------------------------------------------- normalisation grammar

_LEAD_WORDS = (
    "in|on|at|by|since|until|till|through|throughout|during|from|for|of|within|before|after|around|"
    "about|approximately|roughly|nearly|almost|some|only|just|over|under|more than|less than|fewer than|"
    "at least|at most|no more than|no less than|no later than|no earlier than|not until|up to|as early as|"
    "as late as|as long as|as much as|as many as|upwards of|well over|well into|barely|each of|all of|"
    "early|late|mid|earlier|later|the beginning of|the end of|the middle of|the start of|the turn of|"
    "the rest of|the remainder of|the course of|the close of|the first part of|the latter part of|"
    "the latter half of|the early part of|end of|beginning of|middle of|start of|the better part of|"
    "a little over|a little more than|the early|the late|the mid")
# Leading words that do not change a value (prepositions, approximations, TIMEX3 "mod"s).
_LEAD = re.compile(r"^(?:" + "|".join(sorted(_LEAD_WORDS.split("|"), key=len, reverse=True)) + r")[\s-]+")


def _clean(text: str) -> str:
    t = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^[\"`(\[]+|[\"`)\].,;:!?]+$", "", t).strip()
    t = re.sub(r"(?<=[a-z])'s$|(?<=s)'$", "", t)
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t)
    t = re.sub(r"\b(a|p)\.? ?m\b\.?", r"\1m", t)
    return _digits(t)


@lru_cache(maxsize=1)
def _grammar() -> list[tuple[str, re.Pattern]]:
    """The normaliser's rules: (handler name, regex matched against the whole cleaned text)."""
    v = get_vocab()
    mon = _alt(v.months)
    wd = _alt(v.weekdays)
    ordw = _alt(v.ordinals)
    season = _alt(v.seasons)
    part = _alt(k for k in v.parts if k not in ("tonight",))
    unit = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|weekends?|months?|quarters?|years?|" \
           r"decades?|centur(?:y|ies)|millenni(?:um|a|ums))"
    qty = r"(?:\d+(?:\.\d+)?(?: \d/\d)?|\d/\d|" + _alt(k for k, d in v.numbers.items() if not d.isdigit() or
                                                       k in ("a", "an", "a couple", "a couple of", "couple of")) \
        + r"|half an?)"
    day = rf"(?:(\d{{1,2}})|({ordw}))"
    year = r"(\d{4})"
    tz = r"(?: (?:[a-z]{2,4}t|gmt|utc|local time))?"
    rules: list[tuple[str, re.Pattern]] = []
    R = rules.append

    R(("iso", re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:t(\d\d):(\d\d))?")))
    R(("slash", re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")))
    # clock times, with an optional day
    clock = r"(?:(\d{1,2})(?::(\d\d))? ?(am|pm)|(\d{1,2}):(\d\d)|(noon|midnight|midday)|" \
            r"(\d{1,2})(?: o'clock)? in the (morning|afternoon|evening|night))"
    R(("clock", re.compile(rf"{clock}{tz}(?:,? (?:on |of )?(.+))?")))
    R(("clock_rev", re.compile(rf"(.+?),? at {clock}{tz}")))
    # weekdays
    R(("weekday", re.compile(
        rf"(?:(last|next|this coming|this|coming|past|previous) )?({wd})(s)?(?: ({part})(s)?)?"
        rf"(?:,? (.+))?")))
    R(("part_day", re.compile(rf"(?:(?:early|late|mid)[ -]?)?({part}) (?:of )?(today|yesterday|tomorrow|{wd})")))
    # days relative to today
    R(("deictic", re.compile(rf"(?:the day (before|after) )?(today|yesterday|tomorrow|tonight)(?: ({part}))?")))
    R(("this_part", re.compile(rf"(this|last|tomorrow|yesterday) ({part})")))
    # month and day
    R(("md", re.compile(rf"(?:(last|next|this|this coming|coming) )?({mon})\.? {day}(?:,? {year})?")))
    R(("dm", re.compile(rf"(?:the )?{day} (?:of )?({mon})\.?(?:,? {year})?")))
    R(("week_of", re.compile(r"the (week|weekend) of (.+)")))
    R(("my", re.compile(rf"({mon})\.?,? (?:of )?{year}")))
    R(("m_rel", re.compile(rf"({mon})\.? (?:of )?(last|this|next) year")))
    R(("month", re.compile(rf"(?:(last|next|this|this coming|coming|past) )?({mon})\.?")))
    # holidays
    R(("holiday", re.compile(rf"(?:(last|next|this|this coming) )?({_alt(v.holidays)})(?:,? {year})?( week)?")))
    # seasons
    R(("season", re.compile(
        rf"(?:(last|next|this|this coming|coming|past|the past|the coming) )?(?:the )?({season})"
        rf"(?: (?:of )?(?:{year}|(last|this|next) year))?")))
    R(("seasons_set", re.compile(rf"(?:the )?(?:past|last|next) \d+ ({season})s")))
    # years, decades, centuries
    R(("yearend", re.compile(r"(year|month|quarter)-end")))
    R(("year", re.compile(r"(?:the )?(?:(?:calendar|fiscal|fy|fiscal year|year|model year)[ -]?)?"
                          r"(?:(?:pre|post|mid)-)?(\d{4})(?:(?: fiscal)? (?:year|period|season|calendar year))?")))
    R(("year_ap", re.compile(r"'(\d\d)")))
    R(("decade", re.compile(r"(?:the )?(\d{3})0 ?'?s")))
    R(("decade2", re.compile(r"(?:the )?'(\d)0 ?s")))
    R(("decadew", re.compile(rf"(?:the )?({_alt(v.decades)})")))
    R(("century", re.compile(rf"(?:the )?(?:(\d{{1,2}})|({ordw}))[ -]century")))
    R(("century_rel", re.compile(r"(?:the )?(this|last|next|past|current|previous) century")))
    # quarters and halves
    qord = r"(first|second|third|fourth|final|1|2|3|4)"
    R(("quarter", re.compile(
        rf"(?:the )?(?:(?:fiscal |fy ?)?(\d{{4}})(?:'s)? )?(?:fiscal )?{qord}[ -](?:fiscal[ -])?(quarter|half|period)"
        rf"(?:,? (?:of )?(?:fiscal |the )?(?:(?:year )?(\d{{4}})|(this|last|next|the current|the previous) "
        rf"(?:fiscal )?year))?")))
    R(("q_rel", re.compile(
        r"(?:the )?(latest|current|most recent|recent|just-ended|just ended|comparable|same|year-ago|"
        r"year-earlier|year ago|year earlier|prior-year|previous-year|last year's|year-before|year before|"
        r"previous|prior|preceding|last|this|next|coming|following)?[ -]?(?:fiscal )?(quarter|period)"
        r"(?: (?:a year (?:ago|earlier)|last year|of last year|in \d{4}))?")))
    R(("year_back", re.compile(
        r"(?:(?:a|one|1) year (?:ago|earlier|before)|the year before|the previous year|the prior year|"
        r"year-earlier|year-ago|year earlier|year ago|a year-earlier|prior-year|previous-year|year-before)"
        r"(?: (?:quarter|period|results|level|figure|periods|quarters))?")))
    R(("fiscal", re.compile(
        r"(?:the )?(current|latest|new|next|last|previous|prior|coming|this|same|past)?[ -]?fiscal year"
        r"(?: (?:ending|ended|that ends|that ended|which ends) .*)?")))
    # relative units
    R(("rel_unit", re.compile(
        r"(?:the )?(this|last|next|past|previous|coming|current|following|same|that|present|prior|preceding)"
        r"(?: same)? (day|night|morning|afternoon|evening|week|weekend|month|year|decade)")))
    R(("the_unit", re.compile(r"(?:the )?(day|week|weekend|month|year|morning|afternoon|evening|night)")))
    R(("ago", re.compile(
        rf"({qty}) ({unit})(?: or so)? (ago|earlier|later|before|after|previously|from now|hence|back|since)")))
    R(("ago1", re.compile(rf"(?:an? )?({unit}) (ago|earlier|later|before|after|from now|hence)")))
    R(("nth_day", re.compile(rf"(?:the )?(?:{ordw}) (day|week|month|year)")))
    # sets
    R(("every", re.compile(
        rf"(?:every|each|per|a|an) (?:other )?(?:(\d+|{_alt(k for k, d in v.numbers.items() if d.isdigit())}) )?"
        rf"({unit}|{wd}|{mon}|{season}|{part})")))
    R(("times_per", re.compile(rf"(?:once|twice|\d+ times) (?:a|an|per|each|every) ({unit})")))
    R(("plural_wd", re.compile(rf"({wd})s(?: ({part})s?)?")))
    # durations
    R(("dur", re.compile(
        rf"(?:the )?(?:(?:past|last|next|first|final|coming|previous|following|recent|remaining|initial|"
        rf"entire|whole|full|latest|early|other|same|additional|another)[ -])*"
        rf"({qty})(?:[ -](and[ -]a[ -]half))?[ -](?:(?:more|additional|full|straight|consecutive|extra|"
        rf"long|short|remaining|long-term)[ -])?({unit})(?:[ -]long)?(?: and a half)?")))
    R(("dur_plural", re.compile(
        r"(?:the )?(?:(past|last|next|coming|recent|early|first|final|following|ensuing|intervening|"
        r"preceding|previous|few|several|many|these|those|long)[ -])*"
        r"(seconds|minutes|hours|days|nights|weeks|months|years|decades|centuries|generations)(?:-long)?")))
    R(("dur_half", re.compile(rf"half an? ({unit})|an? ({unit}) and a half")))
    R(("dur_or", re.compile(rf"(.+?) or (?:{qty}|\d+|{unit})s?(?: {unit})?")))
    return rules


@dataclass
class _Ctx:
    dct: date | None
    direction: int
    ref: str | None
    qref: str | None


def normalise(text: str, dct: date | None, direction: int = 0, ref: str | None = None,
              qref: str | None = None) -> tuple[str, str] | None:
    """``(value, type)`` of a time expression, or None if it is not one.

    ``dct`` is the article date; ``direction`` -1/0/+1 the tense of the clause (past,
    unknown, future); ``ref`` the reference time (last date mentioned, a TimeML value)
    for anaphoric expressions ("that day", "the following year"); ``qref`` the last
    fiscal quarter mentioned, which "a year earlier" and "the quarter" refer to in
    financial reports.
    """
    ctx = _Ctx(dct, direction, ref, qref)
    t = _clean(text)
    seen = set()
    while t and t not in seen:
        seen.add(t)
        res = _resolve(t, ctx)
        if res is not None:
            return res
        t2 = _LEAD.sub("", t, count=1).strip()
        if t2 == t:
            break
        t = t2
    return None


def _resolve(t: str, c: _Ctx) -> tuple[str, str] | None:
    v = get_vocab()
    if t in ("1 day", "some day") and c.direction > 0:
        return "FUTURE_REF", "DATE"
    if t in v.vague:
        value, typ, _ = v.vague[t]
        return value, typ
    for name, rx in _grammar():
        m = rx.fullmatch(t)
        if m is None:
            continue
        res = _HANDLERS[name](m, c)
        if res is not None:
            return res
    return None


def _X(gran: str) -> str:
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX", "Y": "XXXX"}.get(gran, "XXXX")


def _ordinal(s: str | None) -> int | None:
    if s is None:
        return None
    if s.isdigit():
        return int(s)
    return get_vocab().ordinals.get(s)


def _month(s: str) -> int:
    return get_vocab().months[s.rstrip(".")]


def _with_part(day_value: str, p: str | None) -> str:
    """``2025-08-29TNI`` for a day and a part of it (or a clock time such as noon)."""
    if not p:
        return day_value
    return f"{day_value}T{get_vocab().parts[p]}"


def _h_yearend(m, c):
    if c.dct is None:
        return None
    return _granular(c.dct, {"year": "Y", "month": "M", "quarter": "Q"}[m[1]]), "DATE"


def _h_iso(m, c):
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if m[4]:
        return f"{d.isoformat()}T{m[4]}:{m[5]}", "TIME"
    return d.isoformat(), "DATE"


def _h_slash(m, c):
    mo, d, y = int(m[1]), int(m[2]), int(m[3])
    if y < 100:
        y += 1900 if y > 30 else 2000
    try:
        return date(y, mo, d).isoformat(), "DATE"
    except ValueError:
        return None


def _clock_value(m, off: int) -> str | None:
    g = [m[off + i] for i in range(8)]
    if g[0]:
        h, mi = int(g[0]), int(g[1] or 0)
        if h > 12 or mi > 59:
            return None
        if g[2] == "pm" and h != 12:
            h += 12
        if g[2] == "am" and h == 12:
            h = 0
        return f"{h:02d}:{mi:02d}"
    if g[3]:
        h, mi = int(g[3]), int(g[4])
        if h > 24 or mi > 59:
            return None
        return f"{h:02d}:{mi:02d}"
    if g[5]:
        return "24:00" if g[5] == "midnight" else "12:00"
    if g[6]:
        h = int(g[6])
        if h > 12:
            return None
        if g[7] in ("afternoon", "evening", "night") and h != 12:
            h += 12
        return f"{h:02d}:00"
    return None


def _day_anchor(rest: str | None, c: _Ctx) -> str | None:
    """Day value of the date part of a clock expression (or the reference day)."""
    if rest:
        res = normalise(rest, c.dct, c.direction, c.ref, c.qref)
        if res is not None and res[0].startswith("XXXX"):
            return "XXXX-XX-XX"
        if res is None or not re.match(r"\d{4}-\d\d-\d\d", res[0]):
            return None
        return res[0][:10]
    if c.ref and re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", c.ref):
        return c.ref[:10]
    return c.dct.isoformat() if c.dct else "XXXX-XX-XX"


def _h_clock(m, c):
    hm = _clock_value(m, 1)
    if hm is None:
        return None
    d = _day_anchor(m[9], c)
    if d is None:
        return None
    return f"{d}T{hm}", "TIME"


def _h_clock_rev(m, c):
    hm = _clock_value(m, 2)
    if hm is None:
        return None
    d = _day_anchor(m[1], c)
    if d is None:
        return None
    return f"{d}T{hm}", "TIME"


def _h_weekday(m, c):
    mod, wdw, plural, part, pplural, rest = m[1], m[2], m[3], m[4], m[5], m[6]
    wd = get_vocab().weekdays[wdw]
    if plural or (pplural and not mod):
        value = f"XXXX-WXX-{wd}" + (f"T{get_vocab().parts[part]}" if part else "")
        return value, "SET"
    if rest:
        res = normalise(rest, c.dct, c.direction, c.ref, c.qref)
        if res is not None and res[0].startswith("XXXX-"):
            return _with_part(res[0], part), "DATE"   # no article date: the year stays unknown
        if res is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", res[0]):
            return None
        d = date.fromisoformat(res[0])
        if d.isoweekday() != wd and not re.search(r"\d{4}", rest):
            for k in (-1, 1, -2, 2):
                try:
                    alt = d.replace(year=d.year + k)
                except ValueError:
                    continue
                if alt.isoweekday() == wd:
                    d = alt
                    break
        return _with_part(d.isoformat(), part), "DATE"
    if c.dct is None:
        return f"XXXX-WXX-{wd}", "DATE"
    d = _resolve_weekday(wd, c.dct, c.direction, mod or "")
    return _with_part(d.isoformat(), part), "DATE"


def _h_part_day(m, c):
    part, day = m[1], m[2]
    base = normalise(day, c.dct, c.direction, c.ref, c.qref)
    if base is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", base[0]):
        return None
    return _with_part(base[0], part), "TIME"


def _h_deictic(m, c):
    rel, word, part = m[1], m[2], m[3]
    if c.dct is None:
        return "XXXX-XX-XX", "DATE"
    k = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    k += {"before": -1, "after": 1, None: 0}[rel]
    d = (c.dct + timedelta(days=k)).isoformat()
    if word == "tonight":
        return f"{d}TNI", "TIME"
    if part:
        return _with_part(d, part), "TIME"
    return d, "DATE"


def _h_this_part(m, c):
    rel, part = m[1], m[2]
    if c.dct is None:
        return None
    k = {"this": 0, "last": -1 if part in ("night", "evening") else None, "tomorrow": 1, "yesterday": -1}[rel]
    if k is None:
        return None
    return _with_part((c.dct + timedelta(days=k)).isoformat(), part), "TIME"


def _md_value(mon: int, day: int, year: str | None, mod: str | None, c: _Ctx) -> tuple[str, str] | None:
    if not 1 <= day <= 31:
        return None
    if year:
        try:
            return date(int(year), mon, day).isoformat(), "DATE"
        except ValueError:
            return None
    if c.dct is None:
        try:
            date(2000, mon, day)   # a leap year: February 29 exists
        except ValueError:
            return None
        return f"XXXX-{mon:02d}-{day:02d}", "DATE"
    direction = {"last": -1, "next": 1, "coming": 1, "this coming": 1}.get(mod or "", c.direction)
    value = _resolve_md(mon, day, c.dct, direction)
    return (value, "DATE") if value else None


def _h_md(m, c):
    day = int(m[3]) if m[3] else _ordinal(m[4])
    if day is None:
        return None
    return _md_value(_month(m[2]), day, m[5], m[1], c)


def _h_dm(m, c):
    day = int(m[1]) if m[1] else _ordinal(m[2])
    if day is None:
        return None
    return _md_value(_month(m[3]), day, m[4], None, c)


def _h_week_of(m, c):
    res = normalise(m[2], c.dct, c.direction, c.ref, c.qref)
    if res is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", res[0]):
        return None
    wk = _week(date.fromisoformat(res[0]))
    return (wk + "-WE" if m[1] == "weekend" else wk), "DATE"


def _h_my(m, c):
    return f"{int(m[2]):04d}-{_month(m[1]):02d}", "DATE"


def _h_m_rel(m, c):
    if c.dct is None:
        return None
    y = c.dct.year + {"last": -1, "this": 0, "next": 1}[m[2]]
    return f"{y:04d}-{_month(m[1]):02d}", "DATE"


def _h_month(m, c):
    mon = _month(m[2])
    if c.dct is None:
        return f"XXXX-{mon:02d}", "DATE"
    mod = m[1] or ""
    if mod == "this":
        return f"{c.dct.year:04d}-{mon:02d}", "DATE"
    direction = {"last": -1, "past": -1, "next": 1, "coming": 1, "this coming": 1}.get(mod, c.direction)
    if mod in ("last", "past"):
        return f"{c.dct.year - 1:04d}-{mon:02d}", "DATE"
    if mod in ("next", "coming") and mon == c.dct.month:
        return f"{c.dct.year + 1:04d}-{mon:02d}", "DATE"
    return _resolve_month(mon, c.dct, direction), "DATE"


def _h_holiday(m, c):
    mod, name, year, week = m[1], m[2], m[3], m[4]
    rule = get_vocab().holidays[name]
    if year:
        d = holiday_date(rule, int(year))
    elif c.dct is None:
        return None
    else:
        direction = {"last": -1, "next": 1, "this coming": 1}.get(mod or "", c.direction)
        cands = [x for x in (holiday_date(rule, c.dct.year + k) for k in (-1, 0, 1)) if x]
        if week:
            starts = {x - timedelta(days=x.isoweekday() - 1): x for x in cands}
            d = starts[_pick(list(starts), c.dct, direction)]
        else:
            d = _pick(cands, c.dct, direction)
    if d is None:
        return None
    return (_week(d) if week else d.isoformat()), "DATE"


def _h_season(m, c):
    mod, s, year, yrel = m[1], m[2], m[3], m[4]
    code = get_vocab().seasons[s]
    if year:
        return f"{year}-{code}", "DATE"
    if c.dct is None:
        return f"XXXX-{code}", "DATE"
    if yrel:
        return f"{c.dct.year + {'last': -1, 'this': 0, 'next': 1}[yrel]}-{code}", "DATE"
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    now = c.dct.year * 12 + c.dct.month - 1
    cands = [(c.dct.year + k) * 12 + start - 1 for k in (-1, 0, 1)]
    mod = (mod or "").replace("the ", "")
    direction = {"last": -1, "past": -1, "next": 1, "coming": 1, "this coming": 1}.get(mod, c.direction)
    if mod == "this":
        y = c.dct.year if not (code == "WI" and c.dct.month < 3) else c.dct.year - 1
        return f"{y}-{code}", "DATE"
    # a season that has begun counts as current
    cur = [x for x in cands if x <= now < x + 3]
    if cur and mod not in ("last", "past", "next", "coming"):
        i = cur[0]
    else:
        i = _pick([x for x in cands if x not in cur], now, direction)
    return f"{i // 12}-{code}", "DATE"


def _h_seasons_set(m, c):
    return f"XXXX-{get_vocab().seasons[m[1]]}", "SET"


def _h_year(m, c):
    y = int(m[1])
    if not 1000 <= y <= 2200:
        return None
    return f"{y:04d}", "DATE"


def _h_year_ap(m, c):
    y = int(m[1])
    century = 1900 if c.dct is None or y > c.dct.year % 100 + 5 else 2000
    return str(century + y), "DATE"


def _h_decade(m, c):
    return m[1], "DATE"


def _h_decade2(m, c):
    return "19" + m[1], "DATE"


def _h_decadew(m, c):
    return get_vocab().decades[m[1]], "DATE"


def _h_century(m, c):
    n = int(m[1]) if m[1] else _ordinal(m[2])
    if not n or n > 30:
        return None
    return f"{n - 1:02d}", "DATE"


def _h_century_rel(m, c):
    if c.dct is None:
        return None
    k = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1}[m[1]]
    return _granular(c.dct, "CE", k), "DATE"


def _h_quarter(m, c):
    y1, q, kind, y2, yrel = m[1], m[2], m[3], m[4], m[5]
    if kind == "period":
        return None
    n = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4 if kind == "quarter" else 2}.get(q)
    n = n or int(q)
    if kind == "half" and n > 2 or n > 4:
        return None
    letter = "Q" if kind == "quarter" else "H"
    year = y1 or y2
    if year:
        return f"{year}-{letter}{n}", "DATE"
    if yrel:
        if c.dct is None:
            return None
        k = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1}[yrel]
        return f"{c.dct.year + k}-{letter}{n}", "DATE"
    if c.qref and re.match(r"\d{4}", c.qref):
        base_year = int(c.qref[:4])
        return f"{base_year}-{letter}{n}", "DATE"
    if c.dct is None:
        return f"XXXX-{letter}{n}", "DATE"
    cur = _quarter_of(c.dct) if letter == "Q" else (1 if c.dct.month <= 6 else 2)
    y = c.dct.year
    if n > cur and c.direction <= 0:
        y -= 1
    return f"{y}-{letter}{n}", "DATE"


def _reporting_quarter(c: _Ctx) -> str | None:
    if c.qref:
        return c.qref
    if c.dct is None:
        return None
    return _granular(c.dct, "Q", -1)


def _h_q_rel(m, c):
    """"the quarter", "the latest quarter", "the year-ago period", "last quarter"."""
    mod, kind = m[1] or "", m[2]
    tail = m.group(0)
    if kind == "period" and not mod:
        return None
    if c.dct is None and not c.qref:
        return None
    if mod in ("this", "current"):
        return (_granular(c.dct, "Q") if c.dct else c.qref), "DATE"
    if mod in ("next", "coming"):
        return (_granular(c.dct, "Q", 1) if c.dct else None), "DATE"
    if mod == "last":                     # deictic: the quarter before this one
        return (_granular(c.dct, "Q", -1) if c.dct else _shift(c.qref, "Q", -1)), "DATE"
    base = _reporting_quarter(c)
    if mod in ("latest", "most recent", "recent", "just-ended", "just ended") and c.dct is not None:
        base = _granular(c.dct, "Q", -1)
    if base is None:
        return None
    if mod in ("previous", "prior", "preceding"):   # anaphoric: before the one reported
        return _shift(base, "Q", -1), "DATE"
    if mod == "following":
        return _shift(base, "Q", 1), "DATE"
    y = re.search(r"in (\d{4})$", tail)
    if y:
        return f"{y[1]}{base[4:]}", "DATE"
    if mod.startswith(("year", "prior-year", "previous-year", "last year")) or \
            re.search(r"a year (?:ago|earlier)|last year", tail):
        return _shift(base, "Y", -1) or base, "DATE"
    return base, "DATE"


def _h_year_back(m, c):
    txt = m.group(0)
    if c.qref:
        return _shift(c.qref, "Y", -1), "DATE"
    anaphoric = re.search(r"earlier|before|previous|prior", txt) is not None
    if anaphoric and c.ref and re.match(r"\d{4}", c.ref):
        return str(int(c.ref[:4]) - 1), "DATE"
    if c.dct is None:
        return None
    return str(c.dct.year - 1), "DATE"


def _h_fiscal(m, c):
    if c.dct is None:
        return None
    k = {"next": 1, "coming": 1, "last": -1, "previous": -1, "prior": -1, "past": -1}.get(m[1] or "", 0)
    if m[1] == "same" and c.ref and re.match(r"\d{4}", c.ref):
        return c.ref[:4], "DATE"
    return str(c.dct.year + k), "DATE"


_REL_K = {"this": 0, "current": 0, "present": 0, "last": -1, "past": -1, "previous": -1, "prior": -1,
          "preceding": -1, "next": 1, "coming": 1, "following": 1, "same": 0, "that": 0}


def _h_rel_unit(m, c):
    rel, unit = m[1], m[2]
    k = _REL_K[rel]
    text = m.group(0)
    anaphoric = rel in ("same", "that", "following", "preceding") or \
        (text.startswith("the ") and rel in ("next", "previous", "prior"))
    if unit in ("morning", "afternoon", "evening", "night"):
        if anaphoric and c.ref and re.match(r"\d{4}-\d\d-\d\d", c.ref):
            base = date.fromisoformat(c.ref[:10])
        elif c.dct is not None:
            base = c.dct
        else:
            return None
        if rel in ("next", "following"):
            base += timedelta(days=1)
        elif rel in ("previous", "prior", "preceding") or (rel == "last" and unit in ("night", "evening")):
            base -= timedelta(days=1)
        elif rel == "last":
            return None
        return _with_part(base.isoformat(), unit), "TIME"
    gran = {"day": "D", "night": "D", "week": "W", "weekend": "WE", "month": "M", "year": "Y",
            "decade": "DE"}[unit]
    if anaphoric and c.ref and re.match(r"\d{4}", c.ref):
        base = _ref_at(c.ref, gran)
        if base is not None:
            if k:
                shifted = _shift(base, {"WE": "W", "DE": "Y"}.get(gran, gran), k * (10 if gran == "DE" else 1))
                if shifted:
                    base = shifted
            return base, "DATE"
    if c.dct is None:
        return _X(gran), "DATE"
    if gran == "WE" and rel in ("last", "past", "previous") and c.dct.isoweekday() < 6:
        return _granular(c.dct, "WE", -1), "DATE"
    if gran == "D" and rel == "same":
        return c.dct.isoformat(), "DATE"
    return _granular(c.dct, gran, k), "DATE"


def _ref_at(ref: str, gran: str) -> str | None:
    """The reference time ``ref`` at granularity ``gran`` (or coarser, with X's)."""
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", ref)
    if not m:
        return None
    y, mo, d = m[1], m[2], m[3]
    if gran == "Y":
        return y
    if gran == "DE":
        return y[:3]
    if gran == "M":
        return f"{y}-{mo}" if mo else None
    if gran == "D":
        if d:
            return f"{y}-{mo}-{d}"
        return f"{y}-{mo}-XX" if mo else None
    if gran in ("W", "WE"):
        if d:
            wk = _week(date(int(y), int(mo), int(d)))
            return wk + ("-WE" if gran == "WE" else "")
        return None
    return None


def _h_the_unit(m, c):
    unit = m[1]
    if c.dct is None:
        return None
    if unit in ("morning", "afternoon", "evening", "night"):
        return None
    gran = {"day": "D", "week": "W", "weekend": "WE", "month": "M", "year": "Y"}[unit]
    if gran == "WE":
        # news: "over the weekend" is the last one, unless the clause looks ahead
        if c.direction > 0:
            return _granular(c.dct, "WE", 0 if c.dct.isoweekday() < 6 else 1), "DATE"
        return _granular(c.dct, "WE", 0 if c.dct.isoweekday() >= 6 else -1), "DATE"
    if gran == "D" and c.ref and re.fullmatch(r"\d{4}-\d\d-\d\d", c.ref):
        return c.ref, "DATE"
    return _granular(c.dct, gran), "DATE"


def _h_ago(m, c):
    n, unitw, rel = _num(m[1]), m[2], m[3]
    if n is None:
        return None
    return _offset(n, unitw, rel, c)


def _h_ago1(m, c):
    return _offset(1, m[1], m[2], c)


def _offset(n, unitw: str, rel: str, c: _Ctx):
    """"three years ago" (from the article date), "two days later" (from the reference time)."""
    u = _unit(unitw)
    if u is None:
        return None
    code, mult, clock = u
    sign = -1 if rel in ("ago", "earlier", "before", "previously", "back", "since") else 1
    if n == "X":
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "DATE"
    if rel in ("before", "after", "since") or clock:
        d = _duration(n, unitw)
        return (d, "DURATION") if d else None
    if c.qref and code in ("Y", "Q") and rel in ("ago", "earlier") and n == 1 and mult == 1:
        return _shift(c.qref, code, -1), "DATE"   # "a year earlier" in a quarterly report
    n = round(n) if isinstance(n, float) else n
    k = sign * n * mult
    anaphoric = rel in ("earlier", "later", "previously")
    if anaphoric and c.ref and re.match(r"\d{4}", c.ref):
        anchor = c.ref
    elif c.dct is not None:
        anchor = c.dct.isoformat()
    else:
        return None
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", anchor)
    if m:
        d = date(int(m[1]), int(m[2]), int(m[3]))
        if code == "D":
            return (d + timedelta(days=k)).isoformat(), "DATE"
        if code in ("W", "WE"):
            d += timedelta(days=7 * k)
            # "two weeks ago" is a day; "six weeks ago" is only as precise as a week
            return (d.isoformat() if n < 3 else _week(d)), "DATE"
        if code == "M":
            y, mo = _add_months(d.year, d.month, k)
            return f"{y:04d}-{mo:02d}", "DATE"
        if code == "Q":
            return _granular(d, "Q", k), "DATE"
        return str(d.year + k), "DATE"
    if code == "Q" and re.fullmatch(r"\d{4}-Q\d", anchor):
        return _shift(anchor, "Q", k), "DATE"
    if code == "M" and re.fullmatch(r"\d{4}-\d\d", anchor):
        return _shift(anchor, "M", k), "DATE"
    if code in ("D", "W", "WE") and re.fullmatch(r"\d{4}-\d\d", anchor):
        return anchor, "DATE"   # days from a month: the month is as precise as we can be
    years = {"Y": k, "M": round(k / 12), "Q": round(k / 4)}.get(code, 0)
    return str(int(anchor[:4]) + years), "DATE"


def _h_nth_day(m, c):
    if c.ref and re.fullmatch(r"\d{4}-\d\d-\d\d", c.ref):
        return c.ref, "DATE"
    if c.dct is None:
        return None
    if m[1] != "day":
        return None
    return c.dct.isoformat(), "DATE"


def _h_every(m, c):
    v = get_vocab()
    n, word = m[1], m[2]
    k = _num(_digits(n)) if n else 1
    if not isinstance(k, int):
        return None
    if " other " in f" {m.group(0)} ":
        k *= 2
    if word in v.weekdays:
        return f"XXXX-WXX-{v.weekdays[word]}", "SET"
    if word.rstrip(".") in v.months:
        return f"XXXX-{v.months[word.rstrip('.')]:02d}", "SET"
    if word in v.seasons:
        return f"XXXX-{v.seasons[word]}", "SET"
    if word in v.parts:
        return f"XXXX-XX-XXT{v.parts[word]}", "SET"
    if m.group(0).startswith(("a ", "an ")):
        return None  # "a year" is a duration unless the caller knows it is a rate
    d = _duration(k, word)
    return (d, "SET") if d else None


def _h_times_per(m, c):
    d = _duration(1, m[1])
    return (d, "SET") if d else None


def _h_plural_wd(m, c):
    v = get_vocab()
    value = f"XXXX-WXX-{v.weekdays[m[1]]}" + (f"T{v.parts[m[2]]}" if m[2] else "")
    return value, "SET"


def _h_dur(m, c):
    n = _num(m[1])
    if n is None:
        return None
    if m[2]:
        n = (n if n != "X" else 0) + 0.5
    if m.group(0).endswith("and a half"):
        n = n + 0.5 if n != "X" else n
    d = _duration(n, m[3])
    return (d, "DURATION") if d else None


def _h_dur_plural(m, c):
    word = m[2]
    if word == "generations":
        return "PXY", "DURATION"
    d = _duration("X", word)
    return (d, "DURATION") if d else None


def _h_dur_half(m, c):
    word = m[1] or m[2]
    d = _duration(0.5 if m[1] else 1.5, word)
    return (d, "DURATION") if d else None


def _h_dur_or(m, c):
    res = normalise(m[1], c.dct, c.direction, c.ref, c.qref)
    if res and res[1] == "DURATION":
        return res
    return None


_HANDLERS = {
    "yearend": _h_yearend, "iso": _h_iso, "slash": _h_slash, "clock": _h_clock, "clock_rev": _h_clock_rev, "weekday": _h_weekday,
    "part_day": _h_part_day, "deictic": _h_deictic, "this_part": _h_this_part, "md": _h_md, "dm": _h_dm,
    "week_of": _h_week_of, "my": _h_my, "m_rel": _h_m_rel, "month": _h_month, "holiday": _h_holiday,
    "season": _h_season, "seasons_set": _h_seasons_set, "year": _h_year, "year_ap": _h_year_ap,
    "decade": _h_decade, "decade2": _h_decade2, "decadew": _h_decadew, "century": _h_century,
    "century_rel": _h_century_rel, "quarter": _h_quarter, "q_rel": _h_q_rel, "year_back": _h_year_back,
    "fiscal": _h_fiscal, "rel_unit": _h_rel_unit, "the_unit": _h_the_unit, "ago": _h_ago, "ago1": _h_ago1,
    "nth_day": _h_nth_day, "every": _h_every, "times_per": _h_times_per, "plural_wd": _h_plural_wd,
    "dur": _h_dur, "dur_plural": _h_dur_plural, "dur_half": _h_dur_half, "dur_or": _h_dur_or,
}


# --------------------------------------------------------------------------- tense

_FUTURE_AUX = {"will", "wo", "shall", "'ll", "ll"}
# verbs whose complement is usually ahead of the verb: "expected to ...", "planned for March"
_PLAN_LEMMAS = {"schedule", "plan", "expect", "due", "set", "slate", "intend", "aim", "hope", "want", "going",
                "likely", "supposed", "prepare", "poise", "postpone", "delay", "extend", "adjourn", "defer",
                "reschedule", "vow", "pledge", "promise", "threaten", "decide", "agree", "propose", "vote",
                "seek", "offer", "resolve", "undertake", "forecast", "predict", "project"}
_SCHEDULE_LEMMAS = {"schedule", "slate", "reschedule", "plan"}
_DEADLINE_LEMMAS = {"postpone", "delay", "extend", "adjourn", "defer", "put", "push"}
_REPORTING = {"say", "tell", "report", "add", "state", "claim", "note", "confirm", "deny", "insist", "warn",
              "declare", "explain", "reply", "respond", "argue", "write", "quote", "announce", "accord",
              "believe", "think", "know", "show", "indicate", "suggest", "remain", "be", "have", "appear",
              "seem", "mean", "need", "continue"}
PRESENT_AHEAD = True


def clause_direction(span: Span, through_nouns: bool = False) -> int:
    """-1 past, +1 future, 0 unknown, from the verb group that governs ``span``.

    A date that modifies a noun ("the Oct. 23 slaying", "the Jan. 14 deadline") takes
    no direction from a past-tense verb, as the event it dates need not be the verb's;
    ``through_nouns`` keeps it (weekdays: "said Wednesday's quake" is last Wednesday).
    """
    tok = span.root
    via_noun = False
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT" or tok.head is tok:
            break
        if tok is not span.root and tok.pos_ in ("NOUN", "PROPN") and not (span.start <= tok.i < span.end):
            via_noun = True
        tok = tok.head
    verb = tok
    if verb.pos_ not in ("VERB", "AUX"):
        return 0
    if verb.lemma_ in _SCHEDULE_LEMMAS:
        return 1
    root = span.root
    if verb.lemma_ in _DEADLINE_LEMMAS and root.dep_ == "pobj" and root.head.lower_ in ("until", "till", "to"):
        return 1
    d = 0
    for _ in range(3):
        r = _verb_direction(verb)
        if r is not None:
            d = r
            break
        if verb.dep_ in ("xcomp", "conj") and verb.head is not verb and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
            continue
        break
    if via_noun and d < 0 and not through_nouns:
        return 0
    return d


def _verb_direction(verb) -> int | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lower = {a.lower_ for a in auxes}
    if lower & _FUTURE_AUX:
        return 1
    if verb.lower_ == "going" or "going" in lower:
        return 1
    if any(a.lower_ == "to" for a in auxes) and verb.dep_ == "xcomp":
        if verb.head.lemma_ in _PLAN_LEMMAS:
            head_past = verb.head.tag_ == "VBD" or any(
                a.tag_ == "VBD" for a in verb.head.children if a.dep_ in ("aux", "auxpass"))
            return 0 if head_past else 1   # "was expected to end on December 15": either side
        return None  # the head verb decides
    if "would" in lower:
        return 1 if verb.tag_ == "VB" else None
    if lower & {"could", "might", "may", "should", "must", "can"}:
        return 0
    if verb.tag_ == "VBN" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes) and \
            verb.lemma_ in _PLAN_LEMMAS:
        return 1   # "is expected on Friday"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return -1
    if any(a.lemma_ == "have" for a in auxes):
        return -1
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        return 1   # "is meeting on Friday": a plan
    if verb.tag_ in ("VBZ", "VBP"):
        return 1 if PRESENT_AHEAD and verb.lemma_ not in _REPORTING else 0
    return None


# --------------------------------------------------------------------------- detection

@dataclass
class _Det:
    patterns: list[tuple[str, re.Pattern, int]]   # name, regex, trigger classes
    month_word: re.Pattern
    follow_day: re.Pattern
    word_class: dict[str, int]                      # trigger word -> classes
    hash_class: dict[int, int]                      # the same by spaCy string hash (LOWER)
    hash_keys: np.ndarray


# Trigger classes: a pattern is only run near words of its classes, which keeps the
# stage cheap (most of a text holds no time expression at all).
(_MON, _WD, _NUM, _Y4, _DEC, _CLK, _UNIT, _YEARW, _CENT, _SEASON, _PART, _DEIC, _VAGUE, _HOL, _DECW, _FISC,
 _BOUND, _AGO, _EVERY, _TIMES) = (1 << i for i in range(20))
_TRIGGERS = {
    "clock": _CLK | _PART, "partday": _DEIC, "weekday": _WD, "week_of": _MON, "md": _MON, "monthyear": _MON,
    "relmonth": _MON, "holiday": _HOL, "season": _SEASON, "seasons": _SEASON, "year": _Y4, "theyear": _Y4,
    "decade": _DEC, "decadew": _DECW, "century": _CENT, "quarter": _FISC, "qrel": _FISC, "yearback": _YEARW,
    "fiscal": _FISC, "deictic": _DEIC, "relunit": _UNIT | _PART, "weekend": _UNIT, "boundary": _BOUND,
    "yearend": _BOUND, "ago": _AGO, "ago1": _AGO, "every": _EVERY, "timesper": _TIMES, "dur": _UNIT,
    "durhalf": _FISC, "plural": _UNIT, "vague": _VAGUE,
}
_WINDOW = 48   # characters searched either side of a trigger word
_CENTURIES = {str(c) for c in range(15, 22)}
_WORD = re.compile(r"[AaPp]\.\s?[Mm]\b|\d+:\d\d|\d+[A-Za-z']*|[A-Za-z]+")


@lru_cache(maxsize=1)
def _detector() -> _Det:
    v = get_vocab()
    full_months = [m for m in v.months if len(m) > 3 or m == "may"]
    abbr_months = [m for m in v.months if len(m) <= 4 and m not in ("may", "june", "july")]
    monf = rf"(?:{_alt(full_months)})"
    mona = rf"(?:(?:{_alt(abbr_months)})\.)"
    mon = rf"(?:{monf}|{mona})"
    wd = rf"(?:{_alt(v.weekdays)})"
    numw = _alt(w for w, d in v.numbers.items() if d.isdigit() and " " not in w and w not in ("a", "an"))
    numrun = rf"(?:(?:{numw})(?:(?:\s+|-|\s+and\s+)(?:{numw}))*)"
    qty = rf"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|\d/\d|{numrun}|" \
          rf"{_alt(k for k, d in v.numbers.items() if not d.isdigit() or k in ('a', 'an'))}|a\s+couple\s+of|" \
          rf"couple\s+of)"
    unit = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|weekends?|months?|quarters?|" \
           r"years?|decades?|centur(?:y|ies)|millenni(?:um|a))"
    ordw = _alt(v.ordinals)
    day = rf"(?:(?:[12]?\d|3[01])(?:st|nd|rd|th)?(?![\d%]|[.,]\d)|(?:the\s+)?(?:{ordw})\b)"
    yearn = r"(?:1[5-9]\d\d|20\d\d|21\d\d)(?![\d%]|[.,]\d|\s*(?:percent|%))"
    teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    units9 = "one|two|three|four|five|six|seven|eight|nine"
    yearw = rf"(?:nineteen[\s-]+(?:(?:{tens})(?:[\s-]+(?:{units9}))?|{teens}|hundred)|" \
            rf"two\s+thousand(?:\s+and)?(?:[\s-]+(?:{teens}|{units9}|(?:{tens})(?:[\s-]+(?:{units9}))?))?)"
    year = rf"(?:{yearn}|{yearw})"
    part = r"(?:morning|afternoon|evening|night)"
    season = r"(?:spring|summer|autumn|winter|fall)"
    clk = r"(?:\d{1,2}:\d\d(?:\s*[ap]\.?\s?m\b\.?)?|\d{1,2}\s*[ap]\.\s?m\b\.?|\d{1,2}\s*[ap]m\b|" \
          r"\d{1,2}\s+o'clock|noon|midnight|midday|\d{1,2}(?:\s+o'clock)?\s+in\s+the\s+(?:morning|afternoon|" \
          r"evening))"
    tz = r"(?:\s+\(?(?:[ECMP][SD]T|GMT|UTC)\)?)?"
    md = rf"(?:{mon}\s+{day}(?:\s*,?\s+{year})?|(?:the\s+)?{day}\s+(?:of\s+)?{mon}(?:\s*,?\s+{year})?)"
    wdx = rf"(?:(?:(?:last|next|this\s+coming|this|coming|past)\s+)?{wd}s?(?:\s+{part}s?)?(?:\s*,\s*{md})?)"
    rel = r"(?:this|last|next|past|previous|coming|current|following|same|that|present|prior|preceding)"
    hol = _alt(v.holidays)
    vague = _alt(p for p, (_, _, det) in v.vague.items() if det)
    qord = r"(?:first|second|third|fourth|final|1st|2nd|3rd|4th)"
    appr = r"(?:(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|" \
           r"no\s+less\s+than|up\s+to|over|under|nearly|almost|about|around|roughly|approximately|some|" \
           r"just|only|barely|a\s+little\s+(?:over|more\s+than))\s+)"
    dmods = r"(?:(?:past|last|next|first|final|coming|previous|following|recent|remaining|initial|entire|" \
            r"whole|full|latest|same|additional|another|better\s+part\s+of\s+the)\s+)"
    P = [
        ("clock", rf"{clk}{tz}(?:\s*,?\s+(?:on\s+)?(?:{wdx}|{md}|today|yesterday|tomorrow|tonight))?"),
        ("partday", rf"(?:(?:early|late|mid)[\s-]?)?{part}\s+(?:of\s+)?(?:today|yesterday|tomorrow)"),
        ("weekday", rf"(?:(?:early|late)\s+)?(?:this\s+coming\s+)?{wdx}"),
        ("week_of", rf"the\s+week(?:end)?\s+of\s+{md}"),
        ("md", rf"(?:(?:last|next|this)\s+)?{md}"),
        ("monthyear", rf"(?:(?:early|late|mid)[\s-]+)?{monf}(?:\s*,?\s+(?:of\s+)?{year}|\s+(?:of\s+)?"
                      rf"(?:last|this|next)\s+year)?"),
        ("relmonth", rf"(?:last|next|this|this\s+coming|coming)\s+{monf}"),
        ("holiday", rf"(?:(?:last|next|this)\s+)?(?:{hol})(?:\s*,?\s+{year})?(?:\s+week)?"),
        ("season", rf"(?:(?:last|next|this|early|late|mid)[\s-]+)?(?:the\s+)?{season}(?:\s+(?:of\s+)?"
                   rf"(?:{year}|(?:last|this|next)\s+year))?"),
        ("seasons", rf"the\s+(?:past|last|next)\s+{qty}\s+(?:spring|summer|autumn|winter)s"),
        ("year", rf"(?:(?:fiscal|FY|calendar|model)\s*(?:year\s+)?|(?:pre|post|mid)-)?{year}"
                 rf"(?:(?:'s)?\s+(?:fiscal\s+)?(?:period|{qord}[\s-]+(?:quarter|half)))?"),
        ("theyear", rf"the\s+year\s+{year}"),
        ("decade", r"(?:(?:early|late|mid)[\s-]+)?(?:1[5-9]|20)\d0'?s\b|(?:(?:early|late|mid)[\s-]+)?'\d0s\b"),
        ("decadew", rf"the\s+(?:(?:early|late|mid)[\s-]+)?(?:{_alt(v.decades)})"),
        ("century", rf"(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{ordw})[\s-]+century|"
                    r"(?:this|last|next|the\s+past|the\s+last|the\s+next|the\s+current)\s+century"),
        ("quarter", rf"(?:(?:the\s+)?{qord}\s+(?:fiscal\s+)?(?:quarter|half)\b|{qord}-(?:quarter|half)\b)"
                    rf"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:{year}|(?:this|last|next)\s+year))?"),
        ("qrel", r"the\s+(?:(?:latest|current|most\s+recent|recent|just-ended|just\s+ended|comparable|same|"
                 r"year-ago|year-earlier|prior-year|previous|prior|preceding|year\s+ago|year\s+earlier)"
                 r"[\s-]+)?(?:fiscal\s+)?quarter|the\s+(?:latest|comparable|year-ago|year-earlier|"
                 r"same|prior-year|just-ended|latest\s+fiscal|year\s+ago|year\s+earlier)\s+period|"
                 r"(?:this|last|next)\s+quarter"),
        ("yearback", r"year-(?:earlier|ago)|(?:the\s+)?(?:prior|previous)-year"),
        ("fiscal", r"(?:the\s+)?(?:(?:current|latest|new|next|last|previous|prior|coming|this|same|past)\s+)?"
                   r"fiscal\s+year"),
        ("deictic", rf"(?:(?:early|late)\s+)?(?:the\s+day\s+(?:before|after)\s+)?(?:today|yesterday|tomorrow|tonight)"
                    rf"(?:\s+{part})?"),
        ("relunit", rf"(?:(?:early|late)\s+)?(?:the\s+)?{rel}(?:\s+same)?\s+(?:day|night|morning|afternoon|"
                    rf"evening|week(?:end)?|month|year|decade)"),
        ("weekend", r"the\s+weekend"),
        ("boundary", rf"the\s+(?:very\s+)?(?:end|beginning|middle|start|turn|close)\s+of\s+(?:the\s+)?(?:"
                     rf"{monf}(?:\s*,?\s+{year})?|{year}|(?:this|next|last|the|that)\s+(?:week|month|year|quarter|"
                     rf"decade|century)|(?:week|month|year|quarter|decade|century)\b)"),
        ("yearend", r"(?:year|month|quarter)-end\b"),
        ("ago", rf"{appr}?{qty}[\s-]+(?:more\s+)?{unit}\s+(?:or\s+so\s+)?(?:ago|earlier|later|from\s+now|"
                rf"hence)\b"),
        ("ago1", rf"(?:an?\s+)?{unit}\s+(?:ago|earlier|later)\b"),
        ("every", rf"(?:every|each)\s+(?:other\s+)?(?:{qty}\s+)?(?:{unit}|{wd}|{monf}|{season}|{part})"),
        ("timesper", rf"(?:once|twice|\w+\s+times)\s+(?:a|an|per|each|every)\s+{unit}"),
        ("dur", rf"(?:the\s+)?{dmods}*{appr}?{qty}(?:[\s-]+and[\s-]+a[\s-]+half)?[\s-]+"
                rf"(?:(?:more|additional|full|straight|consecutive|extra)\s+)?{unit}(?:-long)?"
                rf"(?:\s+and\s+a\s+half)?(?:\s+or\s+(?:so|{qty}|\d+))?"),
        ("durhalf", rf"half\s+an?\s+{unit}"),
        ("plural", r"(?:(?:the\s+)?(?:(?:past|last|next|coming|recent|early|first|final|following|ensuing|"
                   r"intervening|few|several|many)\s+)+|the\s+)?(?:years|months|weeks|days|decades|"
                   r"centuries)(?:-long)?(?:\s+or\s+(?:years|months|weeks|days|decades))?"),
        ("vague", rf"(?:{vague})"),
    ]
    flags = re.IGNORECASE
    patterns = [(name, re.compile(rf"(?<![\w$#£€'-]){p}(?![\w'-])", flags), _TRIGGERS[name]) for name, p in P]
    wc: dict[str, int] = {}

    def add(words, cls):
        for w in words:
            for part_ in re.findall(r"[a-z]+", w.lower()):
                wc[part_] = wc.get(part_, 0) | cls
    add(v.months, _MON)
    add(v.weekdays, _WD)
    add([w + "s" for w in v.weekdays], _WD)
    add(["nineteen", "thousand"], _Y4)
    add(list(v.units) + [u + "s" for u in v.units] + ["centuries", "millennia", "generations"], _UNIT)
    add(list(v.seasons) + [w + "s" for w in v.seasons], _SEASON)
    add(list(v.parts) + [p + "s" for p in v.parts] + ["o'clock"], _PART)
    add(["today", "yesterday", "tomorrow", "tonight"], _DEIC)
    stop = {"the", "right", "these", "near", "at", "in"}
    add([w for p, (_, _, det) in v.vague.items() if det for w in p.split() if w not in stop], _VAGUE)
    common = {"day", "year", "new", "s", "st", "eve", "the", "of", "all", "international", "women", "may",
              "good", "friday", "sunday", "monday", "wednesday", "palm", "ash", "mother", "father"}
    add([w for h in v.holidays for w in re.findall(r"[a-z]+", h) if w not in common] + ["eve"], _HOL)
    add(["year", "years"], _YEARW)
    add(["century", "centuries"], _CENT)
    add(["end", "beginning", "middle", "start", "turn", "close"], _BOUND)
    add(["ago", "earlier", "later", "hence", "now"], _AGO)
    add(["every", "each"], _EVERY)
    add(["once", "twice", "times"], _TIMES)
    add(["noon", "midnight", "midday", "clock", "am", "pm"], _CLK)
    add(v.decades, _DECW)
    add(["fiscal", "fy", "quarter", "quarters", "half", "period"], _FISC)
    month_word = re.compile(rf"\b({_alt(v.months)})\b", re.IGNORECASE)
    follow_day = re.compile(r"\s*(?:and|or|to|through|-|\u2013)\s*((?:[12]?\d|3[01]))(?:st|nd|rd|th)?"
                            r"(?![\w%]|[.,]\d|\s*(?:percent|%|-|,\s*\d))")
    for w in ("a.m.", "p.m.", "a.m", "p.m", "o'clock"):
        wc[w] = _CLK
    # spaCy keeps the dot of abbreviations in the token ("Aug.", "Sept.")
    hash_class = {get_string_id(w): c for w, c in wc.items()}
    hash_class.update({get_string_id(w + "."): c for w, c in wc.items() if not w.endswith(".")})
    keys = np.array(sorted(hash_class), dtype=np.uint64)
    return _Det(patterns, month_word, follow_day, wc, hash_class, keys)


_PREP_BEFORE = re.compile(r"(?:\b(?:in|on|since|until|till|by|early|late|mid|last|next|this|of|during|from|"
                          r"through|before|after|between|and|or|to|for|until|late|end|beginning|until)\s+|-)$",
                          re.IGNORECASE)
_AGE_AFTER = re.compile(r"^(?:[\s-]+old\b|\s+of\s+age\b)", re.IGNORECASE)
_POSS_BEFORE = re.compile(r"\b(?:his|her|their|its|my|our|your)\s+(?:(?:early|late|mid)[\s-]+)?$", re.I)


def _month_ok(text: str, s: int, e: int, name: str) -> bool:
    """Month names must be capitalised; "May"/"March" alone need a preposition or a date after."""
    det = _detector()
    seg = text[s:e]
    for m in det.month_word.finditer(seg):
        w = m.group()
        if not w[0].isupper():
            return False
        if w.lower() in ("may", "march") and name in ("monthyear", "md") and m.end() == len(seg) \
                and m.start() == 0:
            after = text[e:e + 12]
            if not (_PREP_BEFORE.search(text[max(0, s - 12):s]) or re.match(r"\s*[.,;:)]", after)):
                return False
            if w.lower() == "may" and re.match(r"\s+(?:be|have|not|also|well|take|want|need|face|still)\b",
                                               after):
                return False
    return True


def _digit_class(w: str) -> int:
    """Trigger classes of a token that starts with a digit."""
    cls = _NUM
    if ":" in w:
        return cls | _CLK
    digits = w.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.")
    suffix = w[len(digits):].lower()
    if len(digits) == 4 and digits[:2] in _CENTURIES:
        cls |= _Y4
    if digits.endswith("0") and suffix in ("s", "'s"):
        cls |= _DEC
    if suffix in ("am", "pm", "a.m.", "p.m."):
        cls |= _CLK
    return cls


def _text_triggers(text: str, det: _Det) -> list[tuple[int, int, int]]:
    """(start, end, classes) of the trigger words of ``text``, found with a word regex."""
    wc = det.word_class
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        c0 = w[0]
        if c0.isdigit():
            cls = _digit_class(w)
        elif c0 in "aApP" and len(w) > 2 and w[1] == ".":
            cls = _CLK
        else:
            cls = wc.get(w.lower(), 0)
        if cls:
            out.append((m.start(), m.end(), cls))
    return out


def _doc_triggers(doc: Doc, det: _Det) -> list[tuple[int, int, int]]:
    """The same from the parsed tokens, with array operations (no loop over every token)."""
    if len(doc) == 0:
        return []
    arr = doc.to_array([LOWER, IDX, SHAPE])
    lower, shape = arr[:, 0], arr[:, 2]
    uniq, inverse = np.unique(shape, return_inverse=True)
    has_digit = np.array([_shape_has_digit(doc, int(h)) for h in uniq], dtype=bool)[inverse.ravel()]
    mask = np.isin(lower, det.hash_keys) | has_digit
    hc = det.hash_class
    out = []
    for i in np.flatnonzero(mask).tolist():
        tok = doc[i]
        cls = _digit_class(_LEAD_NONDIGIT.sub("", tok.text)) if has_digit[i] else hc.get(int(lower[i]), 0)
        if cls:
            out.append((tok.idx, tok.idx + len(tok), cls))
    return out


_SHAPE_DIGIT: dict[int, bool] = {}
_LEAD_NONDIGIT = re.compile(r"^\D+")


def _shape_has_digit(doc: Doc, h: int) -> bool:
    v = _SHAPE_DIGIT.get(h)
    if v is None:
        v = _SHAPE_DIGIT[h] = "d" in doc.vocab.strings[h]
    return v


def _windows(triggers: list[tuple[int, int, int]], n: int) -> dict[int, list[tuple[int, int]]]:
    """Merged character windows around trigger words, by trigger class."""
    out: dict[int, list[list[int]]] = {}
    for s, e, cls in triggers:
        a, b = max(0, s - _WINDOW), min(n, e + _WINDOW)
        while cls:
            bit = cls & -cls
            cls ^= bit
            lst = out.setdefault(bit, [])
            if lst and a <= lst[-1][1]:
                lst[-1][1] = max(lst[-1][1], b)
            else:
                lst.append([a, b])
    return {k: [(a, b) for a, b in v] for k, v in out.items()}


def _merge(wins: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(wins):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


_ADJ_DUR = re.compile(r"(the\s+)(?:\S+[\s-])?(?:\d+|[a-z]+)[\s-](?:second|minute|hour|day|night|week|month|"
                      r"quarter|year|decade|century)(?:-long)?", re.IGNORECASE)


def _adjectival_the(seg: str) -> int:
    """Length of a leading "the" to drop from an adjectival duration ("the 14-day")."""
    m = _ADJ_DUR.fullmatch(seg)
    if m and not re.match(r"the\s+(?:past|last|next|first|coming|previous|following|final)\b", seg, re.I):
        return m.end(1)
    return 0


def _keep(text: str, s: int, e: int, name: str) -> bool:
    """Whether the match ``text[s:e]`` of pattern ``name`` is a time expression."""
    seg = text[s:e]
    if name in ("monthyear", "md", "relmonth", "week_of", "holiday", "clock", "weekday") and \
            not _month_ok(text, s, e, name):
        return False
    if name == "holiday" and not seg.split()[-1][0].isupper() and not seg[0].isupper():
        return False
    if name == "holiday" and not any(w[0].isupper() for w in seg.split()
                                     if w.lower() not in ("last", "next", "this")):
        return False
    if name == "season" and re.search(r"\bfall\b", seg, re.I) and \
            not re.search(r"(?:last|next|this|early|late|mid|the)[\s-]+fall|fall\s+(?:of\s+)?\d",
                          seg, re.I) and not re.search(r"\b(?:in|this|last|next|the)\s+$",
                                                       text[max(0, s - 6):s], re.I):
        return False
    if name in ("dur", "plural", "ago") and re.search(r"year", seg, re.I) and _AGE_AFTER.match(text[e:]):
        return False  # ages: TimeBank does not annotate "58-year-old"
    if name == "decade" and _POSS_BEFORE.search(text[max(0, s - 20):s]):
        return False
    if name == "year" and re.fullmatch(r"\d{4}", seg) and _not_a_year(text, s, e):
        return False
    if name == "dur" and re.fullmatch(r"(?:a|an)\s+\w+", seg, re.I) and (_rate_before(text, s) or (
            not re.search(r"\b(?:for|in|within|over|about|nearly|almost|than|of|after|last|past|"
                          r"only|just|least|takes?|took|spent|spend|lasted|lasts?)\s+$",
                          text[max(0, s - 12):s], re.I))):
        return False  # "$1 billion a year" is a rate, not a time expression
    if name == "dur" and re.search(r"quarters?$", seg, re.I) and re.match(r"\s+of\b", text[e:]):
        return False  # "three-quarters of its food"
    if name in ("dur", "relunit", "season", "plural", "weekend") and _title_case(text, s, seg):
        return False  # "60 Minutes", "This Week", "Spring of Life": titles
    if name == "clock" and re.search(r"\bhigh\s+$", text[max(0, s - 6):s], re.I):
        return False
    if name == "dur" and re.fullmatch(r"(?:a|one)\s+second", seg, re.I) and \
            re.match(r"\s+(?!(?:or|and|of|later|ago|earlier|before|after|longer|in|to|for)\b)[a-z]", text[e:e + 12]):
        return False  # "a second motion": the ordinal
    if name == "every" and re.match(r"\s+(?:life|lives|language|items|objects|routine)\b", text[e:e + 12]):
        return False  # "his every day life": the adjective
    if name == "boundary" and re.fullmatch(r"the\s+end\s+of\s+the\s+day", seg, re.I):
        return False  # "at the end of the day": an idiom
    if name == "clock" and re.fullmatch(r"\d{1,2}:\d\d", seg) and \
            not re.search(r"\b(?:at|by|around|about|until|till|from|before|after|since|approximately|to|"
                          r"until|between|and|or)\s+$", text[max(0, s - 15):s], re.I) and \
            not re.match(r"\s*(?:local|GMT|UTC|[ECMP][SD]T\b|hours?\b|h\b)", text[e:e + 8]):
        return False  # "First Corinthians 9:25", scores: a bare h:mm needs a cue
    if name == "vague" and seg.lower() == "daily" and re.match(r"\s+[A-Z]", text[e:]):
        return False  # "the Communist Party daily Granma"
    return True


def detect_spans(text: str, doc: Doc | None = None) -> list[tuple[int, int, str]]:
    """Time expressions the grammar finds in ``text``: (start, end, pattern name), in order.

    Each pattern only runs near its trigger words; with ``doc`` (the parse of ``text``)
    they are found from the token arrays, which is cheaper.
    """
    det = _detector()
    found: list[tuple[int, int, str]] = []
    triggers = _doc_triggers(doc, det) if doc is not None else _text_triggers(text, det)
    wins = _windows(triggers, len(text))
    seen: set[tuple[int, int, str]] = set()
    for name, rx, classes in det.patterns:
        spans = [w for bit, ws in wins.items() if bit & classes for w in ws]
        if not spans:
            continue
        for ws, we in _merge(spans):
            for m in rx.finditer(text, ws, we):
                s, e = m.span()
                if (s, e, name) in seen or (e < len(text) and e == we and (text[e].isalnum() or text[e] in "'-")):
                    continue
                seen.add((s, e, name))
                if _keep(text, s, e, name):
                    found.append((s, e, name))
    # "the 14-day waiting period": the article belongs to the noun, not to the adjective
    found = [(s + _adjectival_the(text[s:e]), e, name) if name == "dur" else (s, e, name)
             for s, e, name in found]
    # longest first, then earliest; no overlaps
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, name in found:
        if any(s < te and ts < e for ts, te, _ in taken):
            continue
        taken.append((s, e, name))
    # "April 24 and 25": the second day is a date of its own
    extra = []
    for s, e, name in taken:
        if name == "md":
            m = det.follow_day.match(text, e)
            if m and not any(m.start(1) < te and ts < m.end(1) for ts, te, _ in taken):
                extra.append((m.start(1), m.end(1), "md_follow:" + str(s)))
    return sorted(taken + extra)


def _title_case(text: str, s: int, seg: str) -> bool:
    """A capitalised unit or season word inside a sentence belongs to a title."""
    words = seg.split()
    last = words[-1]
    if not last[:1].isupper() or seg.isupper():
        return False
    if len(words) > 1:
        return True
    before = text[max(0, s - 3):s]
    return not (s == 0 or re.search(r"[.!?\n][\s\"'`]*$", before))


def _dateline(text: str, s: int, e: int) -> bool:
    """"WASHINGTON, August 11 (Xinhua) --": wire datelines are not part of the story."""
    return s < 80 and re.fullmatch(r"\s*[A-Z][A-Z .,'-]*,\s*", text[:s]) is not None and \
        re.match(r"\s*(?:\(|--|_|\u2014)", text[e:]) is not None


_NUMBERISH = re.compile(r"[$#£€]\s*$|\b(?:No\.|number|page|flight|route|highway|room|model|version|"
                        r"Nos?\.)\s*$", re.IGNORECASE)


def _not_a_year(text: str, s: int, e: int) -> bool:
    before, after = text[max(0, s - 12):s], text[e:e + 12]
    if _NUMBERISH.search(before):
        return True
    if re.match(r"\s*(?:percent|%|people|persons|men|women|troops|soldiers|votes|shares|dollars|miles|"
                r"kilometers|meters|feet|tons|barrels|acres|points|employees|workers|jobs|cars|units)\b",
                after, re.I):
        return True
    if re.match(r"[-/]\d", after) and not re.match(r"-\d{2}\b", after):
        return True
    if re.match(r"\s*(?:UTC|GMT|Z\b|hours\b|hrs\b|[ECMP][SD]T\b|local\b)", after) or \
            re.match(r"\s*\d{4}\s+[A-Z][a-z]+day\b", text[s:e + 12]):
        return True   # "(1700 UTC)": a clock time
    if re.match(r"\s+(?:had|have|has|were|was|are|is|of\s+(?:the|them|whom|which))\b", after) and \
            not re.search(r"\b(?:in|since|by|until|till|from|before|after|during|of|early|late|mid|"
                          r"to|between|around|circa|c\.|fiscal|year)\s+$", before, re.I) and \
            not re.search(r"[A-Z][a-z]+\.?\s+$", before):
        return True   # "1720 had already been discharged": a count
    return False


def _rate_before(text: str, s: int) -> bool:
    """"$1 billion a year", "hundreds of interviews a day": a rate, i.e. a set."""
    before = text[max(0, s - 40):s]
    return re.search(r"(?:\d|\b(?:million|billion|thousand|hundreds?|dozens?|times|percent|once|twice))"
                     r"(?:\s+[a-z]+){0,2}\s+$", before, re.I) is not None


def _trim_ent(text: str, s: int, e: int) -> tuple[int, int]:
    seg = text[s:e]
    m = re.match(r"(?:(?:in|on|at|by|since|until|from|for|during|of|about|around|approximately|nearly|"
                 r"almost|roughly|some|only|just)\s+)+", seg, re.IGNORECASE)
    if m and m.end() < len(seg):
        s += m.end()
    seg = text[s:e]
    m = re.search(r"(?:'s|[\s,.;:]+)$", seg)
    if m and m.start() > 0:
        e = s + m.start()
    return s, e


# expressions whose value can anchor later anaphoric ones ("that day", "a year earlier")
_ANCHORS = {"clock", "partday", "weekday", "week_of", "md", "md_follow", "monthyear", "relmonth", "holiday",
            "season", "year", "theyear", "decade", "century", "quarter", "deictic", "boundary", "ent"}

_DAY_WORDS = re.compile(r"\b(?:day|morning|afternoon|evening|night|hours?|a\.?m|p\.?m|noon|midnight|"
                        r"o'clock|\d{1,2}:\d\d)\b", re.IGNORECASE)
_BEFORE_EVENT = re.compile(r"\s+(?:before|after|following|preceding|leading\s+up\s+to)\s+(?:the|his|her|their|its)\b",
                           re.IGNORECASE)
_SHIFT_WORDS = re.compile(r"\b(?:previous|next|following|before|after|later|earlier|prior)\b", re.I)
_FIN_WORDS = re.compile(r"\b(?:quarter|period|year-earlier|year-ago|a year (?:ago|earlier)|year earlier|"
                        r"year ago|prior-year)\b", re.IGNORECASE)


def _time_entities(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of spaCy's DATE and TIME entities (read from the token arrays,
    which is much cheaper than building ``doc.ents``)."""
    strings = doc.vocab.strings
    labels = {strings.add("DATE"), strings.add("TIME")}
    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    hits = np.flatnonzero(np.isin(arr[:, 1], np.array(sorted(labels), dtype=np.uint64))).tolist()
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


def extract_times(doc: Doc, state: DocState) -> list[TimeMention]:
    """Time expressions of ``doc`` with TimeML values, in text order."""
    text = state.text
    vocab = get_vocab()
    cands = detect_spans(text, doc)
    spans = [(s, e) for s, e, _ in cands]
    for es, ee in _time_entities(doc):
        s, e = _trim_ent(text, es, ee)
        if e <= s or any(s < ce and cs < e for cs, ce in spans):
            continue
        low = _clean(text[s:e])
        if low in ("the day", "this day", "day", "the days", "the time", "that time") or \
                (low in vocab.vague and not vocab.vague[low][2]) or \
                (re.fullmatch(r"\d{4}", low) and _not_a_year(text, s, e)):
            continue
        cands.append((s, e, "ent"))
        spans.append((s, e))
    cands.sort()
    dct = state.date
    out: list[TimeMention] = []
    ref: str | None = None        # the last date mentioned (reference time)
    ref_day: str | None = None    # the last day mentioned, for "the previous day", "that night"
    qref: str | None = None       # the last reported quarter, for "a year earlier" in results
    by_start: dict[int, str] = {}
    for s, e, kind in cands:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        seg = text[s:e]
        direction = clause_direction(span, through_nouns=kind in ("weekday", "clock", "partday", "deictic"))
        if kind.startswith("md_follow:"):
            first = by_start.get(int(kind.split(":")[1]))
            if first is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", first):
                continue
            try:
                value = date(int(first[:4]), int(first[5:7]), int(seg)).isoformat()
            except ValueError:
                continue
            res = (value, "DATE")
        elif kind == "plural" and ref and _BEFORE_EVENT.match(text, e) and seg[:4].lower() == "the ":
            # "in the weeks before the shooting": a stretch of time dated by its event,
            # which is (as a rule) the date mentioned last
            res = ((_ref_at(ref, "M") or ref[:4]), "DATE")
        else:
            use_q = qref if _FIN_WORDS.search(seg) else None
            use_ref = ref
            if ref_day and ref and not re.match(r"\d{4}-\d\d-\d\d", ref) and _DAY_WORDS.search(seg) \
                    and _SHIFT_WORDS.search(seg):
                use_ref = ref_day   # "the previous day" needs a day to count from
            res = normalise(seg, dct, direction, use_ref, use_q)
        if res is None:
            continue
        value, typ = res
        by_start[s] = value
        out.append(TimeMention(s, e, value, typ, span.start, span.end))
        if kind.split(":")[0] in _ANCHORS and typ in ("DATE", "TIME") and re.match(r"\d{4}", value) \
                and "X" not in value[:4]:
            if re.fullmatch(r"\d{4}-Q\d", value) and (dct is None or value <= _granular(dct, "Q", -1)):
                qref = value  # a reported quarter, not one still to come
            if re.match(r"\d{4}-\d\d-\d\d", value):
                ref_day = value[:10]
            ref = value
    return out


@Language.factory("communique_times", default_config={})
def make_time_stage(nlp: Language, name: str):
    get_vocab()
    _grammar()
    _detector()

    def time_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.times = extract_times(doc, state)
        return doc

    return time_stage
