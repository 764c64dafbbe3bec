"""Build ``kb/data/event_verbs.tsv``: verb lemma -> default CAMEO code.

Build-time only. Reads the verb blocks of PETRARCH2's CAMEO verb dictionary
(openeventdata/petrarch2 ``CAMEO.2.0.txt``, MIT): each block ``--- NAME [code] ---``
lists verbs (and ``+``-marked phrasal forms) whose default code is the block's.
The phrase patterns inside blocks are handled by ``event_patterns.tsv``.
Usage: python scripts/kb/build_event_verbs.py ../shared/data/phoenix/CAMEO.2.0.txt
"""

import re
import sys


def main(path: str) -> None:
    code = None
    seen: dict[str, str] = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        head = re.match(r"^---\s+(\S+)\s+\[([0-9-]+)\]", line)
        if head:
            code = head.group(2) if head.group(2).isdigit() else None
            continue
        if not line or line[0] in "-#&\t ":
            continue
        body = line.split("#", 1)[0]
        own = re.search(r"\[(\d+)\]", body)  # a verb may carry its own code
        word = re.split(r"[{\[]", body, maxsplit=1)[0].strip().lstrip("+").strip()
        verb_code = own.group(1) if own else code
        if verb_code is None or not word or not re.match(r"^[A-Z][A-Z_'-]*$", word):
            continue
        lemma = word.lower().replace("_", " ").strip()
        seen.setdefault(lemma, verb_code)
    print("# version: petrarch2-cameo2.0-2015.04.30")
    print("# Verb lemma (phrasal forms joined by spaces) -> default CAMEO code of its PETRARCH2 verb block.")
    print("# Source: openeventdata/petrarch2 CAMEO.2.0.txt @ 676801cd (MIT, Open Event Data Alliance).")
    print("lemma\tcode")
    for lemma in sorted(seen):
        print(f"{lemma}\t{seen[lemma]}")


if __name__ == "__main__":
    main(sys.argv[1])
