"""The three de-duplication layers of issue 11 (copies, stories, merged events), with a stand-in
coder (no spaCy): copies are found across runs and not coded, stories and events do not depend
on input order, sharding or the number of runs, and re-ingest changes nothing."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.engines import ingest
from communique.engines import work as W
from communique.records import (
    Article,
    ArticleMeta,
    Event,
    Participant,
    Plover,
    Record,
    SentenceSpan,
    Span,
)
from communique.store import open_store
from communique.store import stories as S

MET = re.compile(r"([A-Z]\w+) met ([A-Z]\w+)")


class Coder:
    """Codes "X met Y" as CAMEO 042 X -> Y on the article's date; counts the articles it codes."""

    def __init__(self):
        self.coded: list[str] = []

    def code_articles(self, arts):
        for art in arts:
            self.coded.append(art.id)
            events = []
            for i, m in enumerate(MET.finditer(art.text), start=1):
                s, t = m.span(1), m.span(2)
                events.append(Event(
                    id=f"e{i}", sentence=SentenceSpan(start=0, end=len(art.text)),
                    trigger=Span(start=s[1] + 1, end=s[1] + 4, text="met"),
                    source=Participant(span=Span(start=s[0], end=s[1], text=m[1]), name=m[1]),
                    target=Participant(span=Span(start=t[0], end=t[1], text=m[2]), name=m[2]),
                    cameo="042", cameo_root="04", plover=Plover(event="CONSULT"), goldstein=1.9, quad_class=1,
                    date=art.date, date_from="article", confidence=0.7))
            yield Record(article=ArticleMeta(id=art.id, date=art.date, source=art.source, title=art.title),
                         events=events)


@pytest.fixture
def coder(monkeypatch):
    c = Coder()
    monkeypatch.setitem(W.PIPELINES, W.PipelineSpec().key(), c)
    return c


TOPICS = {
    "flood": ("Heavy flooding hit the river valley after days of torrential rain, forcing thousands of residents "
              "to evacuate their homes while rescue teams searched submerged villages by boat", "Rivera met Okafor"),
    "summit": ("Leaders gathered at the summit to discuss trade tariffs, energy supplies and border security, "
               "signing agreements on pipelines, customs duties and grain exports", "Lukas met Chen"),
    "final": ("The football final ended with a dramatic penalty shootout as the goalkeeper saved two kicks and "
              "jubilant supporters celebrated inside the packed stadium", "Moreau met Silva"),
}
BOILER = ("Copyright Example Wire. All rights reserved. This material may not be published, broadcast, "
          "rewritten or redistributed without permission.")


def corpus() -> list[Article]:
    """Three stories over several days, each article with its own words, and two copies."""
    rng = random.Random(5)
    arts = []
    for t_i, (topic, (story, meeting)) in enumerate(TOPICS.items()):
        for k in range(4):
            text = story
            # words of its own (made-up, so that no two articles share them)
            own = " ".join("".join(rng.choice("bcdfghjklmnpqrstvwz") + rng.choice("aeiou") for _ in range(3))
                           for _ in range(12))
            # the story's words in another order: the same vocabulary, but not a copy
            words = text.split()
            rng.shuffle(words)
            text = " ".join(words)
            day = f"2025-03-{1 + t_i * 3 + k:02d}"     # the stories overlap in time
            body = f"{text}. {meeting} on Tuesday. Witnesses described {own}."
            arts.append(Article(text=body, id=f"{topic}-{k}", date=day, title=f"{topic.title()} report {k}",
                                source=f"outlet{k}", origin=f"mem:{topic}-{k}"))
    # copies: the same article re-posted by other outlets, a day later, with a boilerplate paragraph
    for orig in (arts[1], arts[6]):
        arts.append(Article(text=orig.text + "\n\n" + BOILER, id=orig.id + "-copy",
                            date=orig.date[:-2] + f"{int(orig.date[-2:]) + 1:02d}", title="COPY " + orig.title,
                            source="wire", origin="mem:copy"))
    return arts


def snapshot(root) -> dict:
    s = open_store(root)
    try:
        return {
            "copies": sorted(map(tuple, s.sql("SELECT article_id, original_id, kind FROM copies").values.tolist())),
            "stories": sorted(map(tuple, s.sql(
                "SELECT story_id, title, first_seen, last_seen, n_articles, n_sources FROM stories").values.tolist())),
            "members": sorted(map(tuple, s.sql(
                "SELECT sa.story_id, a.article_id FROM story_articles sa JOIN articles a USING (article_key)"
            ).values.tolist())),
            "events": sorted(map(tuple, s.sql(
                "SELECT event_id, story_id, num_mentions, num_articles, num_sources, why FROM events"
            ).values.tolist())),
        }
    finally:
        s.close()


