"""Calibrated confidence: the isotonic fit, ECE, the data file and the step applied to records."""

from __future__ import annotations

import json

import pytest

from communique.calibration import (
    FIELDS,
    FieldMap,
    calibrate,
    ece,
    fit_map,
    load_calibration,
    pav,
    reliability,
    time_shape,
)
from communique.errors import KnowledgeBaseError
from communique.records import Actor, Event, Place, Plover, Quote, SentenceSpan, Span, Speaker, Time


def test_pav_pools_violators_and_keeps_weighted_means():
    blocks = pav([1, 2, 3, 4], [1, 0, 1, 1])
    # 1 then 0 violate order and pool to 0.5; the two 1s pool (equal rates are one block)
    assert blocks == [(1.0, 2.0, 0.5, 2.0), (3.0, 4.0, 1.0, 2.0)]
    ys = [0, 1, 0, 0, 1, 1, 0, 1]
    blocks = pav(list(range(8)), ys)
    assert all(a[2] < b[2] and a[1] < b[0] for a, b in zip(blocks, blocks[1:], strict=False))
    assert sum(y * w for _, _, y, w in blocks) == pytest.approx(sum(ys))


def test_pav_gives_equal_raw_scores_one_value():
    blocks = pav([0.5, 0.5, 0.5, 0.9], [1, 0, 0, 1])
    assert blocks[0][:2] == (0.5, 0.5) and blocks[0][2] == pytest.approx(1 / 3) and blocks[0][3] == 3


def test_fit_map_shrinks_small_blocks_and_is_strictly_increasing():
    xs, ps = fit_map([0.1, 0.2, 0.3, 0.9], [0, 0, 1, 1], prior=0.5, strength=2.0)
    assert 0.0 < ps[0] < 0.5 < ps[-1] < 1.0          # no block of two claims certainty
    assert all(a < b for a, b in zip(ps, ps[1:], strict=False))
    # one block is a step over its raw scores that still rises a little (findings keep their order)
    xs, ps = fit_map([0.1, 0.5, 0.9], [1, 0, 0], prior=0.5, strength=0.0)
    assert xs == [0.1, 0.9] and ps[0] == pytest.approx(1 / 3) and ps[0] < ps[1] < ps[0] + 0.01


def test_ece_is_zero_when_calibrated_and_the_gap_when_not():
    assert ece([0.25] * 4 + [0.75] * 4, [1, 0, 0, 0, 1, 1, 1, 0]) == pytest.approx(0.0)
    assert ece([1.0] * 4, [1, 0, 1, 0]) == pytest.approx(0.5)
    rows = reliability([0.05, 0.95, 0.99], [0, 1, 0])
    assert [(r["lo"], r["n"]) for r in rows] == [(0.0, 1), (0.9, 2)] and rows[1]["accuracy"] == 0.5


def test_field_map_interpolates_keeps_order_and_falls_back_to_star():
    fm = FieldMap({"*": ((0.2, 0.6), (0.3, 0.7)), "direct|coded": ((0.0,), (0.9,))})
    assert fm(0.4, "*") == pytest.approx(0.5)
    assert fm(0.4, "no such group") == pytest.approx(0.5)
    assert fm(0.0, "direct|coded") == pytest.approx(0.9)
    # outside the fitted range the map still rises, and stays in [0, 1]
    assert fm(0.1, "*") < fm(0.2, "*") < fm(0.6, "*") < fm(0.9, "*")
    assert 0.0 <= fm(-50, "*") <= fm(50, "*") <= 1.0


def test_shipped_calibration_covers_every_field():
    cal = load_calibration()
    assert set(cal.fields) == set(FIELDS)
    assert cal.version and cal.fitted and cal.sets


