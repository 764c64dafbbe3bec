"""How well the PLOVER modes and contexts of coded events agree with a PLOVER gold file.

    nice -n 10 .venv/bin/python scripts/plover_detail.py ../shared/gold/events.plover_gsr.jsonl [-v]

(``-v`` lists the disagreements on stderr, to read kinds of error.)

events.plover_gsr is annotated in PLOVER 0.5 (2016) names; its modes and contexts are mapped to
the manual's names through the ``legacy`` columns of kb/data/plover_modes.tsv and
plover_contexts.tsv, and gold names with no counterpart in the manual are counted and left out.
Figures:

* mode recall: of gold events with a mode, the share whose mode is among the modes of a coded
  event of the same sentence and category (gold FIGHT = ASSAULT, DEMAND = REQUEST,
  DISAPPROVE/INVESTIGATE = ACCUSE); ``any`` drops the category condition.
* context precision/recall/F1 over (sentence, context) pairs: gold contexts of a sentence
  against the union of the contexts of its coded events (auxiliary contexts left out).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OLD_NAMES = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
AUXILIARY = {"negation", "hypothetical", "future"}


def main(path: str) -> None:
    from communique.kb.plover import load_plover_tables
    from communique.pipeline import get_pipeline
    from communique.records import Article

    tables = load_plover_tables()
    lines = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = [Article(text=g["text"], id=g["id"], date=g.get("date")) for g in lines]
    recs = {r.article.id: r for r in get_pipeline().code_articles(arts)}

    mode_n = mode_hit = mode_any = mode_code = mode_unmapped = 0
    ctx_tp = ctx_fp = ctx_fn = ctx_unmapped = 0
    code = {"tp": 0, "fp": 0, "fn": 0}   # contexts from the CAMEO code alone (cameo.tsv), for comparison
    show = "-v" in sys.argv
    for g in lines:
        rec = recs[g["id"]]
        for ge in g["events"]:
            if not ge.get("mode"):
                continue
            kind = OLD_NAMES.get(ge["plover"], ge["plover"])
            gold = tables.mode_alias.get((kind, ge["mode"]))
            if gold is None:
                mode_unmapped += 1
                continue
            mode_n += 1
            mode_hit += any(gold in e.plover.modes for e in rec.events if e.plover.event == kind)
            mode_any += any(gold in e.plover.modes for e in rec.events)
            mode_code += any(tables.mode_alias.get((kind, e.plover.mode or "")) == gold
                             for e in rec.events if e.plover.event == kind)
            if show and not any(gold in e.plover.modes for e in rec.events if e.plover.event == kind):
                print("MODE", kind, gold, [(e.plover.event, e.plover.modes) for e in rec.events], g["text"][:150],
                      file=sys.stderr)
        gold_ctx = set()
        for name in (g.get("context") or "").split(","):
            name = name.strip()
            if not name:
                continue
            if name in tables.context_alias:
                gold_ctx.add(tables.context_alias[name])
            else:
                ctx_unmapped += 1
        pred = {c for e in rec.events for c in e.plover.contexts} - AUXILIARY
        ctx_tp += len(gold_ctx & pred)
        ctx_fp += len(pred - gold_ctx)
        ctx_fn += len(gold_ctx - pred)
        by_code = {tables.context_alias.get(c) for e in rec.events for c in tables.cameo_contexts.get(e.cameo, ())}
        by_code.discard(None)
        code["tp"] += len(gold_ctx & by_code)
        code["fp"] += len(by_code - gold_ctx)
        code["fn"] += len(gold_ctx - by_code)
        if show and gold_ctx != pred:
            print("CTX gold", sorted(gold_ctx), "pred", sorted(pred), g["text"][:150], file=sys.stderr)
    p = ctx_tp / (ctx_tp + ctx_fp) if ctx_tp + ctx_fp else 0.0
    r = ctx_tp / (ctx_tp + ctx_fn) if ctx_tp + ctx_fn else 0.0
    cp = code["tp"] / (code["tp"] + code["fp"]) if code["tp"] + code["fp"] else 0.0
    cr = code["tp"] / (code["tp"] + code["fn"]) if code["tp"] + code["fn"] else 0.0
    out = {
        "sentences": len(lines),
        "mode_n": mode_n, "mode_recall": round(mode_hit / mode_n, 3) if mode_n else None,
        "mode_recall_any": round(mode_any / mode_n, 3) if mode_n else None, "mode_unmapped": mode_unmapped,
        "context_precision": round(p, 3), "context_recall": round(r, 3),
        "context_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "context_gold": ctx_tp + ctx_fn, "context_unmapped": ctx_unmapped,
        "code_only": {"mode_recall": round(mode_code / mode_n, 3) if mode_n else None,
                      "context_precision": round(cp, 3), "context_recall": round(cr, 3),
                      "context_f1": round(2 * cp * cr / (cp + cr), 3) if cp + cr else 0.0},
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1])