def test_copies_are_found_across_runs_not_coded_and_counted(tmp_path, coder):
    arts = corpus()
    root = tmp_path / "s"
    originals = [a for a in arts if not a.id.endswith("-copy")]
    copies = [a for a in arts if a.id.endswith("-copy")]
    ingest(originals, root, engine="inprocess")
    r = ingest(copies, root, engine="inprocess")     # a separate run: the originals are only in the store
    assert r.copies == 2
    assert not any(c.endswith("-copy") for c in coder.coded)      # copies were never coded
    s = open_store(root)
    got = dict(s.sql("SELECT article_id, original_id FROM copies").values.tolist())
    assert got == {"flood-1-copy": "flood-1", "summit-2-copy": "summit-2"}
    assert s.scalar("SELECT copy_of IS NOT NULL FROM articles WHERE article_id = 'flood-1-copy'")
    # the meeting of flood-1 (day 2) is reported by flood-0 (day 1), flood-1 and the copy of flood-1:
    # three articles, three outlets, three mentions, though only two articles were coded
    ev = s.sql("SELECT num_mentions, num_articles, num_sources, why FROM events e WHERE event_id IN "
               "(SELECT event_id FROM links l JOIN articles a USING (article_key) WHERE a.article_id = 'flood-1')")
    assert ev.values.tolist()[0][:3] == [3, 3, 3]
    assert ev.values.tolist()[0][3].startswith("same source and target (Rivera -> Okafor), 042, within 1 day(s)")
    # the copy is in its original's story
    assert s.scalar("SELECT count(DISTINCT story_id) FROM articles WHERE article_id IN ('flood-1', 'flood-1-copy')") == 1


def test_copies_within_one_run_keep_the_earliest_as_original(tmp_path, coder):
    arts = corpus()
    root = tmp_path / "s"
    ingest(list(reversed(arts)), root, engine="inprocess", shard_size=3)
    s = open_store(root)
    assert dict(s.sql("SELECT article_id, original_id FROM copies").values.tolist()) == {
        "flood-1-copy": "flood-1", "summit-2-copy": "summit-2"}


def test_stories_group_articles_about_one_happening(tmp_path, coder):
    root = tmp_path / "s"
    ingest(corpus(), root, engine="inprocess")
    snap = snapshot(root)
    groups: dict[str, set] = {}
    for sid, aid in snap["members"]:
        groups.setdefault(sid, set()).add(aid.split("-")[0])
    assert sorted(sorted(g) for g in groups.values()) == [["final"], ["flood"], ["summit"]]
    st = open_store(root)
    row = st.sql("SELECT * FROM stories WHERE title = 'Flood report 0'").iloc[0]
    assert row.n_articles == 5 and row.story_id == S.story_id(
        st.scalar("SELECT article_key FROM articles WHERE article_id = 'flood-0'"))
    assert "flooding" in row.why or "flood" in row.why


def test_order_shards_and_runs_do_not_change_stories_or_events_and_reingest_changes_nothing(tmp_path, coder):
    arts = corpus()
    a = tmp_path / "a"
    ingest(arts, a, engine="inprocess", shard_size=4)
    base = snapshot(a)
    assert base["stories"] and base["events"] and base["copies"]
    # another order and another number of shards
    b = tmp_path / "b"
    ingest(list(reversed(arts)), b, engine="inprocess", shard_size=3)
    assert snapshot(b) == base
    # day by day, in separate runs (each new day joins the stories already stored)
    c = tmp_path / "c"
    for day in sorted({x.date for x in arts}):
        ingest([x for x in arts if x.date == day], c, engine="inprocess")
    assert snapshot(c) == base
    # re-ingest: nothing new, same generation, same rows
    gen = open_store(a).dedup_status()["generation"]
    r = ingest(list(reversed(arts)), a, engine="inprocess", shard_size=7)
    assert r.articles == 0 and r.copies == 0
    assert open_store(a).dedup_status()["generation"] == gen
    assert snapshot(a) == base


