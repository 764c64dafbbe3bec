"""``communique store repair``: quarantine what is damaged, re-derive what can be, say what cannot.

Repair works on what ``verify`` finds, in three steps, each committed atomically (a
repair killed at any point leaves a store that ``store verify`` describes and the same
repair finishes):

1. **Files.** A damaged manifest, a missing file or a file whose size or checksum differs
   from what its manifest recorded is moved to ``_quarantine/<time>/`` (never deleted), and a
   *repair manifest* replaces the manifests that listed it, keeping their intact files.
2. **Rows.** Every article that lost rows (its rows were in a damaged file, or it lacks some
   of its mentions, actors ...; found through the shards' plans and the row counts), that is
   stored twice, or that a committed shard was planned to hold but is not there, is made
   whole again: a duplicate keeps one complete copy; a lost article is coded again from its
   input (the file and line its shard's plan recorded) when that input is still there, or
   its search terms re-derived from its text when only those were lost. What cannot be
   restored is removed everywhere (so no half article remains) and recorded in the
   ``errors`` table, stage ``repair``, with its origin and what to do; ingesting the input
   again stores it then, under the same ids.
3. **Events.** A damaged de-duplication generation is quarantined; the de-duplicated
   events are recomputed from the mentions whenever they are not current.

Coding again needs the pipeline, which ``store`` never imports: the caller passes a
``recover`` function (``engines.recover.recoverer``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .._faults import fault_point
from . import fts
from .catalog import (
    DEDUP,
    MANIFESTS,
    PLANS,
    QUARANTINE,
    REPAIRING,
    REPLACING_KINDS,
    Catalog,
    ingest_lock,
    init_store,
    manifest_name,
    now_utc,
)
from .rows import error_row, parse_day
from .schema import PARTITIONED, SHARD_TABLES, partition_dir
from .verify import (
    ARTICLE_TABLES,
    COUNTS,
    TABLE_KEYS,
    VerifyReport,
    check_files,
    check_rows,
    planned_articles,
    read_plan,
    verify,
)
from .writer import schema_fingerprint, to_table, write_parquet

# recover(entries) -> {article_key: {table: rows}}; entries are plan entries (key, id, origin, date,
# source); a key missing from the result could not be re-read from its input.
Recover = Callable[[list[dict]], dict[str, dict[str, list[dict]]]]


@dataclass
class RepairReport:
    store: str
    quarantined: list[str] = field(default_factory=list)       # relative paths moved to quarantine
    quarantine_dir: str | None = None
    recoded: list[str] = field(default_factory=list)           # article keys coded again from their input
    rederived: list[str] = field(default_factory=list)         # article keys whose terms were re-derived
    deduplicated: list[str] = field(default_factory=list)      # article keys stored twice, kept once
    restored_errors: int = 0                                   # read-error rows restored from plans
    lost: list[dict] = field(default_factory=list)             # {key, id, origin, why}
    unattributed: list[str] = field(default_factory=list)      # damaged files whose articles are unknown
    dedup: dict | None = None
    actions: list[str] = field(default_factory=list)
    remaining: list[dict] = field(default_factory=list)        # problems verify still finds afterwards
    before: int = 0                                            # problems found before repairing

    def to_dict(self) -> dict:
        return asdict(self)


class _Quarantine:
    def __init__(self, root: Path, rep: RepairReport):
        self.root = root
        self.rep = rep
        self.dir: Path | None = None

    def move(self, rel: str) -> None:
        src = self.root / rel
        if not src.exists():
            return
        if self.dir is None:
            stamp = now_utc().strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
            self.dir = self.root / QUARANTINE / stamp
            self.rep.quarantine_dir = self.dir.relative_to(self.root).as_posix()
        dst = self.dir / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        self.rep.quarantined.append(rel)


def _rid(parts) -> str:
    return "r" + hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:20]


def _part_of(entry: dict) -> str:
    return partition_dir(parse_day(entry.get("date")))


def _folder(rel: str) -> tuple[str, str]:
    """``(table, partition folder or "")`` of a table file's relative path."""
    table, _, rest = rel.partition("/")
    return table, rest.rsplit("/", 1)[0] if "/" in rest else ""


def _plans_by_shard(root: Path, ms: list[dict]) -> dict[str, dict]:
    out = {}
    for m in ms:
        if m.get("kind") == "shard" and m.get("plan"):
            plan = read_plan(root / str(m["plan"].get("file")))
            if plan is not None:
                out[m["id"]] = plan
    return out


