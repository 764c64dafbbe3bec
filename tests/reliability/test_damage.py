"""Damaged stores: every kind of damage is found by ``store verify`` (naming the file and the fix),
every other command names the damaged file instead of failing in DuckDB, and ``store repair``
brings the store back to exactly what a clean run stores (or says what it could not restore).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.engines import ingest
from communique.engines.recover import recoverer
from communique.engines.work import PipelineSpec
from communique.errors import StoreError
from communique.store import Store
from communique.store.repair import repair
from communique.store.verify import verify

from .conftest import REPO, assert_same_store, env, snapshot, write_corpus
from .fakes import FACTORY

RECOVER = recoverer(PipelineSpec(factory=FACTORY))


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("built") / "store"
    ingest([str(corpus)], root, engine="inprocess", factory=FACTORY)
    return root


@pytest.fixture
def store(built, tmp_path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(built, root)
    return root


def a_file(root: Path, table: str, index: int = 0) -> Path:
    files = sorted((root / table).rglob("*.parquet"))
    assert files, f"no {table} files"
    return files[index % len(files)]


def truncate(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def flip_byte(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0xFF
    p.write_bytes(bytes(data))


def damage(root: Path, kind: str) -> str:
    """Damage the store; return the relative path the problem must be reported at."""
    if kind == "truncated-mentions":
        p = a_file(root, "mentions", 1)
        truncate(p)
    elif kind == "flipped-articles":
        p = a_file(root, "articles", 2)
        flip_byte(p)
    elif kind == "missing-terms":
        p = a_file(root, "terms", 3)
        p.unlink()
    elif kind == "missing-errors":
        p = a_file(root, "errors", 0)
        p.unlink()
    elif kind == "damaged-manifest":
        p = sorted((root / "_manifests").glob("shard-*.json"))[4]
        p.write_text("{not json", encoding="utf-8")
    elif kind == "damaged-plan":
        p = sorted((root / "_plans").glob("*.json"))[2]
        p.write_text("[]", encoding="utf-8")
    elif kind == "truncated-events":
        p = a_file(root, "dedup", 0)
        truncate(p)
    elif kind == "damaged-current":
        p = root / "dedup" / "CURRENT"
        p.write_bytes(b"\x00\xffgarbage")
    elif kind == "missing-dedup-manifest":
        gen = (root / "dedup" / "CURRENT").read_text().strip()
        p = root / "dedup" / gen / "manifest.json"
        p.unlink()
    elif kind == "damaged-store-json":
        p = root / "store.json"
        p.write_text("{", encoding="utf-8")
    else:
        raise AssertionError(kind)
    return p.relative_to(root).as_posix()


PHYSICAL = ["truncated-mentions", "flipped-articles", "missing-terms", "missing-errors", "damaged-manifest",
            "damaged-plan", "truncated-events", "damaged-current", "missing-dedup-manifest", "damaged-store-json"]


@pytest.mark.parametrize("kind", PHYSICAL)
def test_damage_is_found_named_and_repaired(store, reference, kind):
    where = damage(store, kind)
    rep = verify(store)
    assert not rep.ok
    assert any(p.where.startswith(where.rsplit("/", 1)[0]) for p in rep.problems), \
        [p.message() for p in rep.problems]
    assert all("communique" in p.fix for p in rep.problems)
    # the other commands name the damage and say what to do, without a traceback (a plan is not read
    # by queries, and a changed byte inside a file of the right size only the checksums of verify see)
    r = CliRunner().invoke(app, ["query", "events", "--store", str(store)])
    if kind not in ("damaged-plan", "flipped-articles"):
        assert r.exit_code == 2, r.output
        assert "store verify" in r.stderr and "Traceback" not in r.stderr
    r = CliRunner().invoke(app, ["store", "verify", "--store", str(store)])
    assert r.exit_code == 1 and "fix: communique" in r.stdout
    done = repair(store, recover=RECOVER)
    assert done.remaining == [], done.remaining
    assert not done.lost
    assert_same_store(reference, store)
    r = CliRunner().invoke(app, ["store", "verify", "--store", str(store)])
    assert r.exit_code == 0 and "sound" in r.stdout


def test_damaged_compacted_file_is_repaired(store, reference):
    Store(store).compact()
    assert any("c" == p.stem[0] for p in (store / "mentions").rglob("*.parquet"))
    truncate(next(p for p in sorted((store / "mentions").rglob("*.parquet")) if p.stem.startswith("c")))
    rep = verify(store)
    assert [p.kind for p in rep.damaged_files()] == ["damaged-file"]
    with pytest.raises(StoreError, match="store verify"):
        Store(store).stats()
    done = repair(store, recover=RECOVER)
    assert done.remaining == [] and done.recoded and not done.lost
    assert_same_store(reference, store)


def test_only_search_terms_lost_are_re_derived_without_the_pipeline(store, reference):
    damage(store, "missing-terms")
    done = repair(store, recover=None)
    assert done.rederived and not done.recoded and not done.lost
    assert_same_store(reference, store)


def test_articles_stored_twice_are_kept_once(store, reference):
    """The old failure: a worker orphaned by a killed coordinator committed a shard of articles the
    next run stored again. Made here by committing copies of a shard's files under another name."""
    man = sorted((store / "_manifests").glob("shard-*.json"))[3]
    m = json.loads(man.read_text())
    new_id = "sdeadbeefdeadbeefdead"
    files = {}
    for table, rels in m["files"].items():
        for rel in rels:
            new = rel.replace(m["id"], new_id)
            shutil.copy(store / rel, store / new)
            files.setdefault(table, []).append(new)
    m2 = dict(m, id=new_id, files=files, checksums={}, plan=None)
    (store / "_manifests" / f"shard-{new_id}.json").write_text(json.dumps(m2))
    rep = verify(store)
    kinds = {p.kind for p in rep.problems}
    assert "duplicate-articles" in kinds, kinds
    dup = next(p for p in rep.problems if p.kind == "duplicate-articles")
    assert "communique store repair" in dup.fix and dup.where == "articles"
    done = repair(store, recover=None)
    assert done.deduplicated and done.remaining == []
    assert_same_store(reference, store)