def test_views_work_on_a_store_deduplicated_before_the_layers_existed(tmp_path, coder):
    """Old generations lack the new columns: they read as NULL, never a binder error."""
    import pyarrow.parquet as pq

    root = tmp_path / "s"
    ingest(corpus(), root, engine="inprocess")
    s = open_store(root)
    for p in s.files()["events"]:
        t = pq.read_table(p, partitioning=None)
        pq.write_table(t.drop_columns(["story_id", "why", "merge_confidence", "num_stories"]), p)
    s.close()
    from communique.store.core import Store

    old = Store(root, create=False, check=False)
    assert old.scalar("SELECT count(*) FROM events WHERE story_id IS NULL AND why IS NULL") == \
        old.scalar("SELECT count(*) FROM events") > 0


def test_query_stories_and_events_of_a_story(tmp_path, coder):
    root = tmp_path / "s"
    ingest(corpus(), root, engine="inprocess")
    runner = CliRunner()
    res = runner.invoke(app, ["query", "stories", "--store", str(root), "--format", "jsonl", "--actor", "Rivera"])
    assert res.exit_code == 0, res.output
    import json

    rows = [json.loads(x) for x in res.output.splitlines() if x.strip()]
    assert [r["title"] for r in rows] == ["Flood report 0"]
    sid = rows[0]["story_id"]
    res = runner.invoke(app, ["query", "events", "--store", str(root), "--story", sid, "--format", "tsv"])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    header = lines[0].split("\t")
    names = {ln.split("\t")[header.index("source_name")] for ln in lines[1:]}
    assert names == {"Rivera"}


def test_name_variants_within_a_story_are_one_referent_codes_and_kb_ids_only_when_equal():
    from communique.store.dedup import same_referent

    assert same_referent("name:23 somalian pirates", "name:23 pirates")
    assert same_referent("name:academy of motion picture arts and sciences",
                         "name:academy of motion pictures arts and sciences")
    assert not same_referent("name:xi jinping", "name:alexander lukashenko")
    assert not same_referent("code:CHNGOV", "code:CHN")
    assert not same_referent("kb:Q1", "kb:Q2")


def test_copies_need_enough_words_and_similar_shingles():
    from communique.store import copies as C

    base = " ".join(f"word{i}" for i in range(80))
    near = base + " extra words appended at the very end of it"
    other = " ".join(f"term{i}" for i in range(80))
    found = C.find_copies([{"key": "b", "id": "b", "date": "2025-01-02", "text": near},
                           {"key": "a", "id": "a", "date": "2025-01-01", "text": base},
                           {"key": "c", "id": "c", "date": "2025-01-01", "text": other},
                           {"key": "s", "id": "s", "date": "2025-01-01", "text": "word1 word2 word3"}])
    assert list(found) == ["b"] and found["b"]["copy_of"] == "a" and found["b"]["kind"] == "near"
    assert C.similarity(C.signature(base), C.signature(base.replace(" ", "  "))) == 1.0


def spread() -> list[Article]:
    """The three topics over two months, with gaps longer than the stories' window (so stories
    close, and one topic makes several stories), no copies."""
    rng = random.Random(11)
    arts = []
    for t_i, (topic, (story, meeting)) in enumerate(TOPICS.items()):
        day = 1 + t_i
        for k in range(9):
            words = story.split()
            rng.shuffle(words)
            own = " ".join("".join(rng.choice("bcdfghjklmnpqrstvwz") + rng.choice("aeiou") for _ in range(3))
                           for _ in range(12))
            d = f"2025-{4 + (day - 1) // 30:02d}-{1 + (day - 1) % 30:02d}"
            arts.append(Article(text=f"{' '.join(words)}. {meeting} on {d}. Witnesses described {own}.",
                                id=f"{topic}-{k}", date=d, title=f"{topic.title()} report {k}", source=f"outlet{k % 4}",
                                origin=f"mem:{topic}-{k}"))
            day += 2 if k % 3 else 12      # every third article after a gap of 12 days: a new story
    return arts


def story_work(root, what: str = "story_work") -> dict:
    import json

    from communique.store.catalog import DEDUP, current_generation

    gen = current_generation(root)
    return json.loads((root / DEDUP / gen / "manifest.json").read_text())[what]


