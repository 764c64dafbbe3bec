"""Scorers follow the gold README's definitions; hand-computed expectations."""

from __future__ import annotations

import pytest

from communique.evaluate.scorers import (
    haversine_km,
    score_actor_cases,
    score_events,
    score_places,
    score_quotes,
    score_times,
)


def sp(s, e, text=""):
    return {"start": s, "end": e, "text": text}


def ev(root, conf, src=None, tgt=None):
    return {"cameo": root + "0", "cameo_root": root, "quad_class": 1, "confidence": conf,
            "source": src, "target": tgt}


def test_events_top_confidence_decides_penta_and_none_is_wrong():
    gold = [
        {"text": "a", "penta": 4, "events": [{"cameo": "190", "source": None, "target": None}]},
        {"text": "b", "penta": 0, "events": [{"cameo": "010", "source": None, "target": None}]},
        {"text": "c", "penta": 3, "events": [{"cameo": None, "source": None, "target": None}]},
    ]
    pred = [
        {"events": [ev("01", 0.3), ev("19", 0.9)]},   # top is 19 -> class 4: right
        {"events": [ev("01", 0.5), ev("04", 0.5)]},   # tie -> earliest (01) -> class 0: right
        {"events": []},                                # none -> wrong
    ]
    m = score_events(gold, pred)
    assert m["penta_acc"] == pytest.approx(2 / 3)
    assert m["cameo_root_acc"] == 1.0 and m["cameo_root_n"] == 2
    assert m["detection_recall"] == pytest.approx(2 / 3)


def test_event_participant_country_by_overlapping_span():
    g = {"text": "Russia attacked Ukraine.", "penta": 4,
         "events": [{"cameo": "190", "source": {"start": 0, "end": 6, "country": "RUS"},
                     "target": {"start": 16, "end": 23, "country": "UKR"}}]}
    p = {"events": [ev("19", 0.9, {"span": sp(0, 6), "country": "RUS"}, {"span": sp(16, 23), "country": "RUS"})]}
    m = score_events([g], [p])
    assert m["src_country"] == 1.0 and m["tgt_country"] == 0.0
    assert m["src_span_top"] == 1.0 and m["tgt_span_top"] == 1.0


def test_quotes_matching_speaker_and_types():
    text = 'Lukashenko said: "We are friends of China." Xi noted that ties thrive.'
    gold = [{"text": text, "quotes": [
        {"content": [sp(18, 42, "We are friends of China.")], "source": sp(0, 10, "Lukashenko"),
         "speaker_name": None, "direct": True},
        {"content": [sp(58, 70, "ties thrive.")], "source": sp(44, 46, "Xi"), "speaker_name": None,
         "direct": False},
    ]}]
    pred = [{"quotes": [
        {"span": sp(18, 41, "We are friends of China"), "type": "direct",
         "speaker": {"span": sp(0, 10), "name": "Alexander Lukashenko"}},
        {"span": sp(0, 5, "Lukashenko said"), "type": "indirect", "speaker": {"span": None, "name": None}},
    ]}]
    m = score_quotes(gold, pred)
    assert (m["n_gold"], m["n_pred"]) == (2, 2)
    assert m["precision"] == 0.5 and m["recall"] == 0.5
    assert m["direct_recall"] == 1.0 and m["indirect_recall"] == 0.0
    assert m["direct_speaker_acc"] == 1.0
    # per type: the direct quote is found exactly (P = R = 1); the one indirect guess is wrong
    assert m["direct_f1"] == 1.0 and m["indirect_precision"] == 0.0 and m["indirect_f1"] == 0.0


def test_times_half_overlap_value_and_strict():
    gold = [{"text": "x", "times": [{"start": 0, "end": 10, "value": "2025-08-31", "type": "DATE"},
                                    {"start": 20, "end": 24, "value": "2022", "type": "DATE"}]}]
    pred = [{"times": [{"span": sp(0, 10), "value": "2025-08-31", "type": "DATE"},
                       {"span": sp(18, 24), "value": "2021", "type": "DATE"},
                       {"span": sp(40, 45), "value": "P1Y", "type": "DURATION"}]}]
    m = score_times(gold, pred)
    assert m["recall"] == 1.0 and m["precision"] == pytest.approx(2 / 3)
    assert m["strict_f1"] == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))
    assert m["value_acc"] == 0.5


def test_places_within_161km():
    assert haversine_km(53.9, 27.56, 53.9, 27.56) == 0
    assert 600 < haversine_km(53.9, 27.56, 55.75, 37.62) < 700  # Minsk-Moscow
    gold = [{"text": "x", "places": [{"start": 0, "end": 5, "lat": 53.9, "lon": 27.56},
                                     {"start": 10, "end": 15, "lat": 39.14, "lon": 117.18}]}]
    pred = [{"places": [{"span": sp(0, 5), "lat": 53.9, "lon": 27.6}, {"span": sp(10, 15), "lat": 55.7, "lon": 37.6}]}]
    m = score_places(gold, pred)
    assert m["f1"] == 1.0 and m["acc161"] == 0.5


def test_actor_cases_empty_string_means_none():
    gold = [{"text": "Kazakhstan", "actor": {"start": 0, "end": 10, "country": "KAZ", "sector": ""}},
            {"text": "president", "actor": {"start": 0, "end": 9, "country": "", "sector": "GOV"}},
            {"text": "Hezbollah", "actor": {"start": 0, "end": 9, "country": "LBN", "sector": None,
                                            "sector_in": ["PTY", "REB"]}}]
    pred = [{"actors": [{"span": sp(0, 10), "country": "KAZ", "sector": None}]},
            {"actors": [{"span": sp(0, 9), "country": None, "sector": "GOV"}]},
            {"actors": [{"span": sp(0, 9), "country": "LBN", "sector": "MIL"}]}]
    m = score_actor_cases(gold, pred)
    assert m["country_acc"] == 1.0
    assert m["sector_acc"] == pytest.approx(2 / 3)
