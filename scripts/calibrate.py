"""Fit the confidence calibration on the development gold sets and print its reliability tables.

    nice -n 10 .venv/bin/python scripts/calibrate.py ../shared/gold --cache /work/notes/calib-cache \
        [--write] [--markdown /tmp/calibration.md] [--check-sample 40]

1. Codes every gold file once with the pipeline *without* calibration (raw stage scores) and
   caches the records in ``--cache`` (one JSON Lines file per gold file; ``--recode`` redoes it).
2. Labels every produced finding right or wrong with the matching the scorers use
   (``communique.evaluate.scorers``):
   * events: the event's CAMEO root is one of the gold roots of its sentence (where gold has
     codes), else its penta class equals the sentence's gold penta; any event in a gold
     "no event" sentence is wrong;
   * actors: the actor that overlaps a gold actor (NGEC cases) or a gold event participant
     with a country (PLOVER GSR) most has the gold country;
   * quotes: matched one-to-one to a gold quote with token-F1 >= 0.5 and, where gold names a
     speaker, the speaker is right; an unmatched quote is wrong;
   * places: matched to a gold toponym (half overlap) and within 161 km of its coordinates;
     an unmatched place is wrong;
   * times: matched to a gold TIMEX3 (half overlap) with the same value; unmatched is wrong.
3. Splits documents deterministically by a hash of their *text* (the events files share
   sentences, so an id split would leak) into a fitting half and a held-out half.
4. Fits per field and group a strictly increasing isotonic map (``calibration.fit_map``) on the
   fitting half and reports reliability and expected calibration error (ECE, 10 bins) on the
   held-out half, before (raw stage scores) and after.
5. ``--write`` stores the maps in ``src/communique/kb/data/calibration.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from communique.calibration import (
    FEATURES,
    Calibration,
    FieldMap,
    _context,
    calibrate,
    ece,
    fit_map,
    probability,
    reliability,
)
from communique.evaluate.scorers import (
    _match_spans,
    _overlap,
    _speaker_ok,
    _tok_f1,
    _tokens,
    haversine_km,
    penta_of,
)
from communique.records import Record

SETS = [
    ("events", "events.conflibert_test.jsonl"),
    ("events", "events.plover_gsr.jsonl"),
    ("events", "events.petrarch2_validation.jsonl"),
    ("actors", "actors.ngec_cases.jsonl"),
    ("quotes", "quotes.polnear_dev.jsonl"),
    ("quotes", "quotes.ggt.jsonl"),
    ("times", "times.tempeval3_tbaq.jsonl"),
    ("places", "places.geowebnews.jsonl"),
    ("places", "places.geovirus.jsonl"),
]
# Pseudo-counts pulling a group's rate towards its field's rate: an isotonic block or a
# group with few findings must not claim certainty.
STRENGTH = {"events": 2.0, "actors": 2.0, "quotes": 10.0, "places": 10.0, "times": 10.0}
OUT = Path(__file__).resolve().parent.parent / "src" / "communique" / "kb" / "data" / "calibration.json"
VERSION = "1"
# An isotonic step holds at least this many findings (see calibration.merge_small).
MIN_BLOCK = 40


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def code_file(gold: list[dict], cache: Path, recode: bool, pipe_box: list) -> list[dict]:
    """The raw (uncalibrated) records of ``gold``, coded once and cached."""
    if cache.exists() and not recode:
        recs = read_jsonl(cache)
        if [r["article"]["id"] for r in recs] == [str(g["id"]) for g in gold]:
            return recs
    if not pipe_box:
        from communique.pipeline import Pipeline

        pipe = Pipeline()
        pipe.calibration = None          # raw stage scores: what the calibration maps from
        pipe_box.append(pipe)
    from communique.records import Article

    arts = (Article(text=g["text"], id=str(g["id"]), date=g.get("date"), origin=f"gold:{g['id']}") for g in gold)
    recs = [r.to_dict() for r in pipe_box[0].code_articles(arts)]
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    tmp.replace(cache)
    return recs


# -- labels: (index of the finding in its record list, right?) ------------------------------------
def label_events(g: dict, r: dict) -> list[tuple[int, int]]:
    roots = {e["cameo"][:2] for e in g.get("events", []) if e.get("cameo")}
    out = []
    for i, e in enumerate(r.get("events", [])):
        if g.get("no_event"):
            out.append((i, 0))
        elif roots:
            out.append((i, int((e.get("cameo_root") or "") in roots)))
        elif g.get("penta") is not None:
            out.append((i, int(penta_of(e) == g["penta"])))
    return out


def _best_actor(r: dict, span: tuple[int, int]) -> int | None:
    best, best_ov = None, 0
    for i, a in enumerate(r.get("actors", [])):
        ov = _overlap(span, (a["span"]["start"], a["span"]["end"]))
        if ov > best_ov:
            best, best_ov = i, ov
    return best


def label_actors(g: dict, r: dict) -> list[tuple[int, int]]:
    golds = []
    if "actor" in g and g["actor"].get("country") is not None:
        ga = g["actor"]
        golds.append(((ga["start"], ga["end"]), ga["country"] or ""))
    for e in g.get("events", []):
        for role in ("source", "target"):
            p = e.get(role)
            if p and p.get("start") is not None and p.get("country"):
                golds.append(((p["start"], p["end"]), p["country"]))
    out: dict[int, int] = {}
    for span, country in golds:
        i = _best_actor(r, span)
        if i is not None and i not in out:
            out[i] = int((r["actors"][i].get("country") or "") == country)
    return sorted(out.items())


def label_quotes(g: dict, r: dict) -> list[tuple[int, int]]:
    text = g["text"]
    gq, pq = g.get("quotes", []), r.get("quotes", [])
    gold_toks = [sum((_tokens(c["text"] if "text" in c else text[c["start"]:c["end"]]) for c in q["content"]),
                     Counter()) for q in gq]
    pred_toks = [_tokens(q["span"]["text"]) for q in pq]
    pairs = sorted(((_tok_f1(gt, pt)[2], gi, pi) for gi, gt in enumerate(gold_toks)
                    for pi, pt in enumerate(pred_toks)), reverse=True)
    used_g, used_p, right = set(), set(), {}
    for f, gi, pi in pairs:                      # the scorer's greedy one-to-one matching
        if f <= 0 or gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        if f >= 0.5:
            q = gq[gi]
            has_speaker = bool(q.get("source") or q.get("speaker_name"))
            right[pi] = int(not has_speaker or _speaker_ok(q, pq[pi]))
    return [(i, right.get(i, 0)) for i in range(len(pq))]


def label_times(g: dict, r: dict) -> list[tuple[int, int]]:
    gt, pt = g.get("times", []), r.get("times", [])
    pairs = dict((pi, gi) for gi, pi in _match_spans([(t["start"], t["end"]) for t in gt],
                                                     [(t["span"]["start"], t["span"]["end"]) for t in pt]))
    return [(i, int(i in pairs and str(gt[pairs[i]]["value"]).lower() == str(t["value"]).lower()))
            for i, t in enumerate(pt)]


def label_places(g: dict, r: dict) -> list[tuple[int, int]]:
    gp, pp = g.get("places", []), r.get("places", [])
    pairs = dict((pi, gi) for gi, pi in _match_spans([(p["start"], p["end"]) for p in gp],
                                                     [(p["span"]["start"], p["span"]["end"]) for p in pp]))
    out = []
    for i, p in enumerate(pp):
        if i not in pairs:
            out.append((i, 0))
            continue
        gpl = gp[pairs[i]]
        if gpl.get("lat") is None or gpl.get("lon") is None:
            continue                              # gold cannot say whether the coordinates are right
        ok = p.get("lat") is not None and haversine_km(gpl["lat"], gpl["lon"], p["lat"], p["lon"]) <= 161
        out.append((i, int(ok)))
    return out


LABELLERS = {"events": label_events, "actors": label_actors, "quotes": label_quotes, "times": label_times,
             "places": label_places}


def held_out(text: str) -> bool:
    """The deterministic split: half of the documents, by a hash of their text."""
    return hashlib.sha1(text.encode("utf-8")).digest()[0] % 2 == 1


def collect(gold_dir: Path, cache_dir: Path, recode: bool) -> dict[str, list[dict]]:
    """Per field, one point per labelled finding: raw score, group, label, split, set."""
    points: dict[str, list[dict]] = defaultdict(list)
    pipe_box: list = []
    for task, name in SETS:
        path = gold_dir / name
        if not path.exists():
            print(f"skipping {name}: not in {gold_dir}", file=sys.stderr)
            continue
        gold = read_jsonl(path)
        recs = code_file(gold, cache_dir / name, recode, pipe_box)
        fields = [task] + (["actors"] if name == "events.plover_gsr.jsonl" else [])
        for g, rd in zip(gold, recs, strict=True):
            rec = Record.model_validate(rd)
            split = "held" if held_out(g["text"]) else "fit"
            ctx = _context({"events": rec.events})
            for fld in fields:
                items = getattr(rec, fld)
                for i, y in LABELLERS[fld](g, rd):
                    raw, group = FEATURES[fld](items[i], ctx)
                    points[fld].append({"raw": raw, "group": group, "y": y, "split": split, "set": name,
                                        "doc": str(g["id"])})
    return points


def fit(points: dict[str, list[dict]], min_group: int, min_block: float = MIN_BLOCK) -> dict[str, FieldMap]:
    maps = {}
    for fld, pts in points.items():
        fit_pts = [p for p in pts if p["split"] == "fit"]
        prior = sum(p["y"] for p in fit_pts) / len(fit_pts)
        by_group = defaultdict(list)
        for p in fit_pts:
            by_group[p["group"]].append(p)
        groups = {}
        for grp, gp in sorted(by_group.items()):
            if grp != "*" and len(gp) >= min_group:
                groups[grp] = fit_map([p["raw"] for p in gp], [p["y"] for p in gp], prior, STRENGTH[fld], min_weight=min_block)
        # The fallback "*" serves groups too rare to fit alone (and groups never seen): it is fitted
        # on the rare groups pooled, because rare kinds of finding are wrong more often than common
        # ones; with too few of them, on everything.
        rare = [p for grp, gp in by_group.items() if grp not in groups for p in gp]
        base = rare if len(rare) >= min_group else fit_pts
        groups["*"] = fit_map([p["raw"] for p in base], [p["y"] for p in base], prior, STRENGTH[fld], min_weight=min_block)
        maps[fld] = FieldMap({g: (tuple(x), tuple(y)) for g, (x, y) in groups.items()})
    return maps


def table(fld: str, pts: list[dict], fm: FieldMap, has_raw: bool) -> list[str]:
    held = [p for p in pts if p["split"] == "held"]
    ys = [p["y"] for p in held]
    after = [probability(fld, fm, p["raw"], p["group"]) for p in held]
    lines = []
    if has_raw:
        before = [p["raw"] for p in held]
        lines.append(f"**{fld}**: {len(held)} held-out findings ({len(pts) - len(held)} fitted), accuracy "
                     f"{sum(ys) / len(ys):.3f}; ECE before **{ece(before, ys):.3f}**, after **{ece(after, ys):.3f}**")
    else:
        lines.append(f"**{fld}**: {len(held)} held-out findings ({len(pts) - len(held)} fitted), accuracy "
                     f"{sum(ys) / len(ys):.3f}; no confidence before; ECE after **{ece(after, ys):.3f}**")
    lines += ["", "| confidence | count | mean confidence | accuracy |" + (" count before | accuracy before |"
                                                                       if has_raw else ""),
              "|---|---|---|---|" + ("---|---|" if has_raw else "")]
    rows_after = {r["lo"]: r for r in reliability(after, ys)}
    rows_before = {r["lo"]: r for r in reliability([p["raw"] for p in held], ys)} if has_raw else {}
    for lo in sorted(set(rows_after) | set(rows_before)):
        a = rows_after.get(lo)
        cells = [f"{lo:.1f}-{lo + 0.1:.1f}", str(a["n"]) if a else "0",
                 f"{a['confidence']:.3f}" if a else "", f"{a['accuracy']:.3f}" if a else ""]
        if has_raw:
            b = rows_before.get(lo)
            cells += [str(b["n"]) if b else "0", f"{b['accuracy']:.3f}" if b else ""]
        lines.append("| " + " | ".join(cells) + " |")
    by_set = defaultdict(list)
    for p, q in zip(held, after, strict=True):
        by_set[p["set"]].append((q, p["y"]))
    if len(by_set) > 1:
        lines.append("")
        lines.append("By set (held out): " + "; ".join(
            f"{s} n={len(v)} acc={sum(y for _, y in v) / len(v):.3f} mean conf={sum(q for q, _ in v) / len(v):.3f} "
            f"ECE={ece([q for q, _ in v], [y for _, y in v]):.3f}" for s, v in sorted(by_set.items())))
    return lines


def order_kept(cache_dir: Path, cal: Calibration) -> tuple[int, int]:
    """Sentences whose events are ordered by confidence exactly as before (ties included), of all
    sentences with two or more events."""
    kept = total = 0
    for task, name in SETS:
        if task != "events" or not (cache_dir / name).exists():
            continue
        for rd in read_jsonl(cache_dir / name):
            events = Record.model_validate(rd).events
            raw = [e.confidence for e in events]
            new = [e.confidence for e in calibrate({"events": events}, cal)["events"]]
            by_sent = defaultdict(list)
            for i, e in enumerate(events):
                by_sent[e.sentence.start].append(i)
            for idx in by_sent.values():
                if len(idx) < 2:
                    continue
                total += 1
                kept += all((raw[i] > raw[j]) == (new[i] > new[j]) and (raw[i] == raw[j]) == (new[i] == new[j])
                            for i in idx for j in idx)
    return kept, total


def scores_unchanged(gold_dir: Path, cache_dir: Path, cal: Calibration) -> list[str]:
    """The scorers' metrics on every set, from the raw records and from the calibrated ones: the
    names of the metrics that differ (the events scorer picks the event with the top confidence)."""
    from communique.evaluate.scorers import SCORERS

    diffs = []
    for task, name in SETS:
        if not (cache_dir / name).exists():
            continue
        gold = read_jsonl(gold_dir / name)
        raw = read_jsonl(cache_dir / name)
        cooked = []
        for rd in raw:
            rec = Record.model_validate(rd)
            calibrate({f: getattr(rec, f) for f in ("events", "actors", "quotes", "places", "times")}, cal)
            cooked.append(rec.to_dict())
        a, b = SCORERS[task](gold, raw), SCORERS[task](gold, cooked)
        diffs += [f"{name}:{k}" for k in a if a[k] != b.get(k)]
    return diffs


def swapped_ece(points: dict[str, list[dict]], min_group: int) -> dict[str, float]:
    """ECE when the halves swap roles (fit on the held-out half, check on the fitting half):
    how much the figure depends on the split."""
    swapped = {f: [dict(p, split="fit" if p["split"] == "held" else "held") for p in pts]
               for f, pts in points.items()}
    maps = fit(swapped, min_group)
    out = {}
    for f, pts in swapped.items():
        held = [p for p in pts if p["split"] == "held"]
        out[f] = ece([probability(f, maps[f], p["raw"], p["group"]) for p in held], [p["y"] for p in held])
    return out


def check_sample(gold_dir: Path, n: int) -> str:
    """Code ``n`` documents of each gold file with and without calibration: all but confidence equal?"""
    from communique.pipeline import Pipeline
    from communique.records import Article

    pipe = Pipeline()
    differ = checked = 0

    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items() if k not in ("confidence", "coder")}
        if isinstance(o, list):
            return [strip(v) for v in o]
        return o

    for _, name in SETS:
        if not (gold_dir / name).exists():
            continue
        gold = read_jsonl(gold_dir / name)[:n]
        arts = [Article(text=g["text"], id=str(g["id"]), date=g.get("date")) for g in gold]
        cal = pipe.calibration
        with_cal = [r.to_dict() for r in pipe.code_articles(arts)]
        pipe.calibration = None
        without = [r.to_dict() for r in pipe.code_articles(arts)]
        pipe.calibration = cal
        for a, b in zip(with_cal, without, strict=True):
            checked += 1
            differ += strip(a) != strip(b)
    return f"{checked} documents coded with and without calibration: {differ} differ in anything but confidence"


def dump(data: dict) -> str:
    """JSON with one line per group, so that a re-fit shows as a readable diff."""
    head = {k: v for k, v in data.items() if k != "fields"}
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()] + [' "fields": {']
    fields = list(data["fields"].items())
    for fi, (name, spec) in enumerate(fields):
        lines.append(f"  {json.dumps(name)}: {{\"groups\": {{")
        groups = list(spec["groups"].items())
        for gi, (g, knots) in enumerate(groups):
            lines.append(f"   {json.dumps(g)}: {json.dumps(knots)}" + ("," if gi < len(groups) - 1 else ""))
        lines.append("  }}" + ("," if fi < len(fields) - 1 else ""))
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def time_lookups(cache_dir: Path, cal: Calibration) -> str:
    """Cost of the calibration step over every cached record (the records are built first)."""
    import time

    recs = [Record.model_validate(rd) for _, name in SETS if (cache_dir / name).exists()
            for rd in read_jsonl(cache_dir / name)]
    n = sum(len(getattr(r, f)) for r in recs for f in ("events", "actors", "quotes", "places", "times"))
    t0 = time.perf_counter()
    for r in recs:
        calibrate({f: getattr(r, f) for f in ("events", "actors", "quotes", "places", "times")}, cal)
    dt = time.perf_counter() - t0
    return (f"Calibration step: {dt * 1000:.0f} ms for {len(recs)} records with {n} findings "
            f"({dt / len(recs) * 1e6:.0f} us per record, {dt / n * 1e6:.1f} us per finding).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", default="../shared/gold")
    ap.add_argument("--cache", default="/work/notes/calib-cache")
    ap.add_argument("--recode", action="store_true", help="code the gold files again, ignoring the cache")
    ap.add_argument("--write", action="store_true", help=f"write the fitted maps to {OUT}")
    ap.add_argument("--markdown", help="also write the reliability tables to this file")
    ap.add_argument("--min-group", type=int, default=30, help="fit a group of its own from this many findings")
    ap.add_argument("--check-sample", type=int, default=0, help="documents per gold file for the identity check")
    args = ap.parse_args()
    gold_dir, cache_dir = Path(args.gold), Path(args.cache)
    points = collect(gold_dir, cache_dir, args.recode)
    maps = fit(points, args.min_group)
    sets = [name for _, name in SETS if (gold_dir / name).exists()]
    cal = Calibration(version=f"{VERSION}-{dt.date.today().isoformat()}", fitted=dt.date.today().isoformat(),
                      sets=tuple(sets), fields=maps)
    lines = []
    eces = {}
    for fld in ("events", "actors", "quotes", "places", "times"):
        if fld in points:
            lines += table(fld, points[fld], maps[fld], has_raw=fld in ("events", "actors")) + [""]
            held = [p for p in points[fld] if p["split"] == "held"]
            eces[fld] = ece([probability(fld, maps[fld], p["raw"], p["group"]) for p in held], [p["y"] for p in held])
    kept, total = order_kept(cache_dir, cal)
    lines.append(f"Event order by confidence unchanged in {kept}/{total} sentences with two or more events.")
    diffs = scores_unchanged(gold_dir, cache_dir, cal)
    lines.append("Scorer metrics from calibrated records: " + (f"differ in {', '.join(diffs)}" if diffs else
                                                               "identical to those from raw records on every set."))
    lines.append("ECE with the halves swapped (fit on the held-out half, checked on the fitting half): " + ", ".join(
        f"{f} {v:.3f}" for f, v in swapped_ece(points, args.min_group).items()) + ".")
    from communique.calibration import load_calibration

    lines.append(time_lookups(cache_dir, load_calibration()))
    if args.check_sample:
        lines.append(check_sample(gold_dir, args.check_sample))
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    if args.write:
        data = cal.to_dict()
        data["split"] = "documents whose sha1(text) first byte is even are fitted, odd are held out"
        data["n_fit"] = {f: sum(p["split"] == "fit" for p in pts) for f, pts in points.items()}
        data["ece_held_out"] = {f: round(v, 4) for f, v in eces.items()}
        data["made_by"] = "scripts/calibrate.py --write; groups are defined in communique/calibration.py"
        OUT.write_text(dump(data), encoding="utf-8")
        print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
