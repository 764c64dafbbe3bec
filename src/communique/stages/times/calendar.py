"""Calendar arithmetic on TimeML values: weeks, quarters, holidays, shifting and choosing a year.

Pure functions on ``datetime.date`` and TimeML value strings (``2025-08``, ``2025-Q3``,
``2025-W35``, ``199``); nothing here knows words or settings other than its arguments.
"""

from __future__ import annotations

import re
from datetime import date, timedelta


def week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def unknown(gran: str) -> str:
    """The TimeML value of an unknown date at granularity ``gran`` (``XXXX-XX`` for a month)."""
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX", "Y": "XXXX"}.get(gran, "XXXX")


def easter(y: int) -> date:
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
        return easter(year) + timedelta(days=int(m[1]))
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


# --------------------------------------------------------------------------- choosing a year

def pick(cands: list, now, direction: int, future_bias: float):
    """The candidate (comparable with ``now``) the tense points to: the latest not after
    ``now`` for the past, the earliest not before it for the future, else the nearest,
    where the past one wins unless the future one is more than ``future_bias`` times
    closer (news mostly reports what happened)."""
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
    return p if _dist(now, p) <= _dist(f, now) * future_bias else f


def _dist(a, b) -> int:
    d = a - b
    return d.days if isinstance(d, timedelta) else d


def resolve_md(mon: int, day: int, dct: date, direction: int, future_bias: float) -> str | None:
    cands = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            cands.append(date(y, mon, day))
        except ValueError:
            pass
    if not cands:
        return None   # "February 30"
    return pick(cands, dct, direction, future_bias).isoformat()


def resolve_month(mon: int, dct: date, direction: int, future_bias: float) -> str:
    now = dct.year * 12 + dct.month - 1
    cands = [(dct.year + k) * 12 + mon - 1 for k in (-1, 0, 1)]
    i = pick(cands, now, direction, future_bias)
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def resolve_weekday(wd: int, dct: date, direction: int, mod: str, slack: int) -> date:
    """The weekday ``wd`` the modifier or tense points to; with neither, the last one
    unless the next is more than ``slack`` days closer."""
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
    return dct - timedelta(days=back) if back <= fwd + slack else dct + timedelta(days=fwd)


# --------------------------------------------------------------------------- moving values

def shift(value: str, unit: str, k: int) -> str | None:
    """``value`` (a TimeML date) moved ``k`` ``unit``s, keeping its granularity."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", value)
    if m:
        return _shift_day(date(int(m[1]), int(m[2]), int(m[3])), m[4] or "", unit, k)
    m = re.fullmatch(r"(\d{4})-(\d\d)", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        if unit == "M":
            y, mo = add_months(y, mo, k)
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
        return week(d)
    m = re.fullmatch(r"(\d{4})(?:-(?:H\d|SU|SP|FA|WI))?", value)
    if m and unit == "Y":
        return str(int(m[1]) + k) + value[4:]
    return None


def _shift_day(d: date, clock: str, unit: str, k: int) -> str | None:
    if unit == "D":
        return (d + timedelta(days=k)).isoformat() + clock
    if unit == "W":
        return (d + timedelta(weeks=k)).isoformat()
    if unit == "M":
        y, mo = add_months(d.year, d.month, k)
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


def granular(dct: date, unit: str, k: int = 0) -> str:
    """The ``unit`` (D, W, WE, M, Q, Y, DE, CE) containing ``dct``, moved ``k`` units."""
    if unit == "D":
        return (dct + timedelta(days=k)).isoformat()
    if unit == "W":
        return week(dct + timedelta(weeks=k))
    if unit == "WE":
        return week(dct + timedelta(weeks=k)) + "-WE"
    if unit == "M":
        y, m = add_months(dct.year, dct.month, k)
        return f"{y:04d}-{m:02d}"
    if unit == "Q":
        i = dct.year * 4 + quarter_of(dct) - 1 + k
        return f"{i // 4}-Q{i % 4 + 1}"
    if unit == "H":
        i = dct.year * 2 + (dct.month > 6) + k
        return f"{i // 2}-H{i % 2 + 1}"
    if unit == "DE":
        return str(dct.year // 10 + k)
    if unit == "CE":
        return f"{dct.year // 100 + k:02d}"
    return str(dct.year + k)


def ref_at(ref: str, gran: str) -> str | None:
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
            wk = week(date(int(y), int(mo), int(d)))
            return wk + ("-WE" if gran == "WE" else "")
        return None
    return None