def every_event_and_link(root) -> dict:
    """Events (every column but the times of ingest) and links, as lists of tuples."""
    s = open_store(root)
    try:
        ev = s.sql("SELECT * EXCLUDE (first_added, last_added) FROM events ORDER BY event_id")
        return {"events": [tuple(map(str, r)) for r in ev.values.tolist()],
                "links": sorted(map(tuple, s.sql("SELECT mention_id, event_id, article_key FROM links").values.tolist())),
                "state": sorted(map(tuple, s.sql("SELECT mention_id, source_key, target_key, event_date FROM "
                                                 "event_state").astype(str).values.tolist()))}
    finally:
        s.close()


def test_incremental_stories_equal_a_full_grouping_and_restart_where_the_changes_start(tmp_path, coder):
    arts = spread()
    full = tmp_path / "full"
    ingest(arts, full, engine="inprocess")
    base = snapshot(full)
    assert story_work(full)["incremental"] is False and story_work(full)["assigned"] == len(arts)
    assert len(base["stories"]) >= 6          # the gaps split each topic into stories
    # in date order, three runs: each later run starts from the stored state
    by_date = sorted(arts, key=lambda a: a.date)
    inc = tmp_path / "inc"
    for i, part in enumerate((by_date[:10], by_date[10:20], by_date[20:])):
        ingest(part, inc, engine="inprocess")
        work = story_work(inc)
        assert work["incremental"] is (i > 0) and work.get("bounded", False) is (i > 0)
    assert snapshot(inc) == base
    # events too: the last run recomputed only the events of the stories it changed, kept the others
    # as stored, and the result is every event and link of the full run
    ew = story_work(inc, "event_work")
    n_mentions = open_store(full).scalar("SELECT count(*) FROM mentions")
    assert ew["incremental"] is True and 0 < ew["mentions"] <= n_mentions
    assert story_work(full, "event_work")["incremental"] is False
    assert every_event_and_link(inc) == every_event_and_link(full)
    # the last run re-read only the articles of the stories still open, not the store
    assert work["kept"] > 0 and work["assigned"] == len(by_date) - 20
    assert work["assigned"] + work["replayed"] < len(arts)
    # articles dated before stored ones (a late batch of old news) restart from their place only
    late = tmp_path / "late"
    old = [a for a in by_date if a.date < "2025-04-20"]
    ingest([a for a in by_date if a not in old[-4:]], late, engine="inprocess")
    ingest(old[-4:], late, engine="inprocess")
    assert snapshot(late) == base
    work = story_work(late)
    assert work["incremental"] is True and 0 < work["assigned"] < len(arts)
    # re-ingest and a forced de-duplication change nothing
    ingest(arts, late, engine="inprocess")
    assert every_event_and_link(late) == every_event_and_link(full)
    s = open_store(late)
    s.deduplicate(force=True)
    s.close()
    assert snapshot(late) == base
    assert every_event_and_link(late) == every_event_and_link(full)


def test_an_undated_article_joins_the_dated_story_of_its_happening(tmp_path, coder):
    """Many pages carry no date: an undated report of the flood belongs to the flood's story (not
    to a story of undated pages), in whatever order the articles come; while undated articles are
    stored, one pass groups the store and the run says so."""
    arts = spread()
    flood = [a for a in arts if a.id.startswith("flood")][:2]
    words = TOPICS["flood"][0].split()
    random.Random(3).shuffle(words)
    # the flood's words, a sentence of its own: a report of the same happening, not a copy
    undated = Article(text=f"{' '.join(words)}. Residents said the water rose overnight near the old mill bridge.",
                      id="flood-undated", date=None, title="Flood report (no date)", source="blog",
                      origin="mem:undated")
    root = tmp_path / "s"
    ingest([undated], root, engine="inprocess")
    ingest(arts, root, engine="inprocess")
    snap = snapshot(root)
    story_of = {aid: sid for sid, aid in snap["members"]}
    assert story_of["flood-undated"] in {story_of[a.id] for a in flood}
    work = story_work(root)
    assert work["incremental"] is False and work["undated"] == 1
    s = open_store(root)
    assert not s.sql("SELECT * FROM copies").shape[0]      # grouped as a story member, not as a copy
    s.close()
    other = tmp_path / "o"
    ingest([*arts, undated], other, engine="inprocess")
    assert snapshot(other) == snap


