"""Build src/communique/kb/data/casing.tsv.gz: the usual spelling of English words by case.

Source: spaCy's English lexeme probabilities, ``en_lexeme_prob.json.gz`` of the
spacy-lookups-data package (MIT licence, Explosion; estimated from a large web corpus).
For every alphabetic word the most probable spelling among its case variants is kept:
``paris -> Paris``, ``nato -> NATO``, ``iphone -> iPhone``, ``said -> said``.

Rows: words whose usual spelling is not lower case and that were seen more than the
table's floor probability, plus the common (``prob >= LOWER_FLOOR``) words that are usually
lower case, so that the case restorer can tell a known English word from an unknown name.

    pip download --no-deps spacy-lookups-data==1.0.5 && unzip -o spacy_lookups_data-*.whl \
        'spacy_lookups_data/data/en_lexeme_prob.json.gz'
    python scripts/kb/build_casing.py spacy_lookups_data/data/en_lexeme_prob.json.gz
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "src/communique/kb/data/casing.tsv.gz"
VERSION = "2026.12.1"
SEEN = -19.4         # the source's floor is -19.502 (words seen too rarely to estimate)
LOWER_FLOOR = -16.0  # lower-case words kept as "known English" (about the 60,000 commonest)


def main(path: str) -> None:
    probs: dict[str, float] = json.load(gzip.open(path, "rt", encoding="utf-8"))
    best: dict[str, tuple[str, float]] = {}
    for word, p in probs.items():
        if not word.isalpha():
            continue
        key = word.lower()
        if len(key) != len(word):
            continue  # case mapping that changes length: cannot keep offsets
        if key not in best or p > best[key][1]:
            best[key] = (word, p)
    rows = sorted((k, f) for k, (f, p) in best.items()
                  if p > SEEN and (f != k or p >= LOWER_FLOOR))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"# version: {VERSION}\n# read: 2026-12\n"
                  "# Usual spelling of English words by case (word = lower case, form = the commonest case variant).\n"
                  "# Source: spacy-lookups-data 1.0.5 en_lexeme_prob (MIT licence, Explosion AI); built by\n"
                  "# scripts/kb/build_casing.py.  Used only to restore case in caseless or all-caps text.\n"
                  "word\tform\n")
        for k, f in rows:
            out.write(f"{k}\t{f}\n")
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
