"""Settings reach every entry point (issue 15): the one per-process pipeline cache keyed by
settings, ``ingest --set`` through the engines into the store, the calibration switch, and
``actors lookup`` printing calibrated confidence.

The engine tests use a stand-in coder (no spaCy); the tests that load the model are marked slow.
"""

from __future__ import annotations

import json
import pickle

import pytest
from typer.testing import CliRunner

from communique._pipelines import (
    PIPELINES,
    PipelineCache,
    PipelineSpec,
    pipeline_settings,
    settings_key,
)
from communique.cli import app
from communique.engines import ingest
from communique.errors import SettingsError
from communique.records import Actor, Article, ArticleMeta, Coder, Record, Span
from communique.store import open_store


class SettingsCoder:
    """A stand-in coder that codes one actor per article and records the settings it was built with."""

    def __init__(self, config: dict | None = None):
        self.config = dict(config or {})
        self.coder = Coder(communique="test", spacy="-", model="-", settings=self._settings())

    def _settings(self) -> dict:
        out: dict = {}
        for key, value in self.config.items():
            stage, _, setting = key.partition(".")
            out.setdefault(stage, {})[setting] = value
        return out

    def code_articles(self, arts):
        for art in arts:
            yield Record(article=ArticleMeta(id=art.id, date=art.date), coder=self.coder,
                         actors=[Actor(id="a1", span=Span(start=0, end=5, text=art.text[:5]), name="Alpha", kind="person",
                                       confidence=0.5)])


FACTORY = f"{__name__}:SettingsCoder"


def _articles(n: int) -> list[Article]:
    return [Article(text=f"Alpha spoke on day {i}.", id=f"a{i}", date="2025-08-01", origin=f"mem:{i}")
            for i in range(n)]


# -- the cache ------------------------------------------------------------------------------------
def test_the_cache_key_holds_the_settings_in_canonical_form():
    plain = PipelineSpec()
    a = PipelineSpec(config={"times.future_bias": 3})
    b = PipelineSpec(config={"times": {"future_bias": 3}})
    c = PipelineSpec(config={"times.future_bias": 4})
    assert a.key() == b.key()
    assert len({plain.key(), a.key(), c.key()}) == 3
    assert settings_key({"communique_times.window": 20}) == settings_key({"times": {"window": 20}})


def test_different_settings_never_share_a_pipeline_and_equal_ones_do():
    cache = PipelineCache()
    built = []

    def build():
        built.append(object())
        return built[-1]

    p1 = cache.get_or_build(PipelineSpec(config={"times.future_bias": 3}), build)
    p2 = cache.get_or_build(PipelineSpec(config={"times": {"future_bias": 3}}), build)
    p3 = cache.get_or_build(PipelineSpec(config={"times.future_bias": 5}), build)
    assert p1 is p2 and p3 is not p1
    assert len(built) == 2 and len(cache) == 2


def test_a_failed_build_leaves_nothing_in_the_cache():
    cache = PipelineCache()
    spec = PipelineSpec(config={"times.window": 9})

    def broken():
        raise OSError("model missing")

    with pytest.raises(OSError):
        cache.get_or_build(spec, broken)
    assert spec.key() not in cache
    assert cache.get_or_build(spec, lambda: "ok") == "ok"


def test_get_pipeline_and_the_workers_share_the_one_cache(monkeypatch):
    from communique.engines.work import get_worker_pipeline
    from communique.pipeline import get_pipeline

    stand_in = object()
    monkeypatch.setitem(PIPELINES, PipelineSpec(config={"times.window": 7}).key(), stand_in)
    assert get_pipeline(config={"times": {"window": 7}}) is stand_in
    assert get_worker_pipeline(PipelineSpec(config={"times.window": 7})) is stand_in


def test_the_spec_ships_settings_as_plain_data():
    spec = PipelineSpec(kb=("x.tsv",), config={"times.future_bias": 3, "calibration.enabled": False})
    back = pickle.loads(pickle.dumps(spec))
    assert back == spec and back.key() == spec.key()
    assert json.loads(json.dumps(back.config)) == back.config


# -- pipeline settings ----------------------------------------------------------------------------
def test_calibration_can_be_switched_off_and_bad_values_are_named():
    assert pipeline_settings(None) == {"calibration": {"enabled": True}}
    assert pipeline_settings({"calibration.enabled": False}) == {"calibration": {"enabled": False}}
    with pytest.raises(SettingsError, match="calibration.enabled"):
        pipeline_settings({"calibration.enabled": "no"})
    with pytest.raises(SettingsError, match="no setting 'strength'"):
        pipeline_settings({"calibration.strength": 2})


