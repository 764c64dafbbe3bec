"""Scorers for the development gold formats (see the gold README, families
``events_penta``, ``quotes``, ``times``, ``places`` and ``actor_cases``).

Each scorer takes parallel lists of gold lines (dicts) and predicted
``communique/1`` records (dicts) and returns a flat ``{metric: value}`` dict.
They are pure functions: the CLI and the tests call them the same way.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter

_WORD = re.compile(r"\w+", re.UNICODE)
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "hers", "their", "us", "me"}
_PREPS = {"of", "for", "at", "in", "on", "from", "with", "to", "by"}


def _prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _half_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and _overlap(a, b) * 2 >= shorter


def _match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching of spans that overlap by half the shorter, largest overlap first."""
    pairs = sorted(((_overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                    if _half_overlap(g, p)), reverse=True)
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


# -- events ------------------------------------------------------------------------
def penta_of(event: dict) -> int | None:
    root = event.get("cameo_root") or (event.get("cameo") or "")[:2]
    if root and root.isdigit():
        r = int(root)
        if r <= 2:
            return 0
        if r <= 5:
            return 1
        if r <= 8:
            return 2
        if r <= 13 or r == 16:
            return 3
        return 4
    quad = event.get("quad_class")
    return {1: 1, 2: 2, 3: 3, 4: 4}.get(quad)


def top_event(record: dict) -> dict | None:
    events = record.get("events") or []
    if not events:
        return None
    best = max(events, key=lambda e: e.get("confidence", 0.0))
    top = best.get("confidence", 0.0)
    return next(e for e in events if e.get("confidence", 0.0) == top)


def _span_of(p: dict | None) -> tuple[int, int] | None:
    if not p or not p.get("span"):
        return None
    return p["span"]["start"], p["span"]["end"]


def score_events(gold: list[dict], pred: list[dict]) -> dict:
    labels = [0, 1, 2, 3, 4]
    y_true, y_pred = [], []
    det_tp = det_fp = det_fn = 0
    det_neg_seen = False
    root_hits = root_total = 0
    counters = Counter()
    for g, r in zip(gold, pred, strict=True):
        top = top_event(r)
        has_pred = bool(r.get("events"))
        has_gold = bool(g.get("events"))
        if g.get("no_event"):
            det_neg_seen = True
        if has_gold and has_pred:
            det_tp += 1
        elif has_gold:
            det_fn += 1
        elif has_pred and g.get("no_event"):
            det_fp += 1
        if g.get("penta") is not None:
            y_true.append(g["penta"])
            y_pred.append(penta_of(top) if top else None)
        gold_codes = [e.get("cameo") for e in g.get("events", []) if e.get("cameo")]
        if gold_codes:
            root_total += 1
            if top and (top.get("cameo_root") or "") in {c[:2] for c in gold_codes}:
                root_hits += 1
        _score_participants(g, r, top, counters)
    acc = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == p) / len(y_true) if y_true else 0.0
    f1s = []
    per_class = {}
    for c in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p == c)
        npred = sum(1 for p in y_pred if p == c)
        ngold = sum(1 for t in y_true if t == c)
        _, _, f = _prf(tp, npred, ngold)
        if ngold or npred:
            f1s.append(f)
        per_class[c] = f
    out = {
        "n": len(gold), "penta_acc": acc, "penta_macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "detected": sum(1 for p in y_pred if p is not None) / len(y_pred) if y_pred else 0.0,
        "detection_recall": det_tp / (det_tp + det_fn) if det_tp + det_fn else 0.0,
    }
    if det_neg_seen:
        out["detection_precision"] = det_tp / (det_tp + det_fp) if det_tp + det_fp else 0.0
    for c in labels:
        out[f"f1_class{c}"] = per_class[c]
    if root_total:
        out["cameo_root_acc"] = root_hits / root_total
        out["cameo_root_n"] = root_total
    for key in ("src_span_top", "tgt_span_top", "src_span_any", "tgt_span_any", "src_country", "tgt_country"):
        n = counters[key + "_n"]
        if n:
            out[key] = counters[key] / n
            out[key + "_n"] = n
    return out


def _gold_spans(g: dict, role: str) -> list[tuple[int, int]]:
    spans = []
    parts = g.get("participants") or {}
    for s in parts.get(role, []) + parts.get("reciprocal", []):
        if s.get("start") is not None:
            spans.append((s["start"], s["end"]))
    for e in g.get("events", []):
        p = e.get(role)
        if p and p.get("start") is not None and (p["start"], p["end"]) not in spans:
            spans.append((p["start"], p["end"]))
    return spans


