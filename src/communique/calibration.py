"""Calibrated confidence: the probability that a coded field is right.

The stages score what they find with hand-set weights (events, actors) or not at all
(quotes, places, times). Those scores order findings well but are not probabilities.
This module maps them to probabilities fitted on development gold sets by
``scripts/calibrate.py`` and kept, versioned, in ``kb/data/calibration.json``: among
fields given confidence 0.8, about 80% were right on held-out data
(docs/ACCURACY.md, section "Calibration").

The map of a field is looked up by a *group* (a categorical feature of the finding,
such as a quote's type and how its speaker was found) and, within the group, is a
monotone piecewise-linear function of the stage's raw score (isotonic regression by
pool-adjacent-violators, interpolated between block centres so that it stays
strictly increasing: findings keep their order, so "the event with the highest
confidence" is the same event before and after calibration). A lookup is a dict
access and a bisection, so calibration costs nothing measurable.

``calibrate(parts, cal)`` is the one step that applies it, on the assembled record
parts (``stages/_state.assemble``); it changes nothing but ``confidence`` values.
This module imports neither spaCy nor the stages.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KnowledgeBaseError

DATA_FILE = "calibration.json"
FIELDS = ("events", "actors", "quotes", "places", "times")
# Beyond the outermost fitted points the map keeps rising with this slope, so that
# findings outside the fitted range keep their order (and stay inside [0, 1]).
EDGE_SLOPE = 0.01
DIGITS = 6       # enough that two raw scores 0.001 apart never round to the same value

_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "hers",
                       "their", "us", "me", "its", "our", "who"})


# -- fitting (used by scripts/calibrate.py and the tests) -----------------------------------
def pav(xs: Sequence[float], ys: Sequence[float], ws: Sequence[float] | None = None,
        ) -> list[tuple[float, float, float, float]]:
    """Isotonic (non-decreasing) regression of ``ys`` on ``xs`` by pool-adjacent-violators.

    Returns the blocks as ``(x_low, x_high, y_mean, weight)`` in increasing ``x``; adjacent
    blocks have strictly increasing ``y_mean``.
    """
    if not (len(xs) == len(ys) and (ws is None or len(ws) == len(xs))):
        raise ValueError("pav: xs, ys and ws must have the same length")
    ws = [1.0] * len(xs) if ws is None else ws
    # equal x values form one starting block: a function cannot give them two values
    by_x: dict[float, list[float]] = {}
    for x, y, w in zip(xs, ys, ws, strict=True):
        acc = by_x.setdefault(float(x), [0.0, 0.0])
        acc[0] += y * w
        acc[1] += w
    stack: list[list[float]] = []     # [x_low, x_high, sum_wy, sum_w]
    for x in sorted(by_x):
        swy, sw = by_x[x]
        stack.append([x, x, swy, sw])
        while len(stack) > 1 and stack[-2][2] / stack[-2][3] >= stack[-1][2] / stack[-1][3]:
            top = stack.pop()
            stack[-1][1] = top[1]
            stack[-1][2] += top[2]
            stack[-1][3] += top[3]
    return [(lo, hi, wy / w, w) for lo, hi, wy, w in stack]


def merge_small(blocks: list[tuple[float, float, float, float]], min_weight: float,
                ) -> list[tuple[float, float, float, float]]:
    """Merge every block lighter than ``min_weight`` into the neighbour with the nearer rate.

    The merged rate lies between the two, so the blocks stay increasing; a step fitted on a
    handful of findings would otherwise mostly fit their noise.
    """
    out = list(blocks)
    while len(out) > 1:
        i = min(range(len(out)), key=lambda k: out[k][3])
        if out[i][3] >= min_weight:
            break
        cands = [j for j in (i - 1, i + 1) if 0 <= j < len(out)]
        j = min(cands, key=lambda k: abs(out[k][2] - out[i][2]))
        a, b = out[min(i, j)], out[max(i, j)]
        w = a[3] + b[3]
        out[min(i, j):max(i, j) + 1] = [(a[0], b[1], (a[2] * a[3] + b[2] * b[3]) / w, w)]
    return out


def fit_map(xs: Sequence[float], ys: Sequence[int], prior: float, strength: float = 2.0,
            min_step: float = EDGE_SLOPE, min_weight: float = 0.0) -> tuple[list[float], list[float]]:
    """Knots ``(x, p)`` of a strictly increasing map from raw score to probability.

    Each isotonic block is a (nearly) flat step over the raw scores it holds, and the map is
    linear only across the gaps between blocks, where there was no data: interpolating between
    block centres would give a block's edge scores rates they never had. The blocks' rates are
    shrunk towards ``prior`` with ``strength`` pseudo-counts (a block of 3 right answers says
    "very likely", not "certain"); every knot rises at least ``min_step`` per unit of raw score
    over the previous one, so the map is strictly increasing and no two findings that were
    ordered become tied. Blocks lighter than ``min_weight`` are merged first (``merge_small``).
    """
    kx: list[float] = []
    ky: list[float] = []
    for lo, hi, y, w in merge_small(pav(xs, ys), min_weight):
        p = (y * w + prior * strength) / (w + strength)
        for x in (lo, hi) if hi > lo else (lo,):
            kx.append(round(x, 6))
            ky.append(p)
    for i in range(1, len(ky)):
        ky[i] = max(ky[i], ky[i - 1] + min_step * (kx[i] - kx[i - 1]))
    return kx, [round(min(max(p, 0.0), 1.0), 6) for p in ky]


def ece(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> float:
    """Expected calibration error: the count-weighted mean |accuracy - confidence| over
    equal-width confidence bins."""
    rows = reliability(probs, labels, bins)
    n = sum(r["n"] for r in rows)
    return sum(r["n"] * abs(r["accuracy"] - r["confidence"]) for r in rows) / n if n else 0.0


def reliability(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> list[dict]:
    """The non-empty bins of a reliability table: range, count, mean confidence, accuracy."""
    acc: dict[int, list[float]] = {}
    for p, y in zip(probs, labels, strict=True):
        b = min(int(p * bins), bins - 1)
        a = acc.setdefault(b, [0, 0.0, 0.0])
        a[0] += 1
        a[1] += p
        a[2] += y
    return [{"lo": b / bins, "hi": (b + 1) / bins, "n": int(n), "confidence": sp / n, "accuracy": sy / n}
            for b, (n, sp, sy) in sorted(acc.items())]


# -- the fitted maps --------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldMap:
    """Per group, knots of a strictly increasing piecewise-linear map; ``"*"`` is the fallback."""

    groups: dict[str, tuple[tuple[float, ...], tuple[float, ...]]]
    # Raw scores come from few hand-set weights (three decimals), so most lookups repeat: the
    # memo, owned by this map (one per pipeline), makes a lookup one dict access.
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def __call__(self, raw: float, group: str) -> float:
        key = (raw, group)
        p = self._memo.get(key)
        if p is None:
            p = self._lookup(raw, group)
            if len(self._memo) < 50_000:
                self._memo[key] = p
        return p

    def _lookup(self, raw: float, group: str) -> float:
        xs, ys = self.groups.get(group) or self.groups["*"]
        i = bisect.bisect_right(xs, raw)
        if i == 0:
            p = ys[0] - EDGE_SLOPE * (xs[0] - raw)
        elif i == len(xs):
            p = ys[-1] + EDGE_SLOPE * (raw - xs[-1])
        else:
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            p = y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
        return round(min(max(p, 0.0), 1.0), DIGITS)


@dataclass(frozen=True)
class Calibration:
    version: str
    fitted: str
    sets: tuple[str, ...]
    fields: dict[str, FieldMap] = field(default_factory=dict)
    path: str = ""

    def to_dict(self) -> dict:
        return {"version": self.version, "fitted": self.fitted, "sets": list(self.sets),
                "fields": {name: {"groups": {g: {"x": list(xs), "p": list(ys)}
                                             for g, (xs, ys) in fm.groups.items()}}
                           for name, fm in self.fields.items()}}


def _broken(path: str, what: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"calibration file is broken: {what}", path,
                              "restore it from the release (git checkout src/communique/kb/data/calibration.json) "
                              "or re-fit it with scripts/calibrate.py")


def parse_calibration(data: object, path: str = DATA_FILE) -> Calibration:
    """Check and build a ``Calibration`` from the decoded JSON; ``KnowledgeBaseError`` names the flaw."""
    if not isinstance(data, dict):
        raise _broken(path, "the top level is not an object")
    for key in ("version", "fitted", "sets", "fields"):
        if key not in data:
            raise _broken(path, f"no {key!r} entry")
    if not isinstance(data["fields"], dict):
        raise _broken(path, "'fields' is not an object")
    fields: dict[str, FieldMap] = {}
    for name, spec in data["fields"].items():
        if name not in FIELDS:
            raise _broken(path, f"unknown field {name!r} (known: {', '.join(FIELDS)})")
        groups = spec.get("groups") if isinstance(spec, dict) else None
        if not isinstance(groups, dict) or "*" not in groups:
            raise _broken(path, f"field {name!r} has no 'groups' object with a '*' fallback group")
        out = {}
        for g, knots in groups.items():
            xs, ys = (knots.get("x"), knots.get("p")) if isinstance(knots, dict) else (None, None)
            ok = (isinstance(xs, list) and isinstance(ys, list) and xs and len(xs) == len(ys)
                  and all(isinstance(v, int | float) for v in xs + ys)
                  and all(0.0 <= p <= 1.0 for p in ys)
                  and all(a < b for a, b in zip(xs, xs[1:], strict=False))
                  and all(a <= b for a, b in zip(ys, ys[1:], strict=False)))
            if not ok:
                raise _broken(path, f"field {name!r} group {g!r}: 'x' must be strictly increasing numbers and "
                                    "'p' as many non-decreasing probabilities in [0, 1]")
            out[g] = (tuple(float(x) for x in xs), tuple(float(p) for p in ys))
        fields[name] = FieldMap(out)
    return Calibration(str(data["version"]), str(data["fitted"]), tuple(data["sets"]), fields, path)


def load_calibration(path: str | Path | None = None) -> Calibration:
    """The shipped calibration (or the file at ``path``)."""
    if path is None:
        from .kb.tables import data_path

        path = data_path(DATA_FILE)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise _broken(str(path), f"cannot be read ({err.strerror})") from err
    except ValueError as err:
        raise _broken(str(path), f"not valid JSON ({err})") from err
    return parse_calibration(data, str(path))


# -- features: what the map is looked up by -----------------------------------------------------
# Each returns (raw score, group) for one finding of the assembled record, given the record's
# context (``_context``: computed once, before any confidence is replaced). Fields without a
# stage score use 0.0 as raw: their map is then one value per group.
_DIGIT = re.compile(r"\d+")


def _context(parts: dict) -> dict:
    """Per sentence (by start offset), the highest raw event score."""
    top: dict[int, float] = {}
    for e in parts.get("events") or ():
        top[e.sentence.start] = max(top.get(e.sentence.start, 0.0), e.confidence)
    return {"top_event": top}


def _event_features(e, ctx: dict) -> tuple[float, str]:
    # An event that is not the strongest reading of its sentence ("said" next to the act it
    # reports, the second of two verbs) is much less often the sentence's event: at equal raw
    # score, about 0.4 against 0.8 on the development sets.
    # An event with a target is right far more often than one without (about 0.77 against 0.27
    # on the development sets) at the same raw score: its own group.
    rank = "top" if e.confidence >= ctx["top_event"].get(e.sentence.start, 0.0) else "other"
    return e.confidence, rank + ("|tgt" if e.target is not None else "")


def _actor_features(a, ctx: dict) -> tuple[float, str]:
    # Whether a country was found at all: "no country" is right for far fewer mentions.
    return a.confidence, "country" if a.country else "none"


def _speaker_kind(q) -> str:
    sp = q.speaker
    if sp.span is None and not sp.name:
        return "none"
    if sp.span is not None and sp.span.text.lower() in _PRONOUNS:
        return "pronoun-coded" if sp.code else "pronoun"
    return "coded" if sp.code else "name"


def _quote_features(q, ctx: dict) -> tuple[float, str]:
    return 0.0, f"{q.type}|{_speaker_kind(q)}"


def _place_features(p, ctx: dict) -> tuple[float, str]:
    return 0.0, f"{p.feature}|{'coords' if p.lat is not None else 'nocoords'}"


def time_shape(value: str) -> str:
    """The shape of a TIMEX3 value: digits collapsed (``2025-06-01`` -> ``9-9-9``, ``P3D`` -> ``P9D``)."""
    return _DIGIT.sub("9", value)


def _time_features(t, ctx: dict) -> tuple[float, str]:
    return 0.0, f"{t.type}|{time_shape(t.value)}"


FEATURES: dict[str, Callable[[object, dict], tuple[float, str]]] = {
    "events": _event_features, "actors": _actor_features, "quotes": _quote_features,
    "places": _place_features, "times": _time_features,
}


def calibrate(parts: dict, cal: Calibration | None) -> dict:
    """Replace the ``confidence`` of every finding in the assembled ``parts`` by its calibrated
    probability (in place; returns ``parts``). ``cal=None`` leaves the stages' raw scores."""
    if cal is None:
        return parts
    ctx = _context(parts)
    for name, fm in cal.fields.items():
        feats = FEATURES[name]
        items = parts.get(name) or ()
        keys = [feats(item, ctx) for item in items]
        for item, (raw, group) in zip(items, keys, strict=True):
            item.confidence = probability(name, fm, raw, group)
    return parts


def probability(name: str, fm: FieldMap, raw: float, group: str) -> float:
    """The calibrated probability of one finding of field ``name``."""
    p = fm(raw, group)
    if name == "events" and group.startswith("other"):
        # never above what the sentence's strongest event would get at this raw score, with or
        # without a target, so that event stays the sentence's most confident one
        p = min(p, fm(raw, "top"), fm(raw, "top|tgt"))
    return p