def test_what_cannot_be_restored_is_named_kept_as_errors_and_restored_by_ingesting_again(tmp_path):
    src = write_corpus(tmp_path / "in.jsonl", 40)
    clean = tmp_path / "clean"
    ingest([str(src)], clean, engine="inprocess", factory=FACTORY)
    root = tmp_path / "store"
    ingest([str(src)], root, engine="inprocess", factory=FACTORY)
    truncate(a_file(root, "mentions", 0))
    src.rename(tmp_path / "elsewhere.jsonl")                # the input is gone
    done = repair(root, recover=RECOVER)
    assert done.lost and done.remaining == []
    assert all("no longer there" in x["why"] and x["origin"].startswith(str(src)) for x in done.lost)
    s = Store(root)
    errs = s.sql("SELECT article_key, stage, reason, hint FROM errors WHERE stage = 'repair'")
    assert sorted(errs.article_key) == sorted(x["key"] for x in done.lost)
    assert all("ingest this article again" in h for h in errs.hint)
    assert s.scalar("SELECT count(*) FROM articles") == 39 - len(done.lost)
    s.close()
    (tmp_path / "elsewhere.jsonl").rename(src)              # the input is back: ingest it again
    again = ingest([str(src)], root, engine="inprocess", factory=FACTORY)
    assert again.articles == len(done.lost)
    ref = snapshot(clean)
    assert_same_store(ref, root)


def test_a_repair_killed_half_way_is_finished_by_running_it_again(store, reference):
    damage(store, "truncated-mentions")
    code = ("import sys; from communique.store.repair import repair; from communique.engines.recover import "
            "recoverer; from communique.engines.work import PipelineSpec; "
            f"repair(sys.argv[1], recover=recoverer(PipelineSpec(factory={FACTORY!r})))")
    proc = subprocess.run([sys.executable, "-c", code, str(store)], cwd=REPO, capture_output=True,
                          env=env(COMMUNIQUE_FAULTS="repair:after-files"), timeout=300)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    r = CliRunner().invoke(app, ["stats", "--store", str(store)])
    assert r.exit_code == 2 and "repair was stopped" in r.stderr
    assert any(p.kind == "repair-pending" for p in verify(store).problems)
    done = repair(store, recover=RECOVER)
    assert done.remaining == []
    assert_same_store(reference, store)