def repair(root: str | Path, recover: Recover | None = None, dedup: bool = True) -> RepairReport:
    """Repair the store at ``root`` (see the module docstring); return what was done and lost."""
    root = Path(root)
    rep = RepairReport(str(root))
    with ingest_lock(root, "repair"):
        marker = root / REPAIRING
        marker.write_text(now_utc().isoformat() + "\n", encoding="utf-8")
        first = check_files(root, deep=True)
        rep.before = len(first.problems)
        q = _Quarantine(root, rep)
        lost_plans = _repair_meta_and_manifests(root, first, q, rep)
        cat = Catalog(root)
        cat.collect_garbage()
        lost_keys = _repair_files(root, q, rep)
        for k in lost_plans:
            if k != "_errors":
                lost_keys.setdefault(k, set()).add("*")
        fault_point("repair:after-files")
        _repair_rows(root, lost_keys, lost_plans, recover, rep)
        _repair_plans(root, q, rep)
        cat.collect_garbage()
        if dedup:
            from .core import Store
            from .verify import dedup_manifest

            st = Store(root, create=False, check=False)
            try:
                m, problem = dedup_manifest(root)
                status = st.dedup_status()
                if problem is not None or not status["current"] or (m is None and status["mentions"]):
                    rep.dedup = st.deduplicate(force=True, lock=False)
                    rep.actions.append(f"recomputed the de-duplicated events ({rep.dedup['events']} events)")
            finally:
                st.close()
        marker.unlink(missing_ok=True)
    after = verify(root, deep=True)
    rep.remaining = [p.to_dict() for p in after.problems]
    return rep


def _repair_meta_and_manifests(root: Path, rep0: VerifyReport, q: _Quarantine, rep: RepairReport) -> dict:
    """store.json, damaged manifests and a damaged de-duplication generation. Returns the plan
    entries (by article key; read errors under ``"_errors"``) of shards whose manifest was
    damaged: their rows are gone with it."""
    keys: set[str] = set()
    if any(p.kind == "store-meta" for p in rep0.problems):
        q.move("store.json")
        init_store(root)
        rep.actions.append("wrote a new store.json (the damaged one is in quarantine)")
    for p in rep0.problems:
        if p.kind != "manifest":
            continue
        name = Path(p.where).name
        q.move(p.where)
        stem = name.removesuffix(".json")
        kind, _, mid = stem.partition("-")
        # the manifest is gone: so are its files (found by name) from the store's point of view
        for table_dir in root.iterdir():
            if not table_dir.is_dir() or table_dir.name.startswith(("_", ".")) or table_dir.name == DEDUP:
                continue
            for f in table_dir.rglob(f"{mid}*.parquet"):
                q.move(f.relative_to(root).as_posix())
        if kind == "shard":
            plan_file = root / PLANS / f"{mid}.json"
            plan = read_plan(plan_file)
            if plan is not None:
                keys |= {a["key"] for a in plan["articles"]}
                q.move(plan_file.relative_to(root).as_posix())  # kept in quarantine; read again below
                rep.actions.append(f"shard {mid}: its manifest was damaged; its articles are restored below")
            else:
                rep.unattributed.append(p.where)
        else:
            rep.actions.append(f"{p.where}: damaged; the shards it had replaced are live again and restored below")
    for p in rep0.problems:
        # a damaged file that the generation carried over from an earlier one's folder (the folder
        # of the damaged generation itself is quarantined whole below)
        gen = p.data.get("generation")
        if p.data.get("dedup") and p.where.startswith(f"{DEDUP}/") and gen \
                and not p.where.startswith(f"{DEDUP}/{gen}/") and (root / p.where).is_file():
            q.move(p.where)
    for p in rep0.problems:
        if p.kind == "dedup" or p.data.get("dedup"):
            gen_dir = root / DEDUP
            cur = gen_dir / "CURRENT"
            gen = p.data.get("generation")
            if gen and (gen_dir / gen).is_dir():
                for f in sorted((gen_dir / gen).rglob("*")):
                    if f.is_file():
                        q.move(f.relative_to(root).as_posix())
                shutil.rmtree(gen_dir / gen, ignore_errors=True)
            if cur.exists():
                q.move(cur.relative_to(root).as_posix())
            rep.actions.append("quarantined the damaged de-duplication generation (recomputed below)")
            break
    # the plans of shards whose manifest was damaged were moved to quarantine: read them there
    return _quarantined_plans(q) if keys else {}


def _quarantined_plans(q: _Quarantine) -> dict[str, dict]:
    out = {}
    if q.dir is None:
        return out
    for p in (q.dir / PLANS).glob("*.json") if (q.dir / PLANS).is_dir() else []:
        plan = read_plan(p)
        if plan is None:
            continue
        for a in plan["articles"]:
            out[a["key"]] = dict(a, shard=p.stem, source=plan.get("source") or {})
        for e in plan.get("errors", []):
            out.setdefault("_errors", {})[e["error_key"]] = e
    return out


