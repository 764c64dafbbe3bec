"""Normalisers: from the match of one rule to a TimeML ``(value, type)``.

Each ``h_*`` function takes the regex match of its rule (see ``rules.py``, where the
rule declaration names it) and the context ``Ctx``: the article date, the tense of
the clause, the reference time (last date mentioned) and the last fiscal quarter, the
vocabulary and the stage settings. A function returns None when the text, although it
matched, is not a time expression; the next rule is then tried.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import (
    add_months,
    granular,
    holiday_date,
    pick,
    quarter_of,
    ref_at,
    resolve_md,
    resolve_month,
    resolve_weekday,
    shift,
    unknown,
    week,
)
from .durations import duration, quantity
from .durations import unit as unit_of
from .settings import TimeSettings
from .vocabulary import Vocab


@dataclass
class Ctx:
    dct: date | None
    direction: int
    ref: str | None
    qref: str | None
    vocab: Vocab
    settings: TimeSettings
    # normalise another text in the same context ("Friday" of "Friday, April 6")
    again: Callable[[str], tuple[str, str] | None]


def _ordinal(s: str | None, c: Ctx) -> int | None:
    if s is None:
        return None
    if s.isdigit():
        return int(s)
    return c.vocab.ordinals.get(s)


def _month(s: str, c: Ctx) -> int:
    return c.vocab.months[s.rstrip(".")]


def _with_part(day_value: str, p: str | None, c: Ctx) -> str:
    """``2025-08-29TNI`` for a day and a part of it (or a clock time such as noon)."""
    if not p:
        return day_value
    return f"{day_value}T{c.vocab.parts[p]}"


def h_yearend(m, c):
    if c.dct is None:
        return None
    return granular(c.dct, {"year": "Y", "month": "M", "quarter": "Q"}[m[1]]), "DATE"


def h_iso(m, c):
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if m[4]:
        return f"{d.isoformat()}T{m[4]}:{m[5]}", "TIME"
    return d.isoformat(), "DATE"


def h_slash(m, c):
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


def _day_anchor(rest: str | None, c: Ctx) -> str | None:
    """Day value of the date part of a clock expression (or the reference day)."""
    if rest:
        res = c.again(rest)
        if res is not None and res[0].startswith("XXXX"):
            return "XXXX-XX-XX"
        if res is None or not re.match(r"\d{4}-\d\d-\d\d", res[0]):
            return None
        return res[0][:10]
    if c.ref and re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", c.ref):
        return c.ref[:10]
    return c.dct.isoformat() if c.dct else "XXXX-XX-XX"


def _clock_on_day(m, c, clock: int, day: int):
    """A clock time (groups from ``clock`` on) on the day named in group ``day``."""
    hm = _clock_value(m, clock)
    if hm is None:
        return None
    d = _day_anchor(m[day], c)
    if d is None:
        return None
    return f"{d}T{hm}", "TIME"


def h_clock(m, c):
    return _clock_on_day(m, c, 1, 9)      # "at 3 pm on Tuesday"


def h_clock_rev(m, c):
    return _clock_on_day(m, c, 2, 1)      # "Tuesday at 3 pm"


def h_weekday(m, c):
    mod, wdw, plural, part, pplural, rest = m[1], m[2], m[3], m[4], m[5], m[6]
    wd = c.vocab.weekdays[wdw]
    if plural or (pplural and not mod):
        value = f"XXXX-WXX-{wd}" + (f"T{c.vocab.parts[part]}" if part else "")
        return value, "SET"
    if rest:
        res = c.again(rest)
        if res is not None and res[0].startswith("XXXX-"):
            return _with_part(res[0], part, c), "DATE"   # no article date: the year stays unknown
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
        return _with_part(d.isoformat(), part, c), "DATE"
    if c.dct is None:
        return f"XXXX-WXX-{wd}", "DATE"
    d = resolve_weekday(wd, c.dct, c.direction, mod or "", c.settings.weekday_slack)
    return _with_part(d.isoformat(), part, c), "DATE"


def h_part_day(m, c):
    part, day = m[1], m[2]
    base = c.again(day)
    if base is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", base[0]):
        return None
    return _with_part(base[0], part, c), "TIME"


def h_deictic(m, c):
    rel, word, part = m[1], m[2], m[3]
    if c.dct is None:
        return "XXXX-XX-XX", "DATE"
    k = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    k += {"before": -1, "after": 1, None: 0}[rel]
    d = (c.dct + timedelta(days=k)).isoformat()
    if word == "tonight":
        return f"{d}TNI", "TIME"
    if part:
        return _with_part(d, part, c), "TIME"
    return d, "DATE"


def h_this_part(m, c):
    rel, part = m[1], m[2]
    if c.dct is None:
        return None
    k = {"this": 0, "last": -1 if part in ("night", "evening") else None, "tomorrow": 1, "yesterday": -1}[rel]
    if k is None:
        return None
    return _with_part((c.dct + timedelta(days=k)).isoformat(), part, c), "TIME"


def _md_value(mon: int, day: int, year: str | None, mod: str | None, c: Ctx) -> tuple[str, str] | None:
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
    value = resolve_md(mon, day, c.dct, direction, c.settings.future_bias)
    return (value, "DATE") if value else None


def h_md(m, c):
    day = int(m[3]) if m[3] else _ordinal(m[4], c)
    if day is None:
        return None
    return _md_value(_month(m[2], c), day, m[5], m[1], c)


def h_dm(m, c):
    day = int(m[1]) if m[1] else _ordinal(m[2], c)
    if day is None:
        return None
    return _md_value(_month(m[3], c), day, m[4], None, c)


def h_week_of(m, c):
    res = c.again(m[2])
    if res is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", res[0]):
        return None
    wk = week(date.fromisoformat(res[0]))
    return (wk + "-WE" if m[1] == "weekend" else wk), "DATE"


def h_my(m, c):
    return f"{int(m[2]):04d}-{_month(m[1], c):02d}", "DATE"


def h_m_rel(m, c):
    if c.dct is None:
        return None
    y = c.dct.year + {"last": -1, "this": 0, "next": 1}[m[2]]
    return f"{y:04d}-{_month(m[1], c):02d}", "DATE"


def h_month(m, c):
    mon = _month(m[2], c)
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
    return resolve_month(mon, c.dct, direction, c.settings.future_bias), "DATE"


def h_holiday(m, c):
    mod, name, year, as_week = m[1], m[2], m[3], m[4]
    rule = c.vocab.holidays[name]
    if year:
        d = holiday_date(rule, int(year))
    elif c.dct is None:
        return None
    else:
        direction = {"last": -1, "next": 1, "this coming": 1}.get(mod or "", c.direction)
        cands = [x for x in (holiday_date(rule, c.dct.year + k) for k in (-1, 0, 1)) if x]
        if as_week:
            starts = {x - timedelta(days=x.isoweekday() - 1): x for x in cands}
            d = starts[pick(list(starts), c.dct, direction, c.settings.future_bias)]
        else:
            d = pick(cands, c.dct, direction, c.settings.future_bias)
    if d is None:
        return None
    return (week(d) if as_week else d.isoformat()), "DATE"


def h_season(m, c):
    mod, s, year, yrel = m[1], m[2], m[3], m[4]
    code = c.vocab.seasons[s]
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
        i = pick([x for x in cands if x not in cur], now, direction, c.settings.future_bias)
    return f"{i // 12}-{code}", "DATE"


def h_seasons_set(m, c):
    return f"XXXX-{c.vocab.seasons[m[1]]}", "SET"


def h_year(m, c):
    y = int(m[1])
    if not 1000 <= y <= 2200:
        return None
    return f"{y:04d}", "DATE"


def h_year_ap(m, c):
    y = int(m[1])
    century = 1900 if c.dct is None or y > c.dct.year % 100 + 5 else 2000
    return str(century + y), "DATE"


def h_decade(m, c):
    return m[1], "DATE"


def h_decade2(m, c):
    return "19" + m[1], "DATE"


def h_decadew(m, c):
    return c.vocab.decades[m[1]], "DATE"


def h_century(m, c):
    n = int(m[1]) if m[1] else _ordinal(m[2], c)
    if not n or n > 30:
        return None
    return f"{n - 1:02d}", "DATE"


def h_century_rel(m, c):
    if c.dct is None:
        return None
    k = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1}[m[1]]
    return granular(c.dct, "CE", k), "DATE"


def h_quarter(m, c):
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
    cur = quarter_of(c.dct) if letter == "Q" else (1 if c.dct.month <= 6 else 2)
    y = c.dct.year
    if n > cur and c.direction <= 0:
        y -= 1
    return f"{y}-{letter}{n}", "DATE"


def _reporting_quarter(c: Ctx) -> str | None:
    if c.qref:
        return c.qref
    if c.dct is None:
        return None
    return granular(c.dct, "Q", -1)


def h_q_rel(m, c):
    """"the quarter", "the latest quarter", "the year-ago period", "last quarter"."""
    mod, kind = m[1] or "", m[2]
    tail = m.group(0)
    if kind == "period" and not mod:
        return None
    if c.dct is None and not c.qref:
        return None
    if mod in ("this", "current"):
        return (granular(c.dct, "Q") if c.dct else c.qref), "DATE"
    if mod in ("next", "coming"):
        return (granular(c.dct, "Q", 1) if c.dct else None), "DATE"
    if mod == "last":                     # deictic: the quarter before this one
        return (granular(c.dct, "Q", -1) if c.dct else shift(c.qref, "Q", -1)), "DATE"
    base = _reporting_quarter(c)
    if mod in ("latest", "most recent", "recent", "just-ended", "just ended") and c.dct is not None:
        base = granular(c.dct, "Q", -1)
    if base is None:
        return None
    if mod in ("previous", "prior", "preceding"):   # anaphoric: before the one reported
        return shift(base, "Q", -1), "DATE"
    if mod == "following":
        return shift(base, "Q", 1), "DATE"
    y = re.search(r"in (\d{4})$", tail)
    if y:
        return f"{y[1]}{base[4:]}", "DATE"
    if mod.startswith(("year", "prior-year", "previous-year", "last year")) or \
            re.search(r"a year (?:ago|earlier)|last year", tail):
        return shift(base, "Y", -1) or base, "DATE"
    return base, "DATE"


def h_year_back(m, c):
    txt = m.group(0)
    if c.qref:
        return shift(c.qref, "Y", -1), "DATE"
    anaphoric = re.search(r"earlier|before|previous|prior", txt) is not None
    if anaphoric and c.ref and re.match(r"\d{4}", c.ref):
        return str(int(c.ref[:4]) - 1), "DATE"
    if c.dct is None:
        return None
    return str(c.dct.year - 1), "DATE"


def h_fiscal(m, c):
    if c.dct is None:
        return None
    k = {"next": 1, "coming": 1, "last": -1, "previous": -1, "prior": -1, "past": -1}.get(m[1] or "", 0)
    if m[1] == "same" and c.ref and re.match(r"\d{4}", c.ref):
        return c.ref[:4], "DATE"
    return str(c.dct.year + k), "DATE"


_REL_K = {"this": 0, "current": 0, "present": 0, "last": -1, "past": -1, "previous": -1, "prior": -1,
          "preceding": -1, "next": 1, "coming": 1, "following": 1, "same": 0, "that": 0}


def h_rel_unit(m, c):
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
        return _with_part(base.isoformat(), unit, c), "TIME"
    gran = {"day": "D", "night": "D", "week": "W", "weekend": "WE", "month": "M", "year": "Y",
            "decade": "DE"}[unit]
    if anaphoric and c.ref and re.match(r"\d{4}", c.ref):
        base = ref_at(c.ref, gran)
        if base is not None:
            if k:
                shifted = shift(base, {"WE": "W", "DE": "Y"}.get(gran, gran), k * (10 if gran == "DE" else 1))
                if shifted:
                    base = shifted
            return base, "DATE"
    if c.dct is None:
        return unknown(gran), "DATE"
    if gran == "WE" and rel in ("last", "past", "previous") and c.dct.isoweekday() < 6:
        return granular(c.dct, "WE", -1), "DATE"
    if gran == "D" and rel == "same":
        return c.dct.isoformat(), "DATE"
    return granular(c.dct, gran, k), "DATE"


def h_the_unit(m, c):
    unit = m[1]
    if c.dct is None:
        return None
    if unit in ("morning", "afternoon", "evening", "night"):
        return None
    gran = {"day": "D", "week": "W", "weekend": "WE", "month": "M", "year": "Y"}[unit]
    if gran == "WE":
        # news: "over the weekend" is the last one, unless the clause looks ahead
        if c.direction > 0:
            return granular(c.dct, "WE", 0 if c.dct.isoweekday() < 6 else 1), "DATE"
        return granular(c.dct, "WE", 0 if c.dct.isoweekday() >= 6 else -1), "DATE"
    if gran == "D" and c.ref and re.fullmatch(r"\d{4}-\d\d-\d\d", c.ref):
        return c.ref, "DATE"
    return granular(c.dct, gran), "DATE"


def h_ago(m, c):
    n, unitw, rel = quantity(m[1], c.vocab), m[2], m[3]
    if n is None:
        return None
    return _offset(n, unitw, rel, c)


def h_ago1(m, c):
    return _offset(1, m[1], m[2], c)


def _offset(n, unitw: str, rel: str, c: Ctx):
    """"three years ago" (from the article date), "two days later" (from the reference time)."""
    u = unit_of(unitw, c.vocab)
    if u is None:
        return None
    code, mult, clock = u
    sign = -1 if rel in ("ago", "earlier", "before", "previously", "back", "since") else 1
    if n == "X":
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "DATE"
    if rel in ("before", "after", "since") or clock:
        d = duration(n, unitw, c.vocab)
        return (d, "DURATION") if d else None
    if c.qref and code in ("Y", "Q") and rel in ("ago", "earlier") and n == 1 and mult == 1:
        return shift(c.qref, code, -1), "DATE"   # "a year earlier" in a quarterly report
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
            return (d.isoformat() if n < 3 else week(d)), "DATE"
        if code == "M":
            y, mo = add_months(d.year, d.month, k)
            return f"{y:04d}-{mo:02d}", "DATE"
        if code == "Q":
            return granular(d, "Q", k), "DATE"
        return str(d.year + k), "DATE"
    if code == "Q" and re.fullmatch(r"\d{4}-Q\d", anchor):
        return shift(anchor, "Q", k), "DATE"
    if code == "M" and re.fullmatch(r"\d{4}-\d\d", anchor):
        return shift(anchor, "M", k), "DATE"
    if code in ("D", "W", "WE") and re.fullmatch(r"\d{4}-\d\d", anchor):
        return anchor, "DATE"   # days from a month: the month is as precise as we can be
    years = {"Y": k, "M": round(k / 12), "Q": round(k / 4)}.get(code, 0)
    return str(int(anchor[:4]) + years), "DATE"


def h_nth_day(m, c):
    if c.ref and re.fullmatch(r"\d{4}-\d\d-\d\d", c.ref):
        return c.ref, "DATE"
    if c.dct is None:
        return None
    if m[1] != "day":
        return None
    return c.dct.isoformat(), "DATE"


def h_every(m, c):
    v = c.vocab
    n, word = m[1], m[2]
    k = quantity(c.vocab.digits(n), c.vocab) if n else 1
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
    d = duration(k, word, c.vocab)
    return (d, "SET") if d else None


def h_times_per(m, c):
    d = duration(1, m[1], c.vocab)
    return (d, "SET") if d else None


def h_plural_wd(m, c):
    v = c.vocab
    value = f"XXXX-WXX-{v.weekdays[m[1]]}" + (f"T{v.parts[m[2]]}" if m[2] else "")
    return value, "SET"


def h_dur(m, c):
    n = quantity(m[1], c.vocab)
    if n is None:
        return None
    if m[2]:
        n = (n if n != "X" else 0) + 0.5
    if m.group(0).endswith("and a half"):
        n = n + 0.5 if n != "X" else n
    d = duration(n, m[3], c.vocab)
    return (d, "DURATION") if d else None


def h_dur_plural(m, c):
    word = m[2]
    if word == "generations":
        return "PXY", "DURATION"
    d = duration("X", word, c.vocab)
    return (d, "DURATION") if d else None


def h_dur_half(m, c):
    word = m[1] or m[2]
    d = duration(0.5 if m[1] else 1.5, word, c.vocab)
    return (d, "DURATION") if d else None


def h_dur_or(m, c):
    res = c.again(m[1])
    if res and res[1] == "DURATION":
        return res
    return None


