"""Build ``kb/data/tone/vader.tsv`` from the VADER lexicon (MIT, C.J. Hutto).

Build-time only: reads ``vader_lexicon.txt`` from an installed ``vaderSentiment``
package (``pip install vaderSentiment==3.3.2`` in any scratch environment) and keeps
each token with its mean valence (-4..4). Usage:
    python scripts/kb/build_tone.py PATH/TO/vader_lexicon.txt > src/communique/kb/data/tone/vader.tsv
"""

import sys


def main(path: str) -> None:
    print("# version: vader-3.3.2")
    print("# VADER sentiment lexicon (vaderSentiment 3.3.2, MIT licence, C.J. Hutto): token and mean valence.")
    print("token\tvalence")
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2 and parts[0].strip():
            print(f"{parts[0].strip()}\t{float(parts[1]):g}")


if __name__ == "__main__":
    main(sys.argv[1])