def _repair_files(root: Path, q: _Quarantine, rep: RepairReport) -> dict[str, set[str]]:
    """Quarantine missing and damaged files of live manifests; commit a repair manifest that keeps
    the rest. Returns the articles that had rows in them (as far as plans tell), with the tables."""
    cat = Catalog(root)
    ms = cat.manifests()
    found = check_files(root, deep=True)
    bad = [p for p in found.problems if p.kind in ("missing-file", "damaged-file") and not p.data.get("dedup")]
    if not bad:
        return {}
    by_id = {m["id"]: m for m in ms}
    plans = _plans_by_shard(root, ms)
    shard_files: dict[tuple[str, str], set[str]] = {}      # (table, folder) -> shard ids with a file there
    for m in ms:
        if m.get("kind") == "shard":
            for rels in (m.get("files") or {}).values():
                for rel in rels:
                    shard_files.setdefault(_folder(rel), set()).add(m["id"])
    lost: dict[str, set[str]] = {}
    damaged: dict[str, set[str]] = {}
    for p in bad:
        mid = p.data["manifest"]
        damaged.setdefault(mid, set()).add(p.where)
        q.move(p.where)
        table, folder = _folder(p.where)
        m = by_id[mid]
        shards = [mid] if m.get("kind") == "shard" else \
            sorted(set(m.get("replaces", [])) & shard_files.get((table, folder), set()))
        keys = set(m.get("articles", [])) if m.get("kind") == "repair" else set()
        attributed = bool(keys)
        for sid in shards:
            plan = plans.get(sid)
            if plan is None:
                continue
            attributed = True
            for a in plan.get("articles", []):
                if table not in PARTITIONED or _part_of(a) == folder:
                    keys.add(a["key"])
        if not attributed:
            rep.unattributed.append(p.where)
        for k in keys:
            lost.setdefault(k, set()).add(table)
    files: dict[str, list[str]] = {}
    schemas: dict[str, set] = {}
    replaces: set[str] = set()
    for mid in sorted(damaged):
        m = by_id[mid]
        replaces.add(mid)
        replaces |= set(m.get("replaces", []))
        for t, rels in (m.get("files") or {}).items():
            for rel in rels:
                if rel not in damaged[mid]:
                    files.setdefault(t, []).append(rel)
                    schemas.setdefault(t, set()).add((m.get("schemas") or {}).get(t))
    rid = _rid(["files"] + [r for v in damaged.values() for r in v])
    sums = {rel: s for mid in damaged for rel, s in (by_id[mid].get("checksums") or {}).items()
            if any(rel in v for v in files.values())}
    manifest = {"kind": "repair", "id": rid, "replaces": sorted(replaces), "files": files,
                "schemas": {t: next(iter(v)) if len(v) == 1 else None for t, v in schemas.items()},
                "rows": {}, "created": now_utc().isoformat(), "checksums": sums,
                "quarantined": sorted(r for v in damaged.values() for r in v), "articles": sorted(lost)}
    cat.commit(manifest, {})
    cat.drop_redundant_manifests(cat.manifests())
    rep.actions.append(f"quarantined {sum(len(v) for v in damaged.values())} missing or damaged file(s); "
                       f"the intact files of their manifests are kept (repair manifest {rid})")
    return lost