def test_the_first_article_of_a_copy_group_is_its_original_whatever_the_ingest_order(tmp_path, coder):
    """A later run's article dated before its stored near-copy becomes the original; the stored one
    becomes its copy (it was coded, but counts only as a copy), as if they came in date order."""
    arts = corpus()
    originals = [a for a in arts if not a.id.endswith("-copy")]
    copies = [a for a in arts if a.id.endswith("-copy")]
    fwd = tmp_path / "fwd"
    ingest(originals, fwd, engine="inprocess")
    ingest(copies, fwd, engine="inprocess")
    rev = tmp_path / "rev"
    ingest(copies + [a for a in originals if a.id not in ("flood-1", "summit-2")], rev, engine="inprocess")
    assert "flood-1-copy" in coder.coded                   # stored first: it was the original, and coded
    r = ingest([a for a in originals if a.id in ("flood-1", "summit-2")], rev, engine="inprocess")
    assert r.copies == 2
    s = open_store(rev)
    assert sorted(s.sql("SELECT article_id, original_id, kind FROM copies").values.tolist()) == [
        ["flood-1-copy", "flood-1", "near"], ["summit-2-copy", "summit-2", "near"]]
    # its mentions are kept but belong to no event: it counts through its original
    assert s.scalar("SELECT count(*) FROM event_mentions m JOIN articles a USING (article_key) "
                    "WHERE a.article_id = 'flood-1-copy' AND m.event_id IS NULL") > 0
    s.close()
    assert snapshot(rev) == snapshot(fwd)
    from communique.store.verify import verify

    assert verify(rev).problems == []


def test_repair_rebuilds_lost_copies_signatures_and_stories_from_the_store(tmp_path, coder):
    """A lost copies or signatures file is rebuilt from the stored texts (nothing is re-coded or
    lost); lost story files are recomputed: the store is as before."""
    from communique.store.repair import repair
    from communique.store.verify import verify

    arts = corpus()
    root = tmp_path / "s"
    ingest([a for a in arts if not a.id.endswith("-copy")], root, engine="inprocess")
    ingest([a for a in arts if a.id.endswith("-copy")], root, engine="inprocess")
    before = snapshot(root)
    s = open_store(root)
    files = s.files()
    sig_count = s.scalar("SELECT count(*) FROM signatures")
    s.close()
    for t in ("copies", "signatures", "stories", "story_state"):
        for p in files[t]:
            Path(p).unlink()
    assert verify(root).problems
    rep = repair(root, recover=None)
    assert rep.lost == [] and rep.recoded == []
    assert verify(root).problems == []
    assert snapshot(root) == before
    s = open_store(root)
    assert s.scalar("SELECT count(*) FROM signatures") == sig_count
    s.close()


def _wire_copy(orig: Article) -> Article:
    """The same text, byte for byte, from another outlet under its own URL."""
    return Article(text=orig.text, id=orig.id + "-wire", date=orig.date, title="Wire: " + orig.title,
                   source="wire", url="https://wire.example/" + orig.id, origin="mem:wire")


def test_the_same_text_from_another_outlet_is_a_copy_in_either_order_and_the_same_article_again_is_skipped(
        tmp_path, coder):
    from communique.store.verify import verify

    orig = corpus()[1]
    dup = _wire_copy(orig)
    fwd = tmp_path / "fwd"
    ingest([orig], fwd, engine="inprocess")
    r = ingest([dup], fwd, engine="inprocess")          # a separate run: the original is only in the store
    assert r.copies == 1 and r.skipped == 0
    assert coder.coded == [orig.id]                    # the copy was not coded
    s = open_store(fwd)
    assert s.sql("SELECT article_id, original_id, kind FROM copies").values.tolist() == [
        [dup.id, orig.id, "exact"]]
    assert s.scalar("SELECT count(*) FROM articles") == 2
    assert s.sql("SELECT num_mentions, num_articles, num_sources FROM events").values.tolist() == [[2, 2, 2]]
    s.close()
    # the other order: the wire's article is stored (and coded) first; the outlet's, which comes
    # first in the canonical order (same day, smaller id), is the original all the same
    rev = tmp_path / "rev"
    ingest([dup], rev, engine="inprocess")
    ingest([orig], rev, engine="inprocess")
    assert snapshot(rev) == snapshot(fwd)
    # both in one run, in either order
    one = tmp_path / "one"
    ingest([dup, orig], one, engine="inprocess")
    assert snapshot(one) == snapshot(fwd)
    # the same articles again (and one repeated within the run): nothing changes
    before, gen = snapshot(fwd), open_store(fwd).dedup_status()["generation"]
    r = ingest([orig, dup, orig], fwd, engine="inprocess")
    assert (r.articles, r.copies, r.skipped) == (0, 0, 3)
    assert snapshot(fwd) == before and open_store(fwd).dedup_status()["generation"] == gen
    for root in (fwd, rev, one):
        assert verify(root).problems == []


