"""Build ``kb/data/cameo.tsv`` from the public CAMEO codebook and the PLOVER mapping.

Build-time only (the package never reads ../shared). Usage, from the repo root:
    .venv/bin/python scripts/kb/build_cameo.py ../shared/data/cameo/cameo-codes.csv \
        ../shared/data/plover/CAMEO2PLOVER-2021.txt > src/communique/kb/data/cameo.tsv
"""

from __future__ import annotations

import csv
import re
import sys


def quad_class(root: int) -> int:
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def penta(root: int) -> int:
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13 or root == 16:
        return 3
    return 4


def read_plover(path: str) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")] + ["", "", ""]
        event, mode, context = parts[0].upper(), parts[1].replace(" ", ""), parts[2].replace(" ", "")
        if event:
            out[m.group(1)] = (event, mode, context)
    return out


def clean(text: str) -> str:
    text = (text or "").replace("\t", " ").replace("\n", " ").replace("\r", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return "" if text == "NA" else text


def main(codebook: str, mapping: str) -> None:
    plover = read_plover(mapping)
    print("# version: cameo-1.1b3+plover-2021.09")
    print("# CAMEO codebook (andybega/icews data-raw/cameo-codes.csv @ 3746c729, MIT) with PLOVER")
    print("# event/mode/context from openeventdata/PLOVER CAMEO2PLOVER-2021.txt @ 5e0c24fb (CC BY-SA 4.0).")
    print("# PLOVER has no category for CAMEO 01 (here STATEMENT) and maps appeals (02) to REQUEST.")
    print("# quad_class: 1 verbal coop (01-05), 2 material coop (06-08), 3 verbal conflict (09-13),")
    print("# 4 material conflict (14-20). penta: ConfliBERT 5-class (16 counts as verbal conflict).")
    print("code\troot\tname\tgoldstein\tquad_class\tpenta\tplover_event\tplover_mode\tplover_context\tdescription")
    with open(codebook, encoding="utf-8", errors="replace") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            root = code[:2]
            # Nearest mapped ancestor supplies the PLOVER type when the code itself is unmapped.
            event, mode, context = "", "", ""
            for k in (code, code[:3], root):
                if k in plover:
                    event, mode, context = plover[k]
                    break
            if not event:
                # PLOVER dropped CAMEO 01 (statements) and 02 (appeals). Appeals are
                # requests; statements keep a marker so consumers can filter them.
                event = {"01": "STATEMENT", "02": "REQUEST"}.get(root, "")
            print("\t".join([
                code, root, clean(row["name"]), str(float(row["goldstein"])),
                str(quad_class(int(root))), str(penta(int(root))), event, mode, context,
                clean(row["description"]),
            ]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
