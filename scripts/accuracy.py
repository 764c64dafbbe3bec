"""Run every development-set evaluation and print docs/ACCURACY.md tables.

    .venv/bin/python scripts/accuracy.py ../shared/gold > /tmp/accuracy.md

Each figure comes from `communique eval FILE --task TASK --format json`; the command for
each file is printed next to its numbers so any figure can be reproduced alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SETS = [
    ("events", "events.conflibert_test.jsonl"),
    ("events", "events.plover_gsr.jsonl"),
    ("events", "events.petrarch2_validation.jsonl"),
    ("quotes", "quotes.polnear_dev.jsonl"),
    ("quotes", "quotes.ggt.jsonl"),
    ("times", "times.tempeval3_tbaq.jsonl"),
    ("places", "places.geowebnews.jsonl"),
    ("places", "places.geovirus.jsonl"),
    ("actors", "actors.ngec_cases.jsonl"),
    ("ner", "ner.conll2003_testa.jsonl"),
]

COLUMNS = {
    "events": ["n", "penta_acc", "penta_macro_f1", "cameo_root_acc", "detection_recall", "detection_precision",
               "src_country", "tgt_country", "src_span_top", "tgt_span_top"],
    "quotes": ["n_gold", "f1", "precision", "recall", "tok_f1", "speaker_acc", "direct_f1", "direct_recall",
               "direct_speaker_acc", "indirect_f1", "indirect_recall", "indirect_speaker_acc"],
    "times": ["n_gold", "f1", "strict_f1", "value_acc", "type_acc", "precision", "recall"],
    "places": ["n_gold", "f1", "precision", "recall", "acc161", "median_km"],
    "actors": ["n", "country_acc", "sector_acc", "found"],
    # named mentions among actors + places, next to the spaCy model's entities alone (same run)
    "ner": ["n_gold", "f1", "precision", "recall", "strict_f1", "typed_f1", "spacy_f1", "spacy_recall"],
}


def run(gold_dir: Path, task: str, name: str) -> dict:
    cmd = [str(Path(sys.executable).parent / "communique"), "eval", str(gold_dir / name), "--task", task,
           "--format", "json"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.0f}"
    return "" if v is None else str(v)


def main(gold_dir: str) -> None:
    root = Path(gold_dir)
    by_task: dict[str, list] = {}
    for task, name in SETS:
        if not (root / name).exists():
            continue
        rep = run(root, task, name)
        by_task.setdefault(task, []).append((name, rep))
    for task, rows in by_task.items():
        cols = COLUMNS[task]
        print(f"\n### {task}\n")
        print("| file | " + " | ".join(cols) + " | seconds |")
        print("|---|" + "---|" * (len(cols) + 1))
        for name, rep in rows:
            m = rep["metrics"]
            print(f"| {name} | " + " | ".join(fmt(m.get(c)) for c in cols) + f" | {rep['seconds']:.0f} |")
        print()
        for name, _ in rows:
            print(f"    communique eval {gold_dir.rstrip('/')}/{name} --task {task}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/gold")
