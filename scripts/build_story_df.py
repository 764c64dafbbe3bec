"""Build src/communique/kb/data/story_df.tsv: background document frequencies of content words,
from the bundled Wikinews corpus (data/corpus/wikinews, CC BY 2.5), for story grouping
(store/stories.py). Stories use them as a prior, so that the first articles of a store are
weighted sensibly before the store has seen enough articles of its own.

    .venv/bin/python scripts/build_story_df.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = "wikinews-376-1"


def main() -> None:
    from communique.store.stories import terms

    arts = [json.loads(line) for line in (ROOT / "data/corpus/wikinews/articles.jsonl").read_text().splitlines()
            if line.strip()]
    df: Counter = Counter()
    for a in arts:
        df.update(set(terms(a.get("title"), a.get("text"))))
    out = ROOT / "src/communique/kb/data/story_df.tsv"
    lines = [f"# version={VERSION} documents={len(arts)} source=data/corpus/wikinews (CC BY 2.5); "
             "every term"]
    lines += [f"{t}\t{n}" for t, n in sorted(df.items()) ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(lines) - 1} terms")


if __name__ == "__main__":
    main()