def _repair_rows(root: Path, lost_tables: dict[str, set[str]], lost_plans: dict, recover: Recover | None,
                 rep: RepairReport) -> None:
    """Make every affected article whole again (or remove it and record why), in one commit."""
    from .core import Store

    st = Store(root, create=False, check=False, skip_dedup=True)
    try:
        cat = st.catalog
        ms = cat.manifests()
        planned = planned_articles(root, ms)
        planned.update({k: v for k, v in lost_plans.items() if k != "_errors"})
        found = check_rows(st, VerifyReport(str(root)), planned=planned)
        probs = {p.kind: p for p in found.problems}
        lost_keys = set(lost_tables)
        dups = set(probs["duplicate-articles"].data["keys"]) if "duplicate-articles" in probs else set()
        inc = probs["incomplete-articles"].data if "incomplete-articles" in probs else {}
        incomplete = set(inc.get("keys", []))
        # articles whose only missing rows are search terms, which their text gives back
        lacking = {k: set(inc.get("by_key", {}).get(k, ["*"])) for k in incomplete}
        for k, tabs in lost_tables.items():
            lacking[k] = lacking.get(k, set()) | tabs
        # articles whose only missing rows are search terms, copy links or MinHash signatures: all
        # three are derived from stored texts, so they are rebuilt (nothing to code again)
        terms_only = {k for k, tabs in lacking.items() if tabs <= DERIVED}
        missing = set(probs["missing-articles"].data["keys"]) if "missing-articles" in probs else set()
        orphans: set[str] = set()
        for p in found.problems:
            if p.kind == "orphan-rows" and p.data.get("table") in ARTICLE_TABLES and p.data.get("column") == \
                    "article_key":
                orphans |= set(p.data["keys"])
        affected = dups | incomplete | missing | orphans | lost_keys
        lost_read_errors = _lost_read_errors(st, lost_plans)
        if not affected and not lost_read_errors:
            return
        con = st.con
        stored = {r[0]: r[1:] for r in con.execute(
            "SELECT article_key, article_id, origin, CAST(date AS VARCHAR) FROM articles").fetchall()}
        entries = {}
        for k in sorted(affected):
            if k in planned:
                entries[k] = dict(planned[k])
            elif k in stored:
                aid, origin, d = stored[k]
                entries[k] = {"key": k, "id": aid, "origin": origin, "date": d, "source": {}}
            else:
                entries[k] = {"key": k, "id": None, "origin": None, "date": None, "source": {}}
        at = now_utc()
        rid = _rid(["rows"] + sorted(affected) + sorted(e["error_key"] for e in lost_read_errors))
        new_rows: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
        new_arrow: list[tuple[str, str, pa.Table]] = []        # (table, folder, rows) copied from the store
        # 1. stored twice and otherwise whole: keep the copy of the first shard
        pure_dups = dups - missing - orphans - lost_keys
        if pure_dups:
            rows, whole = _copies_to_keep(st, pure_dups)
            new_arrow += rows
            pure_dups = whole
            rep.deduplicated = sorted(pure_dups)
        # 2. the rest: code again from the input where it is there
        todo = affected - pure_dups
        recovered: dict[str, dict[str, list[dict]]] = {}
        if todo and recover is not None:
            wanted = [entries[k] for k in sorted(todo) if entries[k].get("origin")]
            if wanted:
                recovered = recover(wanted) or {}
        for k, tables in recovered.items():
            if k not in todo:
                continue
            for t, rows in tables.items():
                for r in rows:
                    r["shard"] = rid if "shard" in r else r.get("shard")
                new_rows.setdefault(t, []).extend(rows)
        rep.recoded = sorted(k for k in recovered if k in todo)
        # 3. only their search terms were lost and their text is whole: re-derive the terms
        rest = todo - set(recovered)
        rederive = {k for k in rest if k in terms_only and k in stored and k not in missing and k not in orphans
                    and k not in dups}
        if rederive:
            rebuilt, not_rebuilt = _rebuilt_copies_and_signatures(
                st, {k for k in rederive if "copies" in lacking[k]}, {k for k in rederive if "signatures" in lacking[k]},
                rid)
            rederive -= not_rebuilt
            for t, rows in rebuilt.items():
                new_rows[t].extend(rows)
            terms_keys = {k for k in rederive if "terms" in lacking[k]}
            if terms_keys:
                new_arrow += _rederived_terms(st, terms_keys)
            rep.rederived = sorted(rederive)
        # 4. what cannot be restored: removed everywhere, recorded as an error
        gone = rest - rederive
        for k in sorted(gone):
            e = entries[k]
            why = _why_lost(e, recover is not None)
            rep.lost.append({"key": k, "id": e.get("id"), "origin": e.get("origin"), "why": why})
            new_rows["errors"].append(dict(error_row(
                origin=e.get("origin"), reason=f"lost from the store: {why}", stage="repair",
                hint="ingest this article again (its rows were removed; the damaged files are in "
                     f"{rep.quarantine_dir or QUARANTINE})", key=k, article_id=e.get("id"), ingested_at=at),
                shard=rid))
        for e in lost_read_errors:
            new_rows["errors"].append(dict(e, shard=rid))
        rep.restored_errors = len(lost_read_errors)
        drop = affected - rederive
        keep_terms_drop = {k for k in rederive if "terms" in lacking[k]}   # their terms rows are replaced
        _commit_rows(root, st, rid, drop, keep_terms_drop, new_rows, new_arrow, entries, gone, rep)
    finally:
        st.close()