def test_check_settings_names_unknown_stages_and_settings_without_loading_the_model():
    from communique.pipeline import check_settings

    assert check_settings({"times.future_bias": 3, "calibration.enabled": False}) == {"times": {"future_bias": 3}}
    with pytest.raises(SettingsError, match="no stage called 'tims'"):
        check_settings({"tims.future_bias": 3})
    with pytest.raises(SettingsError, match="has no setting 'bias'"):
        check_settings({"times.bias": 3})


# -- ingest --set ---------------------------------------------------------------------------------
def _stored_settings(root) -> list:
    s = open_store(root)
    return [json.loads(v) if v is not None else None
            for (v,) in s.con.execute("SELECT coder_settings FROM articles ORDER BY article_id").fetchall()]


def test_ingest_in_process_codes_with_the_settings_and_the_store_keeps_them(tmp_path):
    config = {"times.future_bias": 3, "calibration.enabled": False}
    rep = ingest(_articles(3), tmp_path / "s", engine="inprocess", factory=FACTORY, config=config, copies=False)
    assert rep.articles == 3
    assert _stored_settings(tmp_path / "s") == [{"calibration": {"enabled": False}, "times": {"future_bias": 3}}] * 3


def test_ingest_in_worker_processes_builds_each_pipeline_with_the_settings(tmp_path):
    config = {"times.window": 20}
    rep = ingest(_articles(4), tmp_path / "s", engine="processes", workers=2, shard_size=2, factory=FACTORY,
                 config=config, copies=False)
    assert rep.articles == 4 and rep.engine == "processes"
    assert _stored_settings(tmp_path / "s") == [{"times": {"window": 20}}] * 4


@pytest.mark.slow
def test_ingest_on_a_dask_cluster_ships_the_settings_to_every_worker(tmp_path):
    # the spec travels to the Dask workers as plain data: each worker must build its pipeline with
    # the settings, or the stored articles would say the defaults coded them
    pytest.importorskip("distributed")
    config = {"times.window": 20, "calibration.enabled": False}
    rep = ingest(_articles(4), tmp_path / "s", engine="dask", workers=2, shard_size=2, factory=FACTORY,
                 config=config, copies=False)
    assert rep.articles == 4 and rep.engine == "dask"
    assert _stored_settings(tmp_path / "s") == [{"calibration": {"enabled": False}, "times": {"window": 20}}] * 4


def test_ingest_refuses_an_unknown_setting_before_coding(tmp_path):
    with pytest.raises(SettingsError, match="has no setting 'bias'"):
        ingest(_articles(1), tmp_path / "s", engine="inprocess", config={"times.bias": 3})
    res = CliRunner().invoke(app, ["ingest", "x.jsonl", "--store", str(tmp_path / "t"), "--set", "times.bias=3"])
    assert res.exit_code != 0 and "has no setting 'bias'" in res.output


def test_settings_lists_the_calibration_switch():
    res = CliRunner().invoke(app, ["settings"])
    assert res.exit_code == 0
    assert "calibration.enabled=true" in res.output and "times.future_bias=" in res.output


# -- with the model -------------------------------------------------------------------------------
@pytest.mark.slow
def test_records_say_when_calibration_is_off(pipeline):
    from communique.pipeline import get_pipeline

    text = "President Alexander Lukashenko met Chinese Foreign Minister Wang Yi in Minsk on Friday."
    on = pipeline.code_text(text, date="2025-08-29")
    off = get_pipeline(config={"calibration.enabled": False}).code_text(text, date="2025-08-29")
    assert on.coder.settings["calibration"] == {"enabled": True} and "calibration.json" in on.coder.kb
    assert off.coder.settings["calibration"] == {"enabled": False} and "calibration.json" not in off.coder.kb
    assert [a.span for a in on.actors] == [a.span for a in off.actors] and on.actors
    # raw stage scores differ from the calibrated probabilities
    assert [a.confidence for a in on.actors] != [a.confidence for a in off.actors]


@pytest.mark.slow
def test_actors_lookup_prints_the_calibrated_confidence(pipeline):
    from communique.calibration import probability
    from communique.cli.actors import lookup

    res = lookup("President Lukashenko", "2025-08-29")
    (m, *_) = res["mentions"]
    assert m["calibrated"] is True
    cal = pipeline.calibration
    group = "country" if m["country"] else "none"
    expected = probability("actors", cal.fields["actors"], m["stage_score"], group)
    assert m["confidence"] == round(expected, 2)
    text = CliRunner().invoke(app, ["actors", "lookup", "President Lukashenko", "--date", "2025-08-29"]).output
    assert "calibrated probability" in text and f"confidence {m['confidence']:.2f}" in text
