"""Names inside longer actor phrases, record spans of countries named by a phrase, and country
names inside longer place names (stages/actors/stage.py, units.py). Hand-built sentences;
table-driven; each case fails if its rule broke. Loads the model: slow.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _actors(pipeline, text: str) -> list:
    return pipeline.code_text(text, date="2024-03-01").actors


# (text, the phrase actor that holds the name, the inner name, its kind, its sector or None)
INNER = [
    ("Soldiers of the 44th Airborne Division arrived in Poland on Tuesday.",
     "Soldiers of the 44th Airborne Division", "44th Airborne Division", "organization", "MIL"),
    ("A spokesman for the Central Intelligence Agency declined to comment.",
     "A spokesman for the Central Intelligence Agency", "Central Intelligence Agency", "organization", "SPY"),
    ("Fighters of the Wagner Group withdrew from the town.",
     "Fighters of the Wagner Group", "Wagner Group", "organization", None),
    ("Marines from 7th Battalion, 9th Marines patrolled the valley.",
     "Marines from 7th Battalion, 9th Marines", "7th Battalion, 9th Marines", "organization", "MIL"),
]


@pytest.mark.parametrize(("text", "phrase", "name", "kind", "sector"), INNER)
def test_name_inside_a_phrase_is_a_name_mention(pipeline, text, phrase, name, kind, sector):
    actors = _actors(pipeline, text)
    outer = [a for a in actors if a.span.text == phrase]
    inner = [a for a in actors if a.span.text == name]
    assert outer and outer[0].mention == "nominal", [(a.span.text, a.mention) for a in actors]
    assert inner, f"no actor {name!r} in {[a.span.text for a in actors]}"
    assert inner[0].mention == "name" and inner[0].kind == kind
    if sector is not None:
        assert inner[0].sector == sector
    # the inner name is recorded after the phrases, and nothing refers to it
    assert actors.index(inner[0]) > actors.index(outer[0]) and inner[0].refers_to is None


def test_inner_names_do_not_change_event_participants(pipeline):
    rec = pipeline.code_text("Soldiers of the 44th Airborne Division attacked the village on Tuesday.",
                             date="2024-03-01")
    inner = next(a for a in rec.actors if a.span.text == "44th Airborne Division")
    assert rec.events, "no event"
    assert all(e.source is None or e.source.actor != inner.id for e in rec.events)
    assert any(e.source is not None and e.source.span.text.startswith("Soldiers") for e in rec.events)


# (text, record span of the country actor); the places stage reports the same span
TRIMMED = [
    ("Israel asked the Netherlands to extradite the suspect.", "Netherlands"),
    ("Markets priced in higher U.S. interest rates on Friday.", "U.S."),
    ("Bruno, for years one of Britain's most popular sportsmen, retired.", "Britain"),
]


@pytest.mark.parametrize(("text", "span"), TRIMMED)
def test_country_named_by_a_phrase_has_the_name_as_its_span(pipeline, text, span):
    rec = pipeline.code_text(text, date="2024-03-01")
    countries = [a.span.text for a in rec.actors if a.kind == "country"]
    assert span in countries, countries
    assert span in [p.span.text for p in rec.places]


def test_country_span_keeps_the_phrase_in_lower_cased_text(pipeline):
    # no capitals to tell the name by: only the determiner goes
    rec = pipeline.code_text("officials said the talks with the netherlands would resume on monday .",
                             date="2024-03-01")
    assert all(not a.span.text.startswith("the ") for a in rec.actors if a.kind == "country")


# (text, the country that is not an actor there, the place it is part of)
IN_PLACE = [
    ("China warned against further patrols in the Taiwan Strait.", "Taiwan", "Taiwan Strait"),
    ("Boko Haram remains active around Lake Chad.", "Chad", "Lake Chad"),
    ("Oil prices rose after a storm in the Gulf of Mexico.", "Mexico", "Gulf of Mexico"),
]


@pytest.mark.parametrize(("text", "country", "place"), IN_PLACE)
def test_country_inside_a_longer_place_name_is_no_actor(pipeline, text, country, place):
    rec = pipeline.code_text(text, date="2024-03-01")
    assert country not in [a.span.text for a in rec.actors]
    assert place in [p.span.text for p in rec.places]


def test_city_named_after_its_country_keeps_the_country(pipeline):
    # "Kuwait City" is the city (one place), and the phrase still gets its country
    rec = pipeline.code_text("Police in Kuwait City arrested three men.", date="2024-03-01")
    assert "Kuwait" not in [a.span.text for a in rec.actors]
    assert any(a.country == "KWT" for a in rec.actors)


@pytest.mark.parametrize(("text", "country"), [
    ("Mexico sent troops to the border.", "MEX"),
    ("The Chad government denied the report.", "TCD"),
    # "South Lebanon" is also a small town in Ohio: not a reason to lose Lebanon
    ("Israel mounted its long-threatened invasion of South Lebanon on Tuesday.", "LBN"),
])
def test_country_alone_is_still_an_actor(pipeline, text, country):
    assert any(a.country == country for a in _actors(pipeline, text))


def test_division_named_after_a_country_is_that_division(pipeline):
    # "Northern Ireland" is the British division, not Ireland
    actors = _actors(pipeline, "Police in Northern Ireland arrested three men on Monday.")
    assert "Ireland" not in [a.span.text for a in actors]
    assert not any(a.country == "IRL" for a in actors)