def test_a_store_keyed_by_text_alone_is_read_and_re_ingest_still_skips_its_articles(tmp_path, coder, monkeypatch):
    """Stores written before identities were in keys (key = hash of the text): ingesting their
    articles again changes nothing, and the same text from another outlet becomes a copy."""
    from communique.store import rows as R
    from communique.store.verify import verify

    arts = [a for a in corpus() if not a.id.endswith("-copy")]
    root = tmp_path / "old"
    with monkeypatch.context() as m:
        m.setattr(R, "identity", lambda *a, **k: None)     # the old key: the text hash alone
        ingest(arts, root, engine="inprocess")
    s = open_store(root)
    assert s.scalar("SELECT article_key FROM articles WHERE article_id = 'flood-1'") == R.content_id(arts[1].text)
    s.close()
    before = snapshot(root)
    r = ingest(arts, root, engine="inprocess")
    assert (r.articles, r.copies, r.skipped) == (0, 0, len(arts))
    assert snapshot(root) == before
    r = ingest([_wire_copy(arts[1])], root, engine="inprocess")
    assert r.copies == 1
    s = open_store(root)
    assert s.sql("SELECT article_id, original_id, kind FROM copies").values.tolist() == [
        ["flood-1-wire", "flood-1", "exact"]]
    s.close()
    assert verify(root).problems == []


def test_an_article_key_is_its_text_and_identity():
    from communique.store.rows import article_key, content_id, key_of, legacy_alias

    text = "Alpha met Beta in the capital."
    assert article_key(text) == content_id(text) == key_of(Article(text=text))   # bare text: the old key
    by_url = article_key(text, "a1", "https://x.example/1", "x")
    assert by_url == key_of(Article(text=text, id="other", url="https://x.example/1"))   # the URL decides
    assert by_url != article_key(text, "a1", "https://y.example/1", "x")
    assert article_key(text, "a1", None, "x") != article_key(text, "a1", None, "y") != content_id(text)
    # a stored row of an old store (key = text hash) maps to the key its article has now
    assert legacy_alias(content_id(text), "a1", None, "x") == article_key(text, "a1", None, "x")
    assert legacy_alias(content_id(text), content_id(text), None, None) is None


def test_incremental_events_recompute_only_the_blocks_of_changed_stories_and_equal_a_full_run(tmp_path, coder):
    arts = corpus()
    full = tmp_path / "full"
    ingest(arts, full, engine="inprocess")
    inc = tmp_path / "inc"
    for day in sorted({a.date for a in arts}):
        ingest([a for a in arts if a.date == day], inc, engine="inprocess")
    ew = story_work(inc, "event_work")
    n_mentions = open_store(full).scalar("SELECT count(*) FROM mentions")
    # the last day brings one report of the football final: only that meeting's mentions are
    # clustered again, the flood's and the summit's events are copied as they were
    assert ew["incremental"] is True and 0 < ew["mentions"] < n_mentions and ew["events_kept"] > 0
    assert every_event_and_link(inc) == every_event_and_link(full)
    assert snapshot(inc) == snapshot(full)
    from communique.store.verify import verify

    assert verify(inc).problems == []


def test_a_new_report_reopens_only_the_date_windows_near_it_and_the_result_equals_a_full_run(tmp_path, coder):
    # one dyad reported in unrelated articles (each its own story) on days 1-5, 10, 11 and 20 of May:
    # its windows are {1,2} {3,4} {5} {10,11} {20}
    def art(date: str) -> Article:
        rng = random.Random(date)
        own = " ".join("".join(rng.choice("bcdfghjklmnpqrstvwz") + rng.choice("aeiou") for _ in range(3))
                       for _ in range(40))
        return Article(text=f"Witnesses described {own}. Rivera met Okafor on that day.", id=f"r{date}",
                       date=date, title=f"Report {date}", source="outlet", origin=f"mem:{date}")

    may = [f"2025-05-{d:02d}" for d in (1, 2, 3, 4, 5, 10, 11, 20)]
    inc = tmp_path / "inc"
    for d in may:
        ingest([art(d)], inc, engine="inprocess")
    # 15 May is more than a day from every other report: it alone is clustered
    ingest([art("2025-05-15")], inc, engine="inprocess")
    ew = story_work(inc, "event_work")
    assert ew["incremental"] is True and ew["mentions"] == 1
    # a late report of 30 April shifts every window up to the gap after 5 May ({30,1} {2,3} {4,5}):
    # those six days are clustered again, the events of 10-11, 15 and 20 May are kept as they were
    ingest([art("2025-04-30")], inc, engine="inprocess")
    ew = story_work(inc, "event_work")
    assert ew["incremental"] is True and ew["mentions"] == 6 and ew["events_kept"] == 3
    full = tmp_path / "full"
    ingest([art(d) for d in [*may, "2025-05-15", "2025-04-30"]], full, engine="inprocess")
    assert every_event_and_link(inc) == every_event_and_link(full)
    s = open_store(full)
    try:
        assert sorted(s.sql("SELECT date, num_articles FROM events").astype(str).values.tolist()) == [
            ["2025-04-30", "2"], ["2025-05-02", "2"], ["2025-05-04", "2"], ["2025-05-10", "2"], ["2025-05-15", "1"],
            ["2025-05-20", "1"]]
    finally:
        s.close()