def _score_participants(g: dict, r: dict, top: dict | None, c: Counter) -> None:
    events = r.get("events") or []
    for role, key in (("source", "src"), ("target", "tgt")):
        spans = _gold_spans(g, role)
        if spans:
            c[f"{key}_span_top_n"] += 1
            c[f"{key}_span_any_n"] += 1
            ts = _span_of(top.get(role)) if top else None
            if ts and any(_overlap(ts, s) for s in spans):
                c[f"{key}_span_top"] += 1
            if any(_span_of(e.get(role)) and any(_overlap(_span_of(e.get(role)), s) for s in spans)
                   for e in events):
                c[f"{key}_span_any"] += 1
        for ge in g.get("events", []):
            gp = ge.get(role)
            if not gp or not gp.get("country"):
                continue
            c[f"{key}_country_n"] += 1
            if gp.get("start") is not None:
                gs = (gp["start"], gp["end"])
                ok = any(_span_of(e.get(role)) and _overlap(_span_of(e.get(role)), gs)
                         and (e.get(role) or {}).get("country") == gp["country"] for e in events)
            else:
                ok = bool(top and (top.get(role) or {}).get("country") == gp["country"])
            if ok:
                c[f"{key}_country"] += 1


# -- quotes ------------------------------------------------------------------------
def _tokens(text: str) -> Counter:
    return Counter(w.lower() for w in _WORD.findall(text))


def _tok_f1(a: Counter, b: Counter) -> tuple[float, float, float]:
    common = sum((a & b).values())
    return _prf(common, sum(b.values()), sum(a.values()))  # a = gold, b = predicted


def _gold_head(q: dict) -> str | None:
    name = q.get("speaker_name")
    if name:
        words = _WORD.findall(name)
        if words:
            return words[-1].lower()
    src = q.get("source")
    if src and src.get("text"):
        text = re.split(r",", src["text"])[0]
        words = []
        for w in _WORD.findall(text):
            if w.lower() in _PREPS:
                break
            words.append(w)
        if words and words[-1].lower() not in _PRONOUNS:
            return words[-1].lower()
    return None


def score_quotes(gold: list[dict], pred: list[dict]) -> dict:
    n_pred = n_gold = matched = 0
    soft_tp = soft_pred = soft_gold = 0.0
    by_type = {True: Counter(), False: Counter()}
    for g, r in zip(gold, pred, strict=True):
        text = g["text"]
        gq = g.get("quotes", [])
        pq = r.get("quotes", [])
        gold_toks = [sum((_tokens(c["text"] if "text" in c else text[c["start"]:c["end"]])
                          for c in q["content"]), Counter()) for q in gq]
        pred_toks = [_tokens(q["span"]["text"]) for q in pq]
        n_gold += len(gq)
        n_pred += len(pq)
        pairs = sorted(((_tok_f1(gt, pt)[2], gi, pi) for gi, gt in enumerate(gold_toks)
                        for pi, pt in enumerate(pred_toks)), reverse=True)
        used_g, used_p = set(), set()
        for f, gi, pi in pairs:
            if f <= 0 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            common = sum((gold_toks[gi] & pred_toks[pi]).values())
            soft_tp += common
            soft_pred += sum(pred_toks[pi].values())
            soft_gold += sum(gold_toks[gi].values())
            if f < 0.5:
                continue
            matched += 1
            q = gq[gi]
            bt = by_type[bool(q.get("direct"))]
            bt["matched"] += 1
            # per-type precision counts a match under the type we predicted ("mixed" counts as direct)
            by_type[pq[pi].get("type") != "indirect"]["pred_matched"] += 1
            has_speaker = bool(q.get("source") or q.get("speaker_name"))
            if has_speaker:
                bt["speaker_n"] += 1
                if _speaker_ok(q, pq[pi]):
                    bt["speaker_ok"] += 1
        for q in gq:
            by_type[bool(q.get("direct"))]["gold"] += 1
        for q in pq:
            by_type[q.get("type") != "indirect"]["pred"] += 1
    p, rr, f = _prf(matched, n_pred, n_gold)
    sp, sr, sf = _prf(soft_tp, soft_pred, soft_gold)
    out = {"n_gold": n_gold, "n_pred": n_pred, "precision": p, "recall": rr, "f1": f,
           "tok_precision": sp, "tok_recall": sr, "tok_f1": sf}
    spk_ok = sum(b["speaker_ok"] for b in by_type.values())
    spk_n = sum(b["speaker_n"] for b in by_type.values())
    out["speaker_acc"] = spk_ok / spk_n if spk_n else 0.0
    for direct, name in ((True, "direct"), (False, "indirect")):
        b = by_type[direct]
        out[f"{name}_recall"] = b["matched"] / b["gold"] if b["gold"] else 0.0
        out[f"{name}_precision"] = b["pred_matched"] / b["pred"] if b["pred"] else 0.0
        tp, tr = out[f"{name}_precision"], out[f"{name}_recall"]
        out[f"{name}_f1"] = 2 * tp * tr / (tp + tr) if tp + tr else 0.0
        out[f"{name}_speaker_acc"] = b["speaker_ok"] / b["speaker_n"] if b["speaker_n"] else 0.0
        out[f"{name}_n"] = b["gold"]
    return out


