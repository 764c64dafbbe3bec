"""``communique store verify``: is every file intact, and do the tables agree with each other?

Two kinds of checks, each problem named with where it is and the command that fixes it:

- **files** (``check_files``): every manifest readable; every file a live manifest (shard,
  compaction, repair) or the current de-duplication generation lists is there, with the
  size and SHA-256 recorded when it was committed (files of older stores, which have no
  checksum, must at least read as Parquet); every shard's plan (``_plans/``) intact.
  ``Store`` runs the cheap part (files there, sizes right) whenever it opens a store, so
  every command on a damaged store says which file is damaged instead of failing in DuckDB.
- **rows** (``check_rows``): one row per key in every table whose key is known (one row per
  article, unique mention, event, quote ... ids, and the de-duplication tables of
  docs/STORE-CONTRACT.md), rows that point at rows of another table point at existing ones
  (mentions -> articles, links -> events ...), every article has all its rows (its
  ``n_events`` mentions, ``n_actors`` actors, ...), every article a shard was planned to code
  is stored or recorded as an error, and the de-duplicated events cover every mention.

Tables are taken from the manifests, so tables added later are checked for damage without
changes here, and for keys and references as soon as they are listed in ``TABLE_KEYS`` /
``REFERENCES``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .catalog import DEDUP, REPAIRING, Catalog, current_generation, file_digest, plan_path

# The key of every table whose rows must be unique (de-duplication tables of issue 11 included).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_key",), "actors": ("actor_mention_id",), "mentions": ("mention_id",),
    "quotes": ("quote_id",), "places": ("place_mention_id",), "times": ("time_mention_id",),
    "terms": ("term", "article_key"), "events": ("event_id",), "links": ("mention_id",),
    "copies": ("article_key",), "stories": ("story_id",), "story_articles": ("story_id", "article_key"),
}
# (table, column) -> (table, column) it must point at, when both tables exist.
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("actors", "article_key", "articles", "article_key"),
    ("mentions", "article_key", "articles", "article_key"),
    ("quotes", "article_key", "articles", "article_key"),
    ("places", "article_key", "articles", "article_key"),
    ("times", "article_key", "articles", "article_key"),
    ("terms", "article_key", "articles", "article_key"),
    ("links", "mention_id", "mentions", "mention_id"),
    ("links", "event_id", "events", "event_id"),
    ("copies", "copy_of", "articles", "article_key"),
    ("story_articles", "story_id", "stories", "story_id"),
    ("story_articles", "article_key", "articles", "article_key"),
)
# Tables whose rows all belong to one article (what repair drops and codes again per article).
ARTICLE_TABLES = ("articles", "actors", "mentions", "quotes", "places", "times", "terms")
# articles column -> (table, how its rows are counted): every article has exactly that many.
COUNTS = {"n_events": ("mentions", "count(*)"), "n_actors": ("actors", "count(*)"),
          "n_quotes": ("quotes", "count(*)"), "n_places": ("places", "count(*)"), "n_terms": ("terms", "sum(tf)")}
EXAMPLES = 5


@dataclass
class Problem:
    kind: str           # see KIND_TEXT
    where: str          # a file (relative to the store) or a table
    what: str
    fix: str
    data: dict = field(default_factory=dict)

    def message(self) -> str:
        return f"{self.where}: {self.what}. Fix: {self.fix}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class VerifyReport:
    store: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)    # harmless: left-overs any ingest removes
    checked: dict = field(default_factory=dict)           # what was looked at (files, bytes, tables, rows)

    @property
    def ok(self) -> bool:
        return not self.problems

    def damaged_files(self) -> list[Problem]:
        return [p for p in self.problems if p.kind in ("missing-file", "damaged-file")]

    def to_dict(self) -> dict:
        return {"store": self.store, "ok": self.ok, "problems": [p.to_dict() for p in self.problems],
                "notes": [p.to_dict() for p in self.notes], "checked": self.checked}


def repair_cmd(root) -> str:
    return f"communique store repair --store {root}"


def dedup_cmd(root, force: bool = False) -> str:
    return f"communique dedup --store {root}" + (" --force" if force else "")


# -- files ---------------------------------------------------------------------------------
def _is_parquet(path: Path, deep: bool) -> str | None:
    """Why ``path`` is not a readable Parquet file (None when it is)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(max(0, size - 4))
            tail = fh.read(4)
    except OSError as err:
        return f"cannot be read ({err.strerror or err})"
    if size < 12 or head != b"PAR1" or tail != b"PAR1":
        return f"is not a complete Parquet file ({size} bytes, no Parquet footer): truncated or overwritten"
    if deep:
        import pyarrow.parquet as pq

        try:
            pq.ParquetFile(path).read()
        except Exception as err:  # noqa: BLE001 - any decoding failure means damage
            return f"cannot be decoded as Parquet ({type(err).__name__}: {str(err)[:160]})"
    return None