def _repair_plans(root: Path, q: _Quarantine, rep: RepairReport) -> None:
    """Write a damaged or missing shard plan again from the rows the shard stored (its articles, the
    articles it failed on, its read errors); the old one goes to quarantine."""
    from .core import Store
    from .writer import plan_digest

    found = [p for p in check_files(root, deep=True).problems if p.kind == "plan"]
    if not found:
        return
    cat = Catalog(root)
    by_id = {m["id"]: m for m in cat.manifests()}
    st = Store(root, create=False, check=False)
    try:
        for p in found:
            sid = p.data.get("manifest")
            m = by_id.get(sid)
            if m is None:
                continue
            q.move(p.where)
            arts = st.con.execute("SELECT article_key, article_id, origin, CAST(date AS VARCHAR) FROM articles "
                                  "WHERE shard = ? ORDER BY article_key", [sid]).fetchall()
            failed = st.con.execute("SELECT DISTINCT article_key, article_id, origin FROM _raw_errors WHERE shard = ? "
                                    "AND stage IN ('code', 'store') AND article_key IS NOT NULL ORDER BY 1",
                                    [sid]).fetchall()
            reads = st.con.execute("SELECT * FROM _raw_errors WHERE shard = ? AND stage = 'read' ORDER BY error_key",
                                   [sid]).df()
            entries = [{"key": k, "id": i, "origin": o, "date": d} for k, i, o, d in arts]
            entries += [{"key": k, "id": i, "origin": o, "date": None} for k, i, o in failed
                        if k not in {e["key"] for e in entries}]
            errors = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()
                       if k in SHARD_TABLES["errors"].names} for r in reads.to_dict(orient="records")]
            digest = plan_digest([e["key"] for e in entries], [e["error_key"] for e in errors])
            plan = {"id": sid, "articles": entries, "errors": errors, "digest": digest,
                    "source": {}, "rebuilt": True}
            rel = m.get("plan", {}).get("file") or f"{PLANS}/{sid}.json"
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(plan, sort_keys=True, ensure_ascii=True, default=str), encoding="utf-8")
            from .catalog import file_digest, write_json_atomic

            m = dict(m, checksums={**(m.get("checksums") or {}), rel: file_digest(path)})
            m["plan"] = {**(m.get("plan") or {}), "file": rel, "rebuilt": True,
                         "matches": digest == (m.get("plan") or {}).get("digest")}
            write_json_atomic(cat.mdir / manifest_name(m), m)
            rep.actions.append(f"shard {sid}: its plan was damaged; written again from the rows it stored"
                               + ("" if m["plan"]["matches"] else " (it differs from the plan recorded at commit: "
                                  "some of the shard's articles are no longer in the store)"))
    finally:
        st.close()


def _why_lost(e: dict, could_recode: bool) -> str:
    origin = e.get("origin")
    if not could_recode:
        return "coding again was not asked for (repair without the pipeline)"
    if not origin:
        return "the store does not know where it came from"
    if origin.startswith("<"):
        return f"it came from {origin}, which cannot be read again"
    paths = origin_candidates(origin, (e.get("source") or {}).get("cwd"))
    there = [p for p in paths if Path(p).is_file()]
    if not there:
        return f"its input {paths[0] if paths else origin} is no longer there"
    return f"its input {there[0]} no longer holds this text"


def origin_candidates(origin: str, cwd: str | None = None) -> list[str]:
    """The files an ``origin`` (``file.jsonl:12``, ``file.json[3]``, ``file.csv:7``, ``file.txt``) may
    name, most likely first; relative ones also against the folder ingest ran in."""
    import re

    if not origin or origin.startswith("<"):
        return []
    m = re.match(r"^(.*?)(?::\d+|\[\d+\])$", origin)
    names = [m.group(1), origin] if m else [origin]
    out = []
    for n in names:
        if cwd and not os.path.isabs(n):
            out.append(os.path.join(cwd, n))
        out.append(n)
    return list(dict.fromkeys(out))


def _lost_read_errors(st, lost_plans: dict) -> list[dict]:
    """Read-error rows that plans recorded but the errors table no longer holds."""
    root = st.root
    want: dict[str, dict] = dict(lost_plans.get("_errors", {}))
    for plan in _plans_by_shard(root, st.catalog.manifests()).values():
        for e in plan.get("errors", []):
            want.setdefault(e["error_key"], e)
    if not want:
        return []
    have = st.error_keys()
    out = []
    for k, e in sorted(want.items()):
        if k not in have:
            row = dict(e)
            if isinstance(row.get("ingested_at"), str):
                from datetime import datetime

                row["ingested_at"] = datetime.fromisoformat(row["ingested_at"])
            out.append(row)
    return out


def _live_files(st) -> dict[str, list[str]]:
    return st.catalog.live(st.catalog.manifests())


