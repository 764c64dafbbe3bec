"""Exactly-once ingest, in small: stable shard plans, commits checked against the plan, fenced
commits, and the checks on a store (stand-in pipeline, no spaCy; the real kills are in
tests/reliability/)."""

from __future__ import annotations

import json

import pytest

from communique.engines import PipelineSpec, ingest, plan_shards, run_shard
from communique.engines.ingest import stable_shard_size, verify_commit
from communique.engines.work import PlanMismatch, ShardInput, check_plan
from communique.records import Article, Rejected
from communique.store import open_store
from communique.store.catalog import Catalog, ingest_lock
from communique.store.fence import FencedOut, check_run, commit_lock, read_run, start_run
from communique.store.rows import article_key
from communique.store.verify import verify
from communique.store.writer import write_shard

FACTORY = "tests.reliability.fakes:FakePipeline"
SPEC = PipelineSpec(factory=FACTORY)


@pytest.fixture(autouse=True)
def no_delay(monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_FAKE_DELAY", "0")


def articles(n: int) -> list[Article]:
    return [Article(text=f"Alpha{i % 3} met Beta{i % 4} on day {i}.", id=f"a{i}", date="2025-08-01",
                    origin=f"mem:{i}") for i in range(n)]


def test_a_plan_does_not_change_with_what_is_already_stored(tmp_path):
    """The failure of issue 12: after a kill, the next run cut different shards (their size
    depended on what was left). Now the shards left are exactly those of the first plan."""
    root = tmp_path / "s"
    items = articles(30) + [Rejected("f.jsonl:9", "invalid JSON")]
    with ingest_lock(root) as run:
        first = list(plan_shards(items, str(root), set(), set(), 8, SPEC, {}, run=run))
        for shard in first[:2]:
            run_shard(shard)
    stored = open_store(root).stored_keys()
    assert len(stored) == 16
    with ingest_lock(root) as run:
        again = list(plan_shards(items, str(root), stored, set(), 8, SPEC, {}, run=run))
    assert [s.id for s in again] == [s.id for s in first[2:]]
    assert [s.digest for s in again] == [s.digest for s in first[2:]]
    # the size depends on the input and the workers only: 376 articles, 2 workers: 16 shards each
    assert stable_shard_size(376, 2) == 12 and stable_shard_size(30, 2) == 8
    assert stable_shard_size(100_000, 8) == 200 and stable_shard_size(None) == 200


def test_every_commit_is_checked_against_its_plan(tmp_path):
    shard = ShardInput(id="s1", store=str(tmp_path), articles=[{"text": "Alpha met Beta.", "origin": "x"}],
                       digest=None)
    key = article_key("Alpha met Beta.")
    ok = {"articles": [{"article_key": key}], "errors": [], "mentions": [{"article_key": key}]}
    check_plan(shard, ok)
    with pytest.raises(PlanMismatch, match="neither stored nor failed"):
        check_plan(shard, {"articles": [], "errors": []})
    with pytest.raises(PlanMismatch, match="stored twice"):
        check_plan(shard, {"articles": [{"article_key": key}] * 2, "errors": []})
    with pytest.raises(PlanMismatch, match="not planned"):
        check_plan(shard, {"articles": [{"article_key": key}, {"article_key": "sha1-other"}], "errors": []})
    with pytest.raises(PlanMismatch, match="outside the shard"):
        check_plan(shard, dict(ok, mentions=[{"article_key": "sha1-other"}]))
    shard.digest = "0" * 20
    with pytest.raises(PlanMismatch, match="plan digest"):
        check_plan(shard, ok)


def test_the_coordinator_checks_each_commit_against_its_plan(tmp_path):
    root = tmp_path / "s"
    with ingest_lock(root) as run:
        (shard,) = list(plan_shards(articles(3), str(root), set(), set(), 8, SPEC, {}, run=run))
        res = run_shard(shard)
        assert res["articles"] == 3 and not res["skipped"]
        verify_commit(root, shard)
        manifest = json.loads(Catalog(root).shard_manifest_path(shard.id).read_text())
        assert manifest["run"] == run and manifest["plan"]["digest"] == shard.digest
        assert all(len(v["sha256"]) == 64 for v in manifest["checksums"].values())
        plan = json.loads((root / manifest["plan"]["file"]).read_text())
        assert [a["origin"] for a in plan["articles"]] == ["mem:0", "mem:1", "mem:2"]
        shard.digest = "f" * 20
        with pytest.raises(PlanMismatch, match="other articles than planned"):
            verify_commit(root, shard)


def test_a_new_run_fences_out_the_workers_of_the_old_one(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    old = start_run(root)
    new = start_run(root)
    assert old != new and read_run(root)["token"] == new
    with commit_lock(root):
        check_run(root, new, "shard x")
        check_run(root, None, "shard x")          # no fencing asked for (the lock holder itself)
        with pytest.raises(FencedOut, match="now holds the store"):
            check_run(root, old, "shard x")
    with pytest.raises(FencedOut):
        write_shard(root, "s-old", {"errors": [{"error_key": "e1", "reason": "r"}]}, token=old)
    assert not Catalog(root).has_shard("s-old") and not any((root / "_staging").glob("*"))


def test_the_same_shard_committed_twice_is_stored_once(tmp_path):
    root = tmp_path / "s"
    rows = {"errors": [{"error_key": "e1", "reason": "r", "shard": "s1"}]}
    first = write_shard(root, "s1", rows, token=None)
    second = write_shard(root, "s1", rows, token=None)
    assert second["created"] == first["created"]
    assert len(list((root / "errors").rglob("*.parquet"))) == 1


def test_verify_names_each_problem_with_its_fix(tmp_path):
    root = tmp_path / "s"
    ingest(articles(12), root, engine="inprocess", factory=FACTORY, shard_size=4, dedup=False)
    rep = verify(root)
    assert [p.kind for p in rep.problems] == ["stale-dedup"]
    assert rep.problems[0].fix == f"communique dedup --store {root}"
    open_store(root).deduplicate()
    assert verify(root).ok
    victim = sorted((root / "mentions").rglob("*.parquet"))[1]
    victim.write_bytes(victim.read_bytes()[:50])
    rep = verify(root, rows=False)
    (p,) = rep.problems
    assert p.kind == "damaged-file" and p.where == victim.relative_to(root).as_posix()
    assert "truncated" in p.what and p.fix == f"communique store repair --store {root}"
    with pytest.raises(Exception, match="store verify") as info:
        open_store(root)
    assert victim.name in str(info.value)