def file_problem(root: Path, rel: str, recorded: dict | None, deep: bool) -> Problem | None:
    """The problem with one committed file, or None. ``recorded``: its ``{"bytes", "sha256"}``."""
    path = root / rel
    if not path.exists():
        return Problem("missing-file", rel, "the file is missing", repair_cmd(root))
    if recorded:
        try:
            size = path.stat().st_size
        except OSError as err:
            return Problem("damaged-file", rel, f"cannot be read ({err.strerror})", repair_cmd(root))
        if size != recorded.get("bytes"):
            how = "truncated" if size < recorded.get("bytes", 0) else "longer than written"
            return Problem("damaged-file", rel, f"the file is damaged ({how}: {size} bytes, "
                           f"{recorded.get('bytes')} when committed)", repair_cmd(root))
        if deep:
            try:
                digest = file_digest(path)["sha256"]
            except OSError as err:
                return Problem("damaged-file", rel, f"cannot be read ({err.strerror})", repair_cmd(root))
            if digest != recorded.get("sha256"):
                return Problem("damaged-file", rel, "the file is damaged (its bytes changed since it was "
                               "committed: checksum differs)", repair_cmd(root))
        return None
    if rel.endswith(".parquet"):
        why = _is_parquet(path, deep)
        if why:
            return Problem("damaged-file", rel, f"the file {why}", repair_cmd(root))
    return None


def dedup_manifest(root: Path) -> tuple[dict | None, Problem | None]:
    """The current de-duplication generation's manifest, or the problem that hides it."""
    cur = root / DEDUP / "CURRENT"
    gen = current_generation(root)
    if gen is None:
        if cur.exists():
            return None, Problem("dedup", f"{DEDUP}/CURRENT", "the pointer to the current de-duplicated events "
                                 "is damaged", repair_cmd(root))
        return None, None
    mpath = root / DEDUP / gen / "manifest.json"
    try:
        m = json.loads(mpath.read_text(encoding="utf-8"))
        if not isinstance(m, dict) or not isinstance(m.get("files", {}), dict):
            raise ValueError("not a manifest")
        return m, None
    except FileNotFoundError:
        return None, Problem("dedup", f"{DEDUP}/{gen}", "the current de-duplication generation is missing",
                             repair_cmd(root))
    except (OSError, ValueError):
        return None, Problem("dedup", f"{DEDUP}/{gen}/manifest.json", "the de-duplication manifest is damaged",
                             repair_cmd(root))