def _speaker_ok(gold_q: dict, pred_q: dict) -> bool:
    sp = pred_q.get("speaker") or {}
    src = gold_q.get("source")
    if src and sp.get("span") and src.get("start") is not None:
        if _overlap((sp["span"]["start"], sp["span"]["end"]), (src["start"], src["end"])):
            return True
    head = _gold_head(gold_q)
    if head and sp.get("name"):
        return head in {w.lower() for w in _WORD.findall(sp["name"])}
    return False


# -- times -------------------------------------------------------------------------
def score_times(gold: list[dict], pred: list[dict]) -> dict:
    n_gold = n_pred = matched = strict = value_ok = type_ok = 0
    for g, r in zip(gold, pred, strict=True):
        gt = g.get("times", [])
        pt = r.get("times", [])
        n_gold += len(gt)
        n_pred += len(pt)
        gs = [(t["start"], t["end"]) for t in gt]
        ps = [(t["span"]["start"], t["span"]["end"]) for t in pt]
        for gi, pi in _match_spans(gs, ps):
            matched += 1
            if gs[gi] == ps[pi]:
                strict += 1
            if str(gt[gi]["value"]).lower() == str(pt[pi]["value"]).lower():
                value_ok += 1
            if gt[gi].get("type") == pt[pi].get("type"):
                type_ok += 1
    p, rr, f = _prf(matched, n_pred, n_gold)
    _, _, sf = _prf(strict, n_pred, n_gold)
    return {"n_gold": n_gold, "n_pred": n_pred, "precision": p, "recall": rr, "f1": f, "strict_f1": sf,
            "value_acc": value_ok / matched if matched else 0.0, "type_acc": type_ok / matched if matched else 0.0}


# -- places ------------------------------------------------------------------------
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def score_places(gold: list[dict], pred: list[dict]) -> dict:
    n_gold = n_pred = matched = 0
    with_coords = within = 0
    errors: list[float] = []
    for g, r in zip(gold, pred, strict=True):
        gp = g.get("places", [])
        pp = r.get("places", [])
        n_gold += len(gp)
        n_pred += len(pp)
        for gi, pi in _match_spans([(p["start"], p["end"]) for p in gp],
                                   [(p["span"]["start"], p["span"]["end"]) for p in pp]):
            matched += 1
            gpl, ppl = gp[gi], pp[pi]
            if gpl.get("lat") is None or gpl.get("lon") is None:
                continue
            with_coords += 1
            if ppl.get("lat") is None or ppl.get("lon") is None:
                errors.append(20000.0)
                continue
            km = haversine_km(gpl["lat"], gpl["lon"], ppl["lat"], ppl["lon"])
            errors.append(km)
            if km <= 161:
                within += 1
    p, rr, f = _prf(matched, n_pred, n_gold)
    return {"n_gold": n_gold, "n_pred": n_pred, "precision": p, "recall": rr, "f1": f,
            "acc161": within / with_coords if with_coords else 0.0,
            "median_km": statistics.median(errors) if errors else 0.0}


# -- actor cases ---------------------------------------------------------------------
def score_actor_cases(gold: list[dict], pred: list[dict]) -> dict:
    c = Counter()
    for g, r in zip(gold, pred, strict=True):
        ga = g["actor"]
        span = (ga["start"], ga["end"])
        best, best_ov = None, 0
        for a in r.get("actors", []):
            ov = _overlap(span, (a["span"]["start"], a["span"]["end"]))
            if ov > best_ov:
                best, best_ov = a, ov
        if ga.get("country") is not None:
            c["country_n"] += 1
            if best is not None and (best.get("country") or "") == (ga["country"] or ""):
                c["country_ok"] += 1
        sectors = ga.get("sector_in") or ([ga["sector"]] if ga.get("sector") is not None else None)
        if sectors is not None:
            c["sector_n"] += 1
            if best is not None and (best.get("sector") or "") in {s or "" for s in sectors}:
                c["sector_ok"] += 1
        if ga.get("country_not"):
            c["country_not_n"] += 1
            if best is None or best.get("country") != ga["country_not"]:
                c["country_not_ok"] += 1
        if best is not None:
            c["found"] += 1
    n = len(gold)
    out = {"n": n, "found": c["found"] / n if n else 0.0,
           "country_acc": c["country_ok"] / c["country_n"] if c["country_n"] else 0.0,
           "country_n": c["country_n"],
           "sector_acc": c["sector_ok"] / c["sector_n"] if c["sector_n"] else 0.0, "sector_n": c["sector_n"]}
    return out


def score_ner(gold: list[dict], pred: list[dict]) -> dict:
    from .ner import score_ner as _score  # named mentions (issue 16): evaluate/ner.py

    return _score(gold, pred)


SCORERS = {"events": score_events, "quotes": score_quotes, "times": score_times, "places": score_places,
           "actors": score_actor_cases, "ner": score_ner}
