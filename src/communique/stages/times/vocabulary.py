"""The time vocabulary: the words of time expressions, read from ``kb/data/times.tsv``.

Month and weekday names, number words, units, seasons, parts of the day, holidays,
vague references and decade words are knowledge, so they live in the versioned table;
this module reads and checks it, and turns spelled numbers into digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import KnowledgeBaseError
from ...kb.tables import data_path, read_table
from .calendar import holiday_date

TABLE = "times.tsv"


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
    numword_re: re.Pattern = field(default=re.compile(r"(?!)"), compare=False)
    # tense.py's word lists by name (TENSE_LISTS) and the DATE/TIME entities that are no time
    tense: dict[str, frozenset[str]] = field(default_factory=dict)
    nontime: frozenset[str] = frozenset()

    def digits(self, t: str) -> str:
        """``t`` with spelled cardinal numbers written in digits ("twenty four hours" -> "24 hours")."""
        return self.numword_re.sub(lambda m: self.words_value(m.group()), t)

    def words_value(self, run: str) -> str:
        """The digits of a run of number words ("nineteen ninety-six" -> "1996")."""
        toks = [x for x in re.split(r"[\s-]+", run) if x and x != "and"]
        vals = [1 if x == "a" else int(self.numbers[x]) for x in toks]
        year = _spelled_year(toks, vals)
        if year is not None:
            return year
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


def _spelled_year(toks: list[str], vals: list[int]) -> str | None:
    """Spelled years: nineteen ninety-six, twenty twenty, nineteen hundred."""
    if len(vals) >= 2 and 11 <= vals[0] <= 20 and "hundred" != toks[0]:
        rest = vals[1:]
        if rest == [100]:
            return str(vals[0] * 100)
        if all(x < 100 for x in rest) and rest[0] >= 20 and rest[0] % 10 == 0 and \
                (len(rest) == 1 or (len(rest) == 2 and rest[1] < 10)):
            return str(vals[0] * 100 + sum(rest))
        if len(rest) == 1 and 10 <= rest[0] < 20:
            return str(vals[0] * 100 + rest[0])
    return None


_KINDS = {"month", "weekday", "number", "ordinal", "unit", "season", "part", "holiday", "vague", "set",
          "decade", "tense", "nontime"}
# the lists tense.py reads; a table must give every one (an empty list would silently change tense)
TENSE_LISTS = ("future_aux", "plan", "schedule", "deadline", "reporting")


def load_vocab(path: Path | None = None) -> Vocab:
    """The vocabulary from ``path`` (default: the shipped ``kb/data/times.tsv``).

    A missing or malformed table raises ``KnowledgeBaseError`` naming the file and line.
    """
    table = read_table(path or data_path(TABLE), required=("kind", "phrase", "value", "type", "detect"))
    by_kind: dict[str, dict] = {k: {} for k in _KINDS}
    for lineno, row in table:
        kind, phrase, value = row["kind"], row["phrase"].lower(), row["value"]
        try:
            _check_row(kind, value)
        except ValueError as err:
            raise KnowledgeBaseError(f"bad {kind or 'empty'} row ({err})", f"{table.path}:{lineno}",
                                     "see the kinds and values described at the top of times.tsv") from err
        if kind in ("month", "weekday", "ordinal"):
            by_kind[kind][phrase] = int(value)
        elif kind == "unit":
            code, _, mult = value.partition("*")
            by_kind[kind][phrase] = (code, int(mult or 1), row["type"] == "T")
        elif kind in ("vague", "set"):
            by_kind["vague"][phrase] = (value, row["type"] or "DATE", row["detect"] == "yes")
        elif kind == "tense":
            by_kind[kind].setdefault(value, set()).add(phrase)
        elif kind == "nontime":
            by_kind[kind][phrase] = True
        else:
            by_kind[kind][phrase] = value
    ordinals = by_kind["ordinal"]
    # compound ordinals: twenty-first .. thirty-first
    for tw, tv in {"twenty": 20, "thirty": 30}.items():
        for ow, ov in ordinals.copy().items():
            if ov < 10:
                ordinals[f"{tw}-{ow}"] = tv + ov
                ordinals[f"{tw} {ow}"] = tv + ov
    numbers = by_kind["number"]
    missing = [name for name in TENSE_LISTS if not by_kind["tense"].get(name)]
    if missing:
        raise KnowledgeBaseError(f"no tense words for {', '.join(missing)}", str(table.path),
                                 "add `tense` rows for every list named at the top of times.tsv "
                                 "(or restore the shipped table)")
    return Vocab(table.version, by_kind["month"], by_kind["weekday"], numbers, ordinals, by_kind["unit"],
                 by_kind["season"], by_kind["part"], by_kind["holiday"], by_kind["vague"], by_kind["decade"],
                 _numword_re(numbers), {k: frozenset(v) for k, v in by_kind["tense"].items()},
                 frozenset(by_kind["nontime"]))


def _numword_re(numbers: dict[str, str]) -> re.Pattern:
    words = [w for w, d in numbers.items() if d.isdigit() and " " not in w and w not in ("a", "an")]
    w = alt(words)
    return re.compile(rf"\b(?:a\s+(?=hundred|thousand|dozen))?(?:{w})(?:(?:[\s-]+|\s+and\s+)(?:{w}))*\b")


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
    if kind == "tense" and value not in TENSE_LISTS:
        raise ValueError(f"{value!r} is not one of the tense lists {', '.join(TENSE_LISTS)}")


def alt(words) -> str:
    """Regex alternation of ``words``, longest first, spaces matching any whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))