def test_a_generation_carries_over_the_months_no_change_reaches_and_collects_only_unreferenced_files(tmp_path, coder):
    import json

    from communique.store.catalog import DEDUP, Catalog, current_generation, generation_files
    from communique.store.verify import verify

    def art(date: str, who: str) -> Article:
        rng = random.Random(date + who)
        own = " ".join("".join(rng.choice("bcdfghjklmnpqrstvwz") + rng.choice("aeiou") for _ in range(3))
                       for _ in range(40))
        return Article(text=f"Witnesses described {own}. {who} on that day.", id=f"r{date}{who[:3]}",
                       date=date, title=f"Report {date}", source="outlet", origin=f"mem:{date}{who}")

    jan = [art(f"2025-01-{d:02d}", "Rivera met Okafor") for d in (3, 4, 20)]
    may = [art(f"2025-05-{d:02d}", "Lukas met Chen") for d in (6, 7)]
    late = [art("2025-05-08", "Lukas met Chen"), art("2025-05-20", "Rivera met Okafor")]
    inc = tmp_path / "inc"
    ingest(jan + may, inc, engine="inprocess")
    first = current_generation(inc)
    ingest(late, inc, engine="inprocess")
    gen = current_generation(inc)
    m = json.loads((inc / DEDUP / gen / "manifest.json").read_text())
    # January holds no changed event or story: its events, links, saved state, stories and their
    # members are the first generation's files, named by the new manifest (with their checksums);
    # May is written again
    tables = ("events", "links", "event_state", "stories", "story_articles")
    jan_files = {t: [p for p in m["files"][t] if "month=1/" in p] for t in tables}
    assert all(ps and all(p.startswith(f"{DEDUP}/{first}/") for p in ps) for ps in jan_files.values())
    may_files = [p for t in tables for p in m["files"][t] if "month=5/" in p]
    assert may_files and all(p.startswith(f"{DEDUP}/{gen}/") for p in may_files)
    assert m["event_work"]["files_reused"] == 5
    full = tmp_path / "full"
    ingest(jan + may + late, full, engine="inprocess")
    assert every_event_and_link(inc) == every_event_and_link(full)
    assert snapshot(inc) == snapshot(full)
    # garbage collection keeps the carried-over files (and removes the first generation's others)
    gone = sorted(p.relative_to(inc).as_posix() for p in (inc / DEDUP / first).rglob("*.parquet")
                  if p.relative_to(inc).as_posix() not in generation_files(inc, gen))
    assert gone
    Catalog(inc).collect_garbage()
    assert all((inc / p).is_file() for p in generation_files(inc, gen))
    assert not any((inc / p).exists() for p in gone)
    assert not (inc / DEDUP / first / "manifest.json").exists()
    assert verify(inc).problems == []
    assert every_event_and_link(inc) == every_event_and_link(full)
    # a damaged carried-over file is found by verify and repaired (quarantined, events recomputed)
    victim = inc / jan_files["events"][0]
    victim.write_bytes(victim.read_bytes()[:-20] + b"x" * 20)
    probs = verify(inc).problems
    assert [p.where for p in probs if p.data.get("dedup")] == [jan_files["events"][0]]
    from communique.store.repair import repair

    repair(inc)
    assert verify(inc).problems == []
    assert every_event_and_link(inc) == every_event_and_link(full)