def _copies_to_keep(st, keys: set[str]) -> tuple[list[tuple[str, str, pa.Table]], set[str]]:
    """One complete copy of each article stored twice: the rows of its first shard. Returns the rows
    and the articles whose copy is complete (the others must be coded again)."""
    root = st.root
    live = _live_files(st)
    arts = _read_rows(root, live.get("articles", []), keys)
    keep: dict[str, str] = {}
    for _folder_name, t in arts:
        for k, s in zip(t["article_key"].to_pylist(), t["shard"].to_pylist(), strict=True):
            keep[k] = min(keep.get(k, s), s)
    out = []
    texts: dict[str, tuple[str, str]] = {}
    counts: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    done_keys: dict[str, set] = {}
    for table in ARTICLE_TABLES:
        if table == "terms":
            continue
        for folder, t in _read_rows(root, live.get(table, []), keys):
            if "shard" not in t.column_names:
                continue
            mask = [keep.get(k) == s for k, s in zip(t["article_key"].to_pylist(), t["shard"].to_pylist(),
                                                      strict=True)]
            kept = t.filter(pa.array(mask, pa.bool_()))
            # the same rows twice under one shard name (files copied by hand ...): keep one of each
            key_cols = [c for c in TABLE_KEYS.get(table, ("article_key",)) if c in kept.column_names]
            seen, idx = set(), []
            for i, k in enumerate(zip(*(kept[c].to_pylist() for c in key_cols), strict=True)):
                if k not in seen and k not in done_keys.setdefault(table, set()):
                    seen.add(k)
                    idx.append(i)
            done_keys[table] |= seen
            kept = kept.take(pa.array(idx, pa.int64()))
            if table == "articles":
                for k, text in zip(kept["article_key"].to_pylist(), kept["text"].to_pylist(), strict=True):
                    texts[k] = (text, folder)
                for ncol, (ctab, _agg) in COUNTS.items():
                    if ctab != "terms" and ncol in kept.column_names:
                        for k, n in zip(kept["article_key"].to_pylist(), kept[ncol].to_pylist(), strict=True):
                            expected[(k, ctab)] = n or 0
            else:
                for k in kept["article_key"].to_pylist():
                    counts[(k, table)] = counts.get((k, table), 0) + 1
            if kept.num_rows:
                out.append((table, folder, kept))
    whole = {k for k in texts if all(counts.get(kt, 0) == n for kt, n in expected.items() if kt[0] == k)}
    rows = [(t, f, tbl.filter(pc.is_in(tbl["article_key"], value_set=pa.array(sorted(whole), pa.string()))))
            for t, f, tbl in out]
    rows = [r for r in rows if r[2].num_rows]
    rows += _terms_rows({k: v for k, v in texts.items() if k in whole})
    return rows, whole


DERIVED = frozenset({"terms", "copies", "signatures"})


def _rebuilt_copies_and_signatures(st, copy_keys: set[str], sig_keys: set[str], rid: str
                                   ) -> tuple[dict[str, list[dict]], set[str]]:
    """The ``copies`` and ``signatures`` rows of articles whose files of them were lost, derived
    again from the stored texts as ingest did (``copies.find_copies`` against the other stored
    originals): an article stored uncoded as a copy gets its copy row back, a coded one its
    signature, and a stored article that one of them comes before its row as that one's copy.
    Returns the rows and the uncoded articles whose original could not be found again (those are
    handled like other incomplete articles)."""
    from . import copies as C
    from .rows import signature_row

    keys = copy_keys | sig_keys
    out: dict[str, list[dict]] = {"copies": [], "signatures": []}
    if not keys:
        return out, set()
    arts = {}
    for _folder, t in _read_rows(st.root, _live_files(st).get("articles", []), keys):
        cols = t.select(["article_key", "article_id", "date", "text", "warnings"]).to_pydict()
        for k, aid, d, text, warns in zip(cols["article_key"], cols["article_id"], cols["date"], cols["text"],
                                          cols["warnings"], strict=True):
            uncoded = any(str(w).startswith("copy of ") for w in (warns or ()))
            arts[k] = {"key": k, "id": aid, "date": None if d is None else d.isoformat(), "text": text,
                       "uncoded": uncoded}
    sigs = {}
    for k in sorted(sig_keys):
        a = arts.get(k)
        if a is None or a["uncoded"] or len(C.words(a["text"])) < C.MIN_WORDS:
            continue
        sig = C.signature(a["text"])
        sigs[k] = (sig, a)
        out["signatures"].append(signature_row(k, a["id"], a["date"], sig, C.band_keys(sig), shard=rid))
    failed: set[str] = set()
    if copy_keys:
        have = {r[0] for r in st.con.execute("SELECT article_key FROM _raw_copies").fetchall()}
        rebuilt_bands: dict[int, list] = {}
        for k, (sig, a) in sigs.items():
            if k not in copy_keys:
                for b in C.band_keys(sig):
                    rebuilt_bands.setdefault(b, []).append((k, sig, a["id"], a["date"]))

        def candidates(bands):
            found = st.copy_candidates(bands)
            for b in bands:
                if b in rebuilt_bands:
                    found.setdefault(b, []).extend(rebuilt_bands[b])
            return found

        new = [{"key": k, "id": arts[k]["id"], "date": arts[k]["date"], "text": arts[k]["text"]}
               for k in sorted(copy_keys) if k in arts]
        found = C.find_copies(new, candidates)
        for k in sorted(copy_keys):
            a = arts.get(k)
            if a is None:
                continue
            info = found.get(k)
            if a["uncoded"]:
                if info is None or info.get("stored"):
                    failed.add(k)
                    continue
                out["copies"].append({"article_key": k, "copy_of": info["copy_of"], "article_id": a["id"],
                                      "original_id": info.get("original_id"), "similarity": info.get("similarity"),
                                      "kind": info.get("kind"), "shard": rid})
        for k, info in sorted(found.items()):
            # a stored article that one of these comes before (its row was written with that one)
            if info.get("stored") and info.get("by") in copy_keys and k not in have:
                out["copies"].append({"article_key": k, "copy_of": info["copy_of"], "article_id": info.get("article_id"),
                                      "original_id": info.get("original_id"), "similarity": info.get("similarity"),
                                      "kind": info.get("kind"), "shard": rid})
    return out, failed