def check_files(root: str | Path, deep: bool = True, report: VerifyReport | None = None, plans: bool = True,
                manifests: tuple[list[dict], list[Path]] | None = None) -> VerifyReport:
    """Manifests, committed files, plans (``plans``) and the de-duplication generation.
    ``manifests``: ``Catalog.read_manifests()`` when the caller has it already."""
    root = Path(root)
    rep = report or VerifyReport(str(root))
    meta = root / "store.json"
    try:
        json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rep.problems.append(Problem("store-meta", "store.json", "the store's description is missing or damaged",
                                    repair_cmd(root)))
    if (root / REPAIRING).exists():
        rep.problems.append(Problem("repair-pending", REPAIRING, "a store repair was stopped before it finished",
                                    repair_cmd(root)))
    cat = Catalog(root)
    ms, bad = manifests if manifests is not None else cat.read_manifests()
    for p in bad:
        rep.problems.append(Problem("manifest", p.relative_to(root).as_posix(), "the manifest is damaged "
                                    "(not readable JSON): the files it commits are not part of the store",
                                    repair_cmd(root)))
    n_files = n_bytes = 0
    tables: set[str] = set()
    for m in cat.live_manifests(ms):
        sums = m.get("checksums") or {}
        for table, rels in (m.get("files") or {}).items():
            tables.add(table)
            for rel in rels:
                n_files += 1
                n_bytes += (sums.get(rel) or {}).get("bytes", 0)
                prob = file_problem(root, rel, sums.get(rel), deep)
                if prob is not None:
                    prob.data = {"table": table, "manifest": m["id"], "kind": m.get("kind")}
                    rep.problems.append(prob)
    for m in ms if plans else ():
        if m.get("kind") != "shard" or not m.get("plan"):
            continue
        rel = m["plan"].get("file") or plan_path(root, m["id"]).relative_to(root).as_posix()
        prob = file_problem(root, rel, (m.get("checksums") or {}).get(rel), deep)
        if prob is None and read_plan(root / rel) is None:
            prob = Problem("damaged-file", rel, "the file is damaged (not a readable plan)", repair_cmd(root))
        if prob is not None:
            prob.kind = "plan"
            prob.what = f"the plan of shard {m['id']} " + prob.what.removeprefix("the file ")
            prob.data = {"manifest": m["id"]}
            rep.problems.append(prob)
    dm, prob = dedup_manifest(root)
    if prob is not None:
        rep.problems.append(prob)
    if dm is not None:
        sums = dm.get("checksums") or {}
        for table, rels in (dm.get("files") or {}).items():
            tables.add(table)
            for rel in rels:
                n_files += 1
                p = file_problem(root, rel, sums.get(rel), deep)
                if p is not None:
                    p.data = {"table": table, "generation": dm.get("id"), "dedup": True}
                    p.fix = repair_cmd(root)
                    rep.problems.append(p)
    staging = root / "_staging"
    left = [d for d in staging.iterdir()] if staging.is_dir() else []
    if left:
        rep.notes.append(Problem("leftovers", "_staging", f"{len(left)} folder(s) of work that was stopped "
                                 "half-way (not part of the store)", repair_cmd(root)))
    rep.checked.update({"manifests": len(ms) + len(bad), "files": n_files, "bytes": n_bytes,
                        "tables": sorted(tables), "deep": deep})
    return rep


# -- rows ----------------------------------------------------------------------------------
def _columns(con, view: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()}


def _examples(rows) -> list:
    return [r[0] if len(r) == 1 else list(r) for r in rows[:EXAMPLES]]


def read_plan(path: Path) -> dict | None:
    """A shard's plan, or None when it is missing or not a plan (damaged)."""
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(plan, dict) or not isinstance(plan.get("articles"), list) or \
            not isinstance(plan.get("errors", []), list):
        return None
    if not all(isinstance(a, dict) and isinstance(a.get("key"), str) for a in plan["articles"]):
        return None
    return plan


def planned_articles(root: Path, manifests: list[dict]) -> dict[str, dict]:
    """Article key -> its plan entry (``key``, ``id``, ``origin``, ``date``, ``shard``, ``source``)
    over every committed shard's readable plan."""
    out: dict[str, dict] = {}
    for m in manifests:
        if m.get("kind") != "shard" or not m.get("plan"):
            continue
        plan = read_plan(root / str(m["plan"].get("file")))
        if plan is None:
            continue
        for a in plan["articles"]:
            out.setdefault(a["key"], dict(a, shard=m["id"], source=plan.get("source") or {}))
    return out