@pytest.mark.parametrize(("content", "flaw"), [
    ("{not json", "not valid JSON"),
    (json.dumps({"version": "1", "fitted": "x", "sets": []}), "no 'fields'"),
    (json.dumps({"version": "1", "fitted": "x", "sets": [], "fields": {"events": {"groups": {}}}}), "'*'"),
    (json.dumps({"version": "1", "fitted": "x", "sets": [],
                 "fields": {"events": {"groups": {"*": {"x": [0.1, 0.5], "p": [0.6, 0.4]}}}}}), "non-decreasing"),
    (json.dumps({"version": "1", "fitted": "x", "sets": [],
                 "fields": {"events": {"groups": {"*": {"x": [0.1], "p": [1.4]}}}}}), "[0, 1]"),
    (json.dumps({"version": "1", "fitted": "x", "sets": [], "fields": {"tone": {"groups": {}}}}), "unknown field"),
])
def test_broken_calibration_file_raises_naming_file_and_fix(tmp_path, content, flaw):
    path = tmp_path / "calibration.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_calibration(path)
    msg = str(err.value)
    assert str(path) in msg and flaw in msg and "scripts/calibrate.py" in msg


def test_missing_calibration_file_raises(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="cannot be read"):
        load_calibration(tmp_path / "nope.json")


def test_time_shape_collapses_digits():
    assert time_shape("2025-06-01") == "9-9-9" and time_shape("P3D") == "P9D"
    assert time_shape("PRESENT_REF") == "PRESENT_REF"


def _parts():
    sp = Span(start=0, end=2, text="he")
    ev = [Event(id=f"e{i}", sentence=SentenceSpan(start=0, end=9), trigger=sp, cameo="040", cameo_root="04",
                plover=Plover(event="CONSULT"), goldstein=1.0, quad_class=1, confidence=c)
          for i, c in enumerate((0.31, 0.3, 0.97, 0.05))]
    return {
        "actors": [Actor(id="a1", span=sp, name="he", kind="person", confidence=0.4)],
        "events": ev,
        "quotes": [Quote(id="q1", span=sp, type="direct", speaker=Speaker(span=sp, name="Xi", code="CHNGOV")),
                   Quote(id="q2", span=sp, type="indirect", speaker=Speaker())],
        "places": [Place(id="p1", span=sp, name="Minsk", lat=53.9, lon=27.6, feature="city")],
        "times": [Time(id="t1", span=sp, value="2025-08-29", type="DATE")],
    }


def test_calibrate_gives_every_finding_a_probability_and_keeps_event_order():
    cal = load_calibration()
    parts = _parts()
    raw = [e.confidence for e in parts["events"]]
    before = {k: [i.model_dump(exclude={"confidence"}) for i in v] for k, v in parts.items()}
    calibrate(parts, cal)
    for name in FIELDS:
        for item in parts[name]:
            assert item.confidence is not None and 0.0 <= item.confidence <= 1.0
    new = [e.confidence for e in parts["events"]]
    assert sorted(range(4), key=raw.__getitem__) == sorted(range(4), key=new.__getitem__)
    assert len(set(new)) == 4
    # a quote with a coded speaker and one without any speaker are not equally likely right
    assert parts["quotes"][0].confidence != parts["quotes"][1].confidence
    assert {k: [i.model_dump(exclude={"confidence"}) for i in v] for k, v in parts.items()} == before


def test_calibrate_without_a_calibration_leaves_raw_scores():
    parts = _parts()
    calibrate(parts, None)
    assert [e.confidence for e in parts["events"]] == [0.31, 0.3, 0.97, 0.05]
    assert parts["quotes"][0].confidence is None


@pytest.mark.slow
def test_pipeline_records_carry_calibrated_confidence_and_its_version(belta_record):
    cal = load_calibration()
    assert belta_record.coder.kb["calibration.json"] == cal.version
    found = 0
    for name in FIELDS:
        for item in getattr(belta_record, name):
            assert item.confidence is not None and 0.0 <= item.confidence <= 1.0
            found += 1
    assert belta_record.events and belta_record.quotes and belta_record.places and belta_record.times
    assert found > 20