def test_a_generation_written_before_carry_over_is_read_and_its_event_state_rewritten_once(tmp_path, coder):
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from communique.store.catalog import DEDUP, current_generation, file_digest, write_json_atomic

    arts = corpus()
    early = [a for a in arts if a.date < "2025-03-08"]
    inc = tmp_path / "inc"
    ingest(early, inc, engine="inprocess")
    # as an older version left it: no layout, the event state in one file
    gen = current_generation(inc)
    mpath = inc / DEDUP / gen / "manifest.json"
    m = json.loads(mpath.read_text())
    old = m["files"]["event_state"]
    one = f"{DEDUP}/{gen}/event_state/part.parquet"
    pq.write_table(pa.concat_tables([pq.read_table(inc / p, partitioning=None) for p in old]), inc / one)
    for p in old:
        (inc / p).unlink()
        m["checksums"].pop(p)
    m.pop("layout")
    m["files"]["event_state"] = [one]
    m["checksums"][one] = file_digest(inc / one)
    write_json_atomic(mpath, m)
    ingest([a for a in arts if a not in early], inc, engine="inprocess")
    m2 = json.loads((inc / DEDUP / current_generation(inc) / "manifest.json").read_text())
    assert m2["layout"] == 2 and one not in m2["files"]["event_state"] and m2["event_work"]["files_reused"] == 0
    full = tmp_path / "full"
    ingest(arts, full, engine="inprocess")
    # every mention's state once (the old file is not carried over beside the rewritten one)
    assert every_event_and_link(inc) == every_event_and_link(full)


def test_a_batch_months_after_the_store_reads_only_its_own_weeks_and_equals_a_full_grouping(tmp_path, coder):
    """The stories layer of an incremental run reads into Python only the articles from a date
    bound before the first change (2 x SPAN_DAYS + WINDOW_DAYS + 2 days) on: a batch months later
    replays none of the stored articles; a copy of an old article (its story closed long ago)
    rewrites that story's row only; a batch of copies only regroups nothing and carries the saved
    document frequencies over. Every step equals one full ingest of the same articles."""
    import json

    from communique.store.catalog import DEDUP, current_generation

    old = spread()
    flood = TOPICS["flood"][0].split()
    rng = random.Random(7)
    later = []
    for k in range(4):
        rng.shuffle(flood)
        later.append(Article(text=f"{' '.join(flood)}. Rivera met Okafor on 2025-10-{3 + k:02d}. Residents "
                                  f"counted {k + 2} boats.", id=f"flood-late-{k}", date=f"2025-10-{3 + k:02d}",
                             title=f"Flood again {k}", source=f"outlet{k}", origin=f"mem:late-{k}"))
    copy_old = Article(text=old[0].text + "\n\n" + BOILER, id="flood-0-copy", date="2025-10-04",
                       title="COPY " + old[0].title, source="wire", origin="mem:copy0")
    copy_two = Article(text=old[10].text + "\n\n" + BOILER, id="summit-1-copy", date="2025-10-09",
                       title="COPY " + old[10].title, source="wire", origin="mem:copy1")
    inc = tmp_path / "inc"
    ingest(old, inc, engine="inprocess")
    ingest([*later, copy_old], inc, engine="inprocess")
    work = story_work(inc)
    assert work["incremental"] is True and work["bounded"] is True
    assert work["read_from"] == "2025-07-26"      # 2025-10-03 less 69 days
    assert work["assigned"] == len(later) and work["replayed"] == 0 and work["kept"] > 0
    full = tmp_path / "full"
    ingest([*old, *later, copy_old], full, engine="inprocess")
    snap = snapshot(inc)
    assert snap == snapshot(full)
    assert ("flood-0-copy", "flood-0", "near") in snap["copies"]
    assert every_event_and_link(inc) == every_event_and_link(full)
    # copies only: nothing to regroup, the saved document frequencies are carried over
    before = current_generation(inc)
    ingest([copy_two], inc, engine="inprocess")
    gen = current_generation(inc)
    m = json.loads((inc / DEDUP / gen / "manifest.json").read_text())
    assert m["files"]["story_state"] and all(p.startswith(f"{DEDUP}/{before}/") for p in m["files"]["story_state"])
    assert m["story_work"]["bounded"] is True and m["story_work"]["assigned"] == 0
    full2 = tmp_path / "full2"
    ingest([*old, *later, copy_old, copy_two], full2, engine="inprocess")
    assert snapshot(inc) == snapshot(full2)
    assert every_event_and_link(inc) == every_event_and_link(full2)
