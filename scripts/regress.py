"""Regression check: code the development gold and the golden articles, write canonical records, compare runs.

Usage:

    nice -n 10 .venv/bin/python scripts/regress.py run OUT_DIR [--gold ../shared/gold] [--limit N] [--only NAME ...]
    .venv/bin/python scripts/regress.py compare DIR_A DIR_B [--show 5] [--with-coder]
    .venv/bin/python scripts/regress.py --compare DIR_A DIR_B        # the same as `compare`

``run`` codes every ``*.jsonl`` file of the gold folder (each line ``{"id", "date", "text", ...}``;
``--limit`` keeps the first N lines of each file; ``--only`` keeps files whose name contains one of
the words) and the golden articles shipped in ``communique/samples``, and writes one file per input,
``OUT_DIR/<input name>.jsonl``: one record per line as canonical JSON (keys sorted, compact), in input
order. ``OUT_DIR/_run.json`` says how long each file took and where the code came from.

``compare`` reports, per file and per record field (``events``, ``actors``, ``times`` ...), how many
records differ and shows the first few differences. ``coder`` (versions and settings) is ignored unless
``--with-coder``, since it legitimately changes with the code. The exit status is 1 when anything
differs, so the script can gate a refactoring that must keep behaviour.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

FIELDS = ("article", "actors", "events", "quotes", "places", "times", "tone", "warnings", "coder")


def canonical(record_dict: dict) -> str:
    return json.dumps(record_dict, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _inputs(gold: Path | None, limit: int | None, only: list[str]) -> list[tuple[str, list]]:
    """(name, articles) for each gold file and for the golden samples."""
    from importlib import resources

    from communique.readers import read_path
    from communique.records import Article

    out: list[tuple[str, list]] = []
    if gold is not None:
        for path in sorted(gold.glob("*.jsonl")):
            if only and not any(word in path.name for word in only):
                continue
            arts = []
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh):
                    if limit is not None and n >= limit:
                        break
                    row = json.loads(line)
                    arts.append(Article(text=row["text"], id=str(row["id"]), date=row.get("date"),
                                        origin=f"{path.name}:{n + 1}"))
            out.append((path.stem, arts))
    if not only or any("golden" in word or "sample" in word for word in only):
        samples = Path(str(resources.files("communique").joinpath("samples")))
        for path in sorted(samples.iterdir()):
            if path.suffix in (".txt", ".jsonl"):
                arts = list(read_path(path))
                if limit is not None:
                    arts = arts[:limit]
                out.append(("golden." + path.stem, arts))
    return out


def run(out_dir: Path, gold: Path | None, limit: int | None, only: list[str]) -> int:
    import communique
    from communique.pipeline import Pipeline

    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pipe = Pipeline()
    info: dict = {"communique_file": communique.__file__, "load_seconds": round(time.perf_counter() - t0, 1),
                  "limit": limit, "files": {}}
    for name, arts in _inputs(gold, limit, only):
        t1 = time.perf_counter()
        with (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in pipe.code_articles(arts):
                fh.write(canonical(rec.to_dict()) + "\n")
        secs = time.perf_counter() - t1
        info["files"][name] = {"articles": len(arts), "seconds": round(secs, 1)}
        print(f"{name}: {len(arts)} articles, {secs:.1f} s", file=sys.stderr)
    info["total_seconds"] = round(time.perf_counter() - t0, 1)
    run_file = out_dir / "_run.json"
    if run_file.exists():   # runs of other files into the same folder (--only) keep their figures
        old = json.loads(run_file.read_text(encoding="utf-8"))
        info["files"] = {**old.get("files", {}), **info["files"]}
    run_file.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(f"total {info['total_seconds']} s -> {out_dir}", file=sys.stderr)
    return 0


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _first_diff(a, b, where: str = "") -> str:
    """A short description of the first place where two JSON values differ."""
    if type(a) is not type(b):
        return f"{where}: {json.dumps(a)[:120]} != {json.dumps(b)[:120]}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key, "<absent>") != b.get(key, "<absent>"):
                return _first_diff(a.get(key, "<absent>"), b.get(key, "<absent>"), f"{where}.{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_diff(x, y, f"{where}[{i}]")
    return f"{where}: {json.dumps(a)[:120]} != {json.dumps(b)[:120]}"


def compare(dir_a: Path, dir_b: Path, show: int, with_coder: bool) -> int:
    names_a = {p.name for p in dir_a.glob("*.jsonl")}
    names_b = {p.name for p in dir_b.glob("*.jsonl")}
    differs = False
    for name in sorted(names_a ^ names_b):
        print(f"{name}: only in {dir_a if name in names_a else dir_b}")
        differs = True
    for name in sorted(names_a & names_b):
        recs_a, recs_b = _read(dir_a / name), _read(dir_b / name)
        if len(recs_a) != len(recs_b):
            print(f"{name}: {len(recs_a)} records != {len(recs_b)} records (comparing the common prefix)")
            differs = True
        counts: dict[str, int] = {}
        examples: list[str] = []
        for ra, rb in zip(recs_a, recs_b, strict=False):
            for field in FIELDS:
                if field == "coder" and not with_coder:
                    continue
                if ra.get(field) != rb.get(field):
                    counts[field] = counts.get(field, 0) + 1
                    if len(examples) < show:
                        art = (ra.get("article") or {}).get("id")
                        examples.append(f"    {art}: {field}{_first_diff(ra.get(field), rb.get(field))[0:300]}")
        n = min(len(recs_a), len(recs_b))
        if counts:
            differs = True
            summary = ", ".join(f"{field} {k}/{n}" for field, k in sorted(counts.items()))
            print(f"{name}: DIFFERS ({summary})")
            print("\n".join(examples))
        else:
            print(f"{name}: identical ({n} records)")
    return 1 if differs else 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--compare":
        argv[0] = "compare"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="code gold + golden articles into OUT_DIR")
    r.add_argument("out_dir", type=Path)
    r.add_argument("--gold", type=Path, default=Path("../shared/gold"))
    r.add_argument("--no-gold", action="store_true", help="only the golden sample articles")
    r.add_argument("--limit", type=int, default=None, help="first N lines of each file")
    r.add_argument("--only", nargs="*", default=[], help="files whose name contains one of these words")
    c = sub.add_parser("compare", help="differences per file and field between two runs")
    c.add_argument("dir_a", type=Path)
    c.add_argument("dir_b", type=Path)
    c.add_argument("--show", type=int, default=5, help="examples shown per file")
    c.add_argument("--with-coder", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "run":
        return run(args.out_dir, None if args.no_gold else args.gold, args.limit, args.only)
    return compare(args.dir_a, args.dir_b, args.show, args.with_coder)


if __name__ == "__main__":
    sys.exit(main())