def _rederived_terms(st, keys: set[str]) -> list[tuple[str, str, pa.Table]]:
    texts = {}
    for folder, t in _read_rows(st.root, _live_files(st).get("articles", []), keys):
        for k, text in zip(t["article_key"].to_pylist(), t["text"].to_pylist(), strict=True):
            texts[k] = (text, folder)
    return _terms_rows(texts)


def _terms_rows(texts: dict[str, tuple[str, str]]) -> list[tuple[str, str, pa.Table]]:
    by_folder: dict[str, list[dict]] = {}
    for k, (text, folder) in texts.items():
        for term, n in sorted(fts.terms(text).items()):
            by_folder.setdefault(folder, []).append({"term": term, "article_key": k, "tf": n})
    out = []
    for folder, rows in by_folder.items():
        rows.sort(key=lambda r: (r["term"], r["article_key"]))
        out.append(("terms", folder, to_table(rows, SHARD_TABLES["terms"])))
    return out


def _files_holding(root: Path, rels: list[str], keys: set[str]) -> list[str]:
    """The files among ``rels`` that hold rows of any of ``keys`` (DuckDB reads only that column)."""
    import duckdb

    if not rels or not keys:
        return []
    con = duckdb.connect()
    try:
        con.register("_keys", pa.table({"k": pa.array(sorted(keys), pa.string())}))
        paths = "[" + ", ".join("'" + str(root / r).replace("'", "''") + "'" for r in rels) + "]"
        hits = {r[0] for r in con.execute(
            f"SELECT DISTINCT filename FROM read_parquet({paths}, filename=true, hive_partitioning=false, "
            "union_by_name=true) WHERE article_key IN (SELECT k FROM _keys)").fetchall()}
    finally:
        con.close()
    return [r for r in rels if str(root / r) in hits]


def _read_rows(root: Path, rels: list[str], keys: set[str]) -> list[tuple[str, pa.Table]]:
    """``(folder, rows of those articles)`` from each file (only files that hold any)."""
    out = []
    want = pa.array(sorted(keys), pa.string())
    for rel in _files_holding(root, rels, keys):
        t = pq.read_table(root / rel, partitioning=None)
        if "article_key" not in t.column_names:
            continue
        sub = t.filter(pc.is_in(t["article_key"], value_set=want))
        if sub.num_rows:
            out.append((_folder(rel)[1], sub))
    return out


def _new_rel(table: str, folder: str, rid: str, n: int) -> str:
    return f"{table}/{folder}/{rid}-{n}.parquet" if folder else f"{table}/{rid}-{n}.parquet"


