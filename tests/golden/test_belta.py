"""Golden behaviour on the BELTA wire report of 2025-08-29 (the project's reference article).

Pins what issue 2 promises: actors resolved through titles, demonym-role phrases,
"The President" and "he"; the Tianjin meeting as a CAMEO 04x event in both
directions located in Tianjin; praise coded 051; the seven direct quotes with
their speakers; and dates resolved against the article date.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _resolved(record, actor_id):
    by_id = {a.id: a for a in record.actors}
    a = by_id[actor_id]
    while a.refers_to:
        a = by_id[a.refers_to]
    return a


def _mentions(record, text):
    return [a for a in record.actors if a.span.text == text]


@pytest.mark.parametrize(
    ("mention", "name", "country", "sector"),
    [
        ("President of Belarus Alexander Lukashenko", "Lukashenko", "BLR", "GOV"),
        ("the Chairman of China, Xi Jinping", "Xi Jinping", "CHN", "GOV"),
        ("the Belarusian leader", "Lukashenko", "BLR", "GOV"),
        ("the Chinese leader", "Xi Jinping", "CHN", "GOV"),
        ("The President", "Lukashenko", "BLR", "GOV"),
        ("he", "Lukashenko", "BLR", "GOV"),
        ("He", "Xi Jinping", "CHN", "GOV"),
    ],
)
def test_actor_mentions_resolve(belta_record, mention, name, country, sector):
    found = _mentions(belta_record, mention)
    assert found, f"no actor mention {mention!r}"
    for a in found:
        assert name in a.name
        assert (a.country, a.sector) == (country, sector)
        assert a.code == country + sector


def test_pronoun_and_role_mentions_point_back(belta_record):
    for text in ("he", "He", "The President", "the Belarusian leader", "the Chinese leader"):
        for a in _mentions(belta_record, text):
            assert a.refers_to is not None
            assert _resolved(belta_record, a.id).kb_id is not None


def test_meeting_in_tianjin_both_directions(belta_record):
    places = {p.id: p for p in belta_record.places}
    meets = [e for e in belta_record.events if e.cameo_root == "04" and e.trigger.text == "met"
             and e.sentence.start == 0  # the Tianjin meeting; "In June, we met in Beijing" is another
             and e.source and e.target and {e.source.country, e.target.country} == {"BLR", "CHN"}]
    directions = {(e.source.country, e.target.country) for e in meets}
    assert directions == {("BLR", "CHN"), ("CHN", "BLR")}
    for e in meets:
        assert e.location is not None
        tianjin = places[e.location.place]
        assert tianjin.name == "Tianjin" and tianjin.country == "CHN"
        assert abs(tianjin.lat - 39.14) < 0.5 and abs(tianjin.lon - 117.18) < 0.5
        assert e.date == "2025-08-29"


def test_praise_of_china_is_051(belta_record):
    praise = [e for e in belta_record.events if e.cameo == "051" and e.source and e.source.country == "BLR"
              and e.target and e.target.country == "CHN"]
    assert praise
    assert all(e.plover.event == "SUPPORT" and e.quad_class == 1 for e in praise)


def test_seven_direct_quotes_with_speakers(belta_record):
    direct = [q for q in belta_record.quotes if q.type == "direct"]
    assert len(direct) == 7
    speakers = [q.speaker.name for q in direct]
    assert sum("Lukashenko" in (s or "") for s in speakers) == 6
    assert sum("Xi Jinping" in (s or "") for s in speakers) == 1
    assert "Xi Jinping" in direct[3].speaker.name and direct[3].span.text.startswith("In June, we met in Beijing")
    assert all(q.speaker.code in ("BLRGOV", "CHNGOV") for q in direct)


@pytest.mark.parametrize(
    ("text", "value"),
    [("August 31st", "2025-08-31"), ("September 1st", "2025-09-01"), ("June", "2025-06"), ("2022", "2022")],
)
def test_times_resolved_against_article_date(belta_record, text, value):
    assert any(t.span.text == text and t.value == value for t in belta_record.times)


def test_record_offsets_index_the_article_text(belta_record):
    from communique.readers import read_path
    from tests.conftest import BELTA

    (article,) = list(read_path(BELTA))
    for a in belta_record.actors:
        assert article.text[a.span.start:a.span.end] == a.span.text
    for q in belta_record.quotes:
        assert article.text[q.span.start:q.span.end] == q.span.text
    for e in belta_record.events:
        assert article.text[e.trigger.start:e.trigger.end] == e.trigger.text


# -- issue 3: state media; issue 4: intentions and dated history; issue 5: indirect speech ---------
def test_state_news_agency_is_blrmed(belta_record):
    assert any(a.span.text in ("BelTA", "BELTA") and a.code == "BLRMED" for a in belta_record.actors)


def _events(record, trigger):
    return [e for e in record.events if e.trigger.text == trigger]


def test_xi_proposal_and_chinas_readiness_are_intended_03x(belta_record):
    (proposal,) = _events(belta_record, "propose")
    (ready,) = _events(belta_record, "reaffirmed")
    for e in (proposal, ready):
        assert e.cameo_root == "03" and e.modality == "intended"
        assert e.source.country == "CHN" and e.target.country == "BLR"
    assert proposal.source.code == "CHNGOV"


def test_2022_upgrade_of_relations_is_dated_2022(belta_record):
    upgrade = _events(belta_record, "elevated")
    assert upgrade and all(e.date == "2022" and e.cameo_root == "05" for e in upgrade)
    assert {(e.source.country, e.target.country) for e in upgrade} == {("BLR", "CHN"), ("CHN", "BLR")}


@pytest.mark.parametrize(
    ("cue", "starts", "speaker"),
    [
        ("noted", "China-Belarus relations", "Xi Jinping"),
        ("reaffirmed", "China's readiness", "Xi Jinping"),
        ("expressed", "his belief in adopting", "Lukashenko"),
        ("shared", "Belarus is learning", "Lukashenko"),
        ("emphasized", "Belarus and China face no issues", "Lukashenko"),
    ],
)
def test_indirect_quotes_with_speakers(belta_record, cue, starts, speaker):
    hits = [q for q in belta_record.quotes if q.type == "indirect" and q.span.text.startswith(starts)]
    assert len(hits) == 1, [q.span.text[:40] for q in belta_record.quotes]
    (q,) = hits
    assert speaker in (q.speaker.name or "")
    assert q.cue is not None and q.cue.text.startswith(cue)


# -- the whole article, pinned: a projection of the record compared with a committed golden file ----
GOLDEN = __import__("pathlib").Path(__file__).with_name("belta.golden.json")


def _projection(record) -> dict:
    place = {p.id: p.name for p in record.places}
    return {
        "events": [[e.cameo, e.modality, e.date, e.source.code if e.source else None,
                    e.target.code if e.target else None, e.trigger.text,
                    place[e.location.place] if e.location else None]
                   for e in record.events],
        "quotes": [[q.type, q.speaker.name, q.span.text[:50]] for q in record.quotes],
        "places": sorted({(p.name, p.country) for p in record.places}),
        "times": [[t.span.text, t.value] for t in record.times],
    }


def test_whole_article_matches_the_golden_file(belta_record):
    """Any change in what the BELTA article codes to shows here. If the change is intended,
    regenerate with COMMUNIQUE_UPDATE_GOLDEN=1 and review the diff of belta.golden.json."""
    import json
    import os

    got = json.loads(json.dumps(_projection(belta_record)))
    if os.environ.get("COMMUNIQUE_UPDATE_GOLDEN") == "1":
        lines = ",\n".join(f' "{k}": [\n' + ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in rows)
                            + "\n ]" for k, rows in got.items())
        GOLDEN.write_text("{\n" + lines + "\n}\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))
