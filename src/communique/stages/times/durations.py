"""Quantities and units: "two and a half years" -> ``P2Y6M``, "5 1/2 hours" -> ``PT5H30M``."""

from __future__ import annotations

import re

from .vocabulary import Vocab

# the next smaller unit, for fractions: 2 1/2 years = P2Y6M, 5 1/2 hours = PT5H30M
_SUBUNIT = {("Y", False): ("M", 12, False), ("Q", False): ("M", 3, False), ("M", False): ("D", 30, False),
            ("W", False): ("D", 7, False), ("D", False): ("H", 24, True), ("H", True): ("M", 60, True),
            ("M", True): ("S", 60, True)}
_IRREGULAR = {"centuries": "century", "millennia": "millennium", "millenniums": "millennium"}


def unit(word: str, vocab: Vocab) -> tuple[str, int, bool] | None:
    """(TimeML code, multiplier, clock unit) of a unit word ("decades" -> ("Y", 10, False))."""
    w = word.lower().rstrip(".")
    units = vocab.units
    if w in units:
        return units[w]
    if w in _IRREGULAR:
        return units[_IRREGULAR[w]]
    if w.endswith("s") and w[:-1] in units:
        return units[w[:-1]]
    return None


def duration(n, word: str, vocab: Vocab) -> str | None:
    """TimeML duration of ``n`` (int, float or "X") ``word`` units."""
    u = unit(word, vocab)
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


def quantity(s: str, vocab: Vocab):
    """Value of a quantity word or digits: int, float, or "X" for vague amounts ("several")."""
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
    v = vocab.numbers.get(re.sub(r"\s+", " ", s))
    if v is None:
        return None
    return v if v == "X" else int(v)