def check_rows(store, report: VerifyReport | None = None, planned: dict | None = None) -> VerifyReport:
    """Keys, references and completeness over the readable files of ``store`` (a ``Store``)."""
    import pyarrow as pa

    root = store.root
    rep = report or VerifyReport(str(root))
    con = store.con
    files = store.files()
    present = {t for t, ps in files.items() if ps}
    rows_checked: dict[str, int] = {}
    for t in sorted(present | {"articles"}):
        try:
            rows_checked[t] = int(con.execute(f"SELECT count(*) FROM {_view(t)}").fetchone()[0])
        except Exception:  # noqa: BLE001 - a table without a view (added by a later version)
            continue
    for t, key in TABLE_KEYS.items():
        if t not in present or t not in rows_checked:
            continue
        cols = ", ".join(key)
        dups = con.execute(f"SELECT {cols}, count(*) AS n FROM {_view(t)} GROUP BY ALL HAVING count(*) > 1 "
                           f"ORDER BY n DESC, {cols}").fetchall()
        if not dups:
            continue
        extra = sum(r[-1] - 1 for r in dups)
        if t == "articles":
            what = (f"{len(dups)} article(s) are stored more than once ({extra} extra row(s)), e.g. "
                    f"{', '.join(r[0] for r in dups[:EXAMPLES])}")
            kind = "duplicate-articles"
        else:
            what = f"{extra} row(s) repeat a {'/'.join(key)} already there, e.g. {_examples(dups)}"
            kind = "duplicate-ids"
        fix = dedup_cmd(root, force=True) if t in ("events", "links", "stories", "story_articles") \
            else repair_cmd(root)
        rep.problems.append(Problem(kind, t, what, fix, {"table": t, "keys": [r[0] for r in dups[:1000]]}))
    for t, col, ref, rcol in REFERENCES:
        if t not in present or ref not in rows_checked or t not in rows_checked:
            continue
        if col not in _columns(con, _view(t)):
            continue
        bad = con.execute(f"SELECT DISTINCT {col} FROM {_view(t)} WHERE {col} IS NOT NULL AND {col} NOT IN "
                          f"(SELECT {rcol} FROM {_view(ref)}) ORDER BY 1").fetchall()
        if bad:
            n = con.execute(f"SELECT count(*) FROM {_view(t)} WHERE {col} IS NOT NULL AND {col} NOT IN "
                            f"(SELECT {rcol} FROM {_view(ref)})").fetchone()[0]
            dedup_side = t in ("links", "story_articles") or ref in ("events", "stories")
            rep.problems.append(Problem(
                "orphan-rows", t, f"{n} row(s) point at {ref} that do not exist ({col} not in {ref}.{rcol}), "
                f"e.g. {_examples(bad)}", dedup_cmd(root, force=True) if dedup_side else repair_cmd(root),
                {"table": t, "column": col, "keys": [r[0] for r in bad[:100_000]]}))
    if "articles" in rows_checked and rows_checked["articles"]:
        acols = _columns(con, "articles")
        only_coded = "WHERE copy_of IS NULL" if "copy_of" in acols else ""
        parts = []
        for ncol, (t, agg) in COUNTS.items():
            if ncol not in acols:
                continue
            if t in rows_checked:
                parts.append(f"SELECT a.article_key, '{t}' AS t FROM (SELECT article_key, {ncol} FROM articles "
                             f"{only_coded}) a LEFT JOIN (SELECT article_key, {agg} AS n FROM {t} GROUP BY 1) c "
                             f"USING (article_key) WHERE coalesce(c.n, 0) <> coalesce(a.{ncol}, 0)")
        if parts:
            bad = con.execute(" UNION ALL ".join(parts) + " ORDER BY 1, 2").fetchall()
            if bad:
                keys = sorted({r[0] for r in bad})
                tabs = sorted({r[1] for r in bad})
                by_key: dict[str, list[str]] = {}
                for k, t in bad[:200_000]:
                    by_key.setdefault(k, []).append(t)
                rep.problems.append(Problem(
                    "incomplete-articles", "articles", f"{len(keys)} article(s) lack some of their rows (in "
                    f"{', '.join(tabs)}), e.g. {', '.join(keys[:EXAMPLES])}", repair_cmd(root),
                    {"keys": keys[:100_000], "tables": tabs, "by_key": by_key}))
    if planned is None:
        planned = planned_articles(root, store.catalog.read_manifests()[0])
    if planned:
        con.register("_planned_keys", pa.table({"article_key": pa.array(list(planned), pa.string())}))
        missing = [r[0] for r in con.execute(
            "SELECT article_key FROM _planned_keys WHERE article_key NOT IN (SELECT article_key FROM articles) "
            "AND article_key NOT IN (SELECT article_key FROM _raw_errors WHERE article_key IS NOT NULL) "
            "ORDER BY 1").fetchall()]
        con.unregister("_planned_keys")
        if missing:
            rep.problems.append(Problem(
                "missing-articles", "articles", f"{len(missing)} article(s) that committed shards were given are "
                f"neither stored nor recorded as errors, e.g. "
                f"{', '.join(_describe(planned[k]) for k in missing[:EXAMPLES])}", repair_cmd(root),
                {"keys": missing[:100_000]}))
    gen = current_generation(root)
    if "mentions" in rows_checked and rows_checked["mentions"]:
        if gen is None or gen != store.generation():
            rep.problems.append(Problem(
                "stale-dedup", "events", "the de-duplicated events do not cover every stored mention (an ingest "
                "was stopped before de-duplication, or rules changed)", dedup_cmd(root)))
        elif "links" in rows_checked:
            # an article that became a copy keeps the mentions it was coded with, in no event
            unlinked = con.execute("SELECT count(*) FROM mentions WHERE mention_id NOT IN "
                                   "(SELECT mention_id FROM links) AND article_key NOT IN "
                                   "(SELECT article_key FROM copies)").fetchone()[0]
            if unlinked:
                rep.problems.append(Problem("orphan-rows", "links", f"{unlinked} mention(s) belong to no event",
                                            dedup_cmd(root, force=True)))
            if "events" in rows_checked:
                # each copy of a mention's article counts that mention once more (store/dedup.py)
                wrong = con.execute("SELECT count(*) FROM events e LEFT JOIN (SELECT l.event_id, sum(1 + "
                                    "coalesce(c.n, 0)) AS n FROM links l LEFT JOIN (SELECT copy_of AS article_key, "
                                    "count(*) AS n FROM copies GROUP BY 1) c USING (article_key) GROUP BY 1) l "
                                    "USING (event_id) WHERE coalesce(l.n, 0) <> e.num_mentions").fetchone()[0]
                if wrong:
                    rep.problems.append(Problem("incomplete-events", "events", f"{wrong} event(s) count other "
                                                "mentions than are linked to them", dedup_cmd(root, force=True)))
    rep.checked["rows"] = rows_checked
    return rep


def _view(table: str) -> str:
    # the errors view hides repeated error rows; checks look at what is stored
    return "_raw_errors" if table == "errors" else table


def _describe(plan_entry: dict) -> str:
    where = plan_entry.get("origin") or plan_entry.get("id") or plan_entry["key"]
    return f"{plan_entry['key']} ({where})"


def verify(root: str | Path, deep: bool = True, rows: bool = True) -> VerifyReport:
    """Every check; a report of problems, each with its fix."""
    from .core import Store

    root = Path(root)
    rep = check_files(root, deep=deep)
    if rows and not any(p.kind in ("store-meta",) for p in rep.problems):
        damaged = {p.where for p in rep.problems if p.kind in ("missing-file", "damaged-file")}
        gen_bad = any(p.kind == "dedup" or p.data.get("dedup") for p in rep.problems)
        st = Store(root, create=False, check=False, exclude=damaged, skip_dedup=gen_bad)
        try:
            check_rows(st, rep)
        finally:
            st.close()
    return rep


__all__ = ["ARTICLE_TABLES", "COUNTS", "Problem", "REFERENCES", "TABLE_KEYS", "VerifyReport", "check_files",
           "check_rows", "file_problem", "planned_articles", "read_plan", "verify"]