def _commit_rows(root: Path, st, rid: str, drop: set[str], terms_drop: set[str], new_rows: dict,
                 new_arrow: list, entries: dict, gone: set[str], rep: RepairReport) -> None:
    """Rewrite the files holding rows of ``drop`` (and the terms of ``terms_drop``) without them, add
    the new rows, and commit one repair manifest that takes over every manifest it changed."""
    cat = Catalog(root)
    ms = cat.manifests()
    live = cat.live_manifests(ms)
    drop_arr = pa.array(sorted(drop), pa.string())
    terms_arr = pa.array(sorted(drop | terms_drop), pa.string())
    staging = cat.staging_dir(rid)
    staged: dict[str, Path] = {}
    rewritten: dict[str, tuple[str, pa.Schema]] = {}          # old rel -> new rel (or "" when emptied)
    owner: dict[str, dict] = {}
    n = 0
    try:
        by_table: dict[str, list[str]] = {}
        for m in live:
            for table, rels in (m.get("files") or {}).items():
                for rel in rels:
                    owner[rel] = m
                    # error rows are history and are kept (the errors view marks them resolved)
                    if table in ARTICLE_TABLES:
                        by_table.setdefault(table, []).append(rel)
        for table, rels in sorted(by_table.items()):
            arr = terms_arr if table == "terms" else drop_arr
            for rel in _files_holding(root, rels, set(arr.to_pylist())):
                t = pq.read_table(root / rel, partitioning=None)
                hit = pc.is_in(t["article_key"], value_set=arr)
                kept = t.filter(pc.invert(hit))
                if kept.num_rows:
                    n += 1
                    new_rel = _new_rel(table, _folder(rel)[1], rid, n)
                    write_parquet(kept, staging / new_rel)
                    staged[new_rel] = staging / new_rel
                    rewritten[rel] = (new_rel, kept.schema)
                else:
                    rewritten[rel] = ("", t.schema)
        added: dict[str, list[tuple[str, pa.Schema]]] = {}
        for table, rows in new_rows.items():
            if not rows:
                continue
            schema = SHARD_TABLES[table]
            groups: dict[str, list[dict]] = {}
            for r in rows:
                groups.setdefault(r.pop("_part", "") if table in PARTITIONED else "", []).append(r)
            for folder, group in sorted(groups.items()):
                if table == "terms":
                    group.sort(key=lambda r: (r["term"], r["article_key"]))
                n += 1
                new_rel = _new_rel(table, folder, rid, n)
                tbl = to_table(group, schema)
                write_parquet(tbl, staging / new_rel)
                staged[new_rel] = staging / new_rel
                added.setdefault(table, []).append((new_rel, tbl.schema))
        for table, folder, tbl in new_arrow:
            n += 1
            new_rel = _new_rel(table, folder, rid, n)
            write_parquet(tbl, staging / new_rel)
            staged[new_rel] = staging / new_rel
            added.setdefault(table, []).append((new_rel, tbl.schema))
        # shards that lost articles are voided, so that ingesting those articles again commits anew
        plan_shards = {entries[k].get("shard") for k in gone if entries[k].get("shard")}
        by_id = {m["id"]: m for m in ms}
        voids = [{"id": s, "created": by_id[s].get("created")} for s in sorted(plan_shards)
                 if s in by_id and by_id[s].get("kind") == "shard"]
        void_ids = {v["id"] for v in voids}
        take = {owner[rel]["id"] for rel in rewritten}
        take |= {m["id"] for m in live if m["id"] in void_ids}
        take |= {m["id"] for m in live if m.get("kind") in REPLACING_KINDS
                 and set(m.get("replaces", [])) & void_ids}
        taken = [m for m in live if m["id"] in take]
        files: dict[str, list[str]] = {}
        prints: dict[str, set] = {}
        sums: dict[str, dict] = {}
        replaces: set[str] = set()
        for m in taken:
            if m["id"] not in void_ids:
                replaces.add(m["id"])
            replaces |= set(m.get("replaces", []))
            for table, rels in (m.get("files") or {}).items():
                for rel in rels:
                    if rel in rewritten:
                        new_rel, schema = rewritten[rel]
                        if new_rel:
                            files.setdefault(table, []).append(new_rel)
                            prints.setdefault(table, set()).add(schema_fingerprint(schema))
                    else:
                        files.setdefault(table, []).append(rel)
                        prints.setdefault(table, set()).add((m.get("schemas") or {}).get(table))
                        if rel in (m.get("checksums") or {}):
                            sums[rel] = m["checksums"][rel]
        for table, items in added.items():
            for new_rel, schema in items:
                files.setdefault(table, []).append(new_rel)
                prints.setdefault(table, set()).add(schema_fingerprint(schema))
        replaces -= void_ids
        manifest = {"kind": "repair", "id": rid, "replaces": sorted(replaces),
                    "files": {t: sorted(v) for t, v in files.items()},
                    "schemas": {t: next(iter(v)) if len(v) == 1 else None for t, v in prints.items()},
                    "rows": {t: len(v) for t, v in new_rows.items() if v}, "created": now_utc().isoformat(),
                    "checksums": sums, "voids": voids,
                    "articles": sorted(set(rep.recoded) | set(rep.deduplicated) | set(rep.rederived))}
        cat.commit(manifest, staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cat.drop_redundant_manifests(cat.manifests())
    if rep.deduplicated:
        rep.actions.append(f"{len(rep.deduplicated)} article(s) stored more than once now stored once")
    if rep.recoded:
        rep.actions.append(f"{len(rep.recoded)} article(s) coded again from their inputs")
    if rep.rederived:
        rep.actions.append(f"{len(rep.rederived)} article(s): search terms re-derived from their text")
    if rep.restored_errors:
        rep.actions.append(f"{rep.restored_errors} read error(s) restored from the shards' plans")
    if rep.lost:
        rep.actions.append(f"{len(rep.lost)} article(s) could not be restored: removed, and recorded in the "
                           "errors table (stage repair)")


__all__ = ["MANIFESTS", "RepairReport", "manifest_name", "origin_candidates", "repair"]
