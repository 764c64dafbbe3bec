"""Spot check of the actor knowledge base over time: who holds which office on a date.

    .venv/bin/python scripts/kb_spotcheck.py [--cases scripts/kb_spotcheck.tsv] [--kb OVERLAY ...] [--show all|errors]

Each case of ``kb_spotcheck.tsv`` (office-holders and organisations of 2024-2025 written from
public knowledge, not from a gold file) is coded as a one-sentence article on its date with the
full pipeline ("<text> said on Tuesday that talks would continue."), and the actor mention over
the name is compared with the acceptable codes. Prints accuracy overall and per kind, the errors,
and the number of *mixed* codes: a person's code whose country is an international
organisation's (UNO, EUR, IGO ...) while its sector is not one the person ever held there, i.e.
the country of one office glued to the sector of another (issue 16).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_cases(path: Path) -> list[dict[str, str]]:
    rows, header = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return rows


def accepted(code: str, expect: str) -> bool:
    for e in expect.split("|"):
        if e.endswith("*") and code.startswith(e[:-1]):
            return True
        if code == e:
            return True
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default=str(HERE / "kb_spotcheck.tsv"))
    ap.add_argument("--kb", action="append", default=[], help="knowledge-base overlay table(s)")
    ap.add_argument("--show", choices=("errors", "all"), default="errors")
    args = ap.parse_args()

    from communique import code_articles
    from communique.kb import get_actor_kb
    from communique.kb.actors import NON_STATE

    kb = get_actor_kb(tuple(args.kb))
    cases = read_cases(Path(args.cases))
    arts = []
    for i, c in enumerate(cases):
        arts.append({"id": f"case-{i}", "date": c["date"],
                     "text": f"{c['text']} said on Tuesday that talks would continue."})
    by_kind: Counter = Counter()
    ok_kind: Counter = Counter()
    mixed = []
    lines = []
    for c, rec in zip(cases, code_articles(arts, kb=args.kb), strict=True):
        end = len(c["text"])
        best, best_ov = None, 0
        for a in rec.actors:
            ov = min(end, a.span.end) - max(0, a.span.start)
            if ov > best_ov:
                best, best_ov = a, ov
        code = (best.code or "") if best is not None else "(none)"
        good = best is not None and accepted(code, c["expect"])
        by_kind[c["kind"]] += 1
        ok_kind[c["kind"]] += good
        if best is not None and best.kb_id in kb.people and best.country in NON_STATE \
                and best.sector not in (None, "", "ELI"):
            pairs = {(t.country, t.sector) for t in kb.people[best.kb_id].tenures}
            if (best.country, best.sector) not in pairs:
                mixed.append((c, code))
        if args.show == "all" or not good:
            lines.append(f"{'ok ' if good else 'ERR'} {c['date']}  {c['text']:<45} got {code:<8} "
                         f"want {c['expect']:<14} [{c['kind']}] {c.get('note', '')}")
    n, ok = sum(by_kind.values()), sum(ok_kind.values())
    print("\n".join(lines))
    print()
    print(f"cases {n}  correct {ok}  accuracy {ok / n:.3f}  mixed codes {len(mixed)}")
    for kind in sorted(by_kind):
        print(f"  {kind:<8} {ok_kind[kind]:>3}/{by_kind[kind]:<3} {ok_kind[kind] / by_kind[kind]:.3f}")
    for c, code in mixed:
        print(f"  MIXED {c['date']} {c['text']} -> {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
