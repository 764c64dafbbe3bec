"""Place recognition, disambiguation and event location on hand-built sentences.

These load the spaCy model (slow) and run the stages as the pipeline does: the place stage
reads the actors found before it, and ``event_location`` reads the finished state.
"""

from __future__ import annotations

import pytest

from communique.stages._state import get_state
from communique.stages.places import event_location

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp(pipeline):
    return pipeline.nlp


def _places(nlp, text):
    doc = nlp(text)
    return doc, get_state(doc)


def _find(state, surface):
    for i, p in enumerate(state.places):
        if state.text[p.char_start:p.char_end] == surface:
            return i, p
    raise AssertionError(f"{surface!r} not among {[state.text[p.char_start:p.char_end] for p in state.places]}")


# (text, surface, expected country, expected feature, (lat, lon) within 1 degree or None)
AMBIGUOUS = [
    ("Lukashenko returned to Minsk after talks with Belarusian officials.", "Minsk", "BLR", "city", (53.9, 27.57)),
    ("Police in Minsk, Belarus, detained protesters.", "Minsk", "BLR", "city", (53.9, 27.57)),
    ("The festival in Paris, Texas, drew a small crowd.", "Paris", "USA", "city", (33.66, -95.55)),
    ("Tourists flocked to Paris and Lyon this summer.", "Paris", "FRA", "city", (48.85, 2.35)),
    ("Voters in Atlanta and Savannah, Georgia, went to the polls.", "Georgia", "USA", "admin1", None),
    ("Russian troops entered Georgia, and Tbilisi protested.", "Georgia", "GEO", "country", None),
    ("A fire broke out in Seattle, Washington, on Monday.", "Washington", "USA", "admin1", None),
    ("Washington and Moscow exchanged sharp words.", "Washington", "USA", "city", (38.9, -77.04)),
    ("Hogs were culled at a farm in Pandi, Bulacan in Central Luzon.", "Pandi", "PHL", "city", (14.87, 120.96)),
    ("Hogs were culled at a farm in Pandi, Bulacan in Central Luzon.", "Central Luzon", "PHL", "admin1", None),
    ("Students marched in Columbus, Ohio, on Friday.", "Columbus", "USA", "city", (39.96, -83.0)),
    ("He grew up in Gainesville, Va., and moved away.", "Gainesville", "USA", "city", (38.8, -77.6)),
    ("The ship docked in Victoria, British Columbia.", "Victoria", "CAN", "city", (48.43, -123.37)),
    ("Researchers at a lab in Cambridge, Massachusetts, published the study.", "Cambridge", "USA", "city",
     (42.37, -71.1)),
    ("Floods hit Alexandria and Cairo, Egyptian officials said.", "Alexandria", "EGY", "city", (31.2, 29.9)),
    ("Delegates met in Tianjin on Tuesday.", "Tianjin", "CHN", "city", (39.14, 117.18)),
    ("The Democratic Republic of the Congo declared an outbreak.", "Democratic Republic of the Congo", "COD",
     "country", None),
    ("Trade between Trinidad and Tobago and Jamaica grew.", "Trinidad and Tobago", "TTO", "country", None),
    ("Rain is expected across New South Wales and Queensland.", "New South Wales", "AUS", "admin1", None),
    ("Ships crossed the Atlantic in convoy.", "Atlantic", None, "other", None),
    ("Ministers from across the EU met in Brussels.", "EU", None, "region", (49.8, 9.9)),
    ("President of Belarus Alexander Lukashenko met Xi Jinping.", "Belarus", "BLR", "country", None),
]


@pytest.mark.parametrize(("text", "surface", "country", "feature", "near"), AMBIGUOUS)
def test_ambiguous_places(nlp, text, surface, country, feature, near):
    _, state = _places(nlp, text)
    _, p = _find(state, surface)
    assert (p.country, p.feature) == (country, feature)
    if near is not None:
        assert abs(p.lat - near[0]) < 1 and abs(p.lon - near[1]) < 1


@pytest.mark.parametrize(("text", "surface", "country", "role"), [
    ("The French engineer designed the bridge.", "French", "FRA", "demonym"),
    ("Kurdish forces took the town.", "Kurdish", None, "demonym"),
    ("European leaders gathered on Friday.", "European", None, "demonym"),
    ("Beijing said the talks were useful.", "Beijing", "CHN", "metonym"),
    ("The Washington Post reported the story.", "Washington", "USA", "embedded"),
])
def test_demonyms_metonyms_and_embedded_names_are_place_mentions(nlp, text, surface, country, role):
    _, state = _places(nlp, text)
    _, p = _find(state, surface)
    assert p.country == country and p.role == role and p.lat is not None


@pytest.mark.parametrize(("text", "not_places"), [
    ("Two Russians were arrested.", {"Russians"}),
    ("She answered in French.", {"French"}),
    ("According to Yap, the tests were negative.", {"Yap"}),
    ("The bill became Republic Act 9296 in May.", {"Act", "May"}),
    ("Cases of West Nile virus rose.", {"West"}),
    ("Jackson told reporters he would run again.", {"Jackson"}),
    ("The White House said it would respond.", {"White House"}),
])
def test_not_places(nlp, text, not_places):
    _, state = _places(nlp, text)
    found = {state.text[p.char_start:p.char_end] for p in state.places}
    assert not (found & not_places)
    _, control = _places(nlp, "Lukashenko returned to Minsk.")
    assert [p.name for p in control.places] == ["Minsk"]  # the stage does find places


def test_demonyms_can_be_switched_off(pipeline):
    from communique.stages.places import extract_places

    doc = pipeline.nlp("The French engineer worked in Lyon.")
    state = get_state(doc)
    on = {p.name for p in extract_places(doc, state)}
    off = {p.name for p in extract_places(doc, state, demonyms=False)}
    assert on == {"France", "Lyon"} and off == {"Lyon"}


# (text, trigger word, expected place surface or None)
LOCATIONS = [
    ("Xi met Putin in Tianjin on Tuesday.", "met", "Tianjin"),
    ("The two sides held talks in Geneva.", "held", "Geneva"),
    ("In Tianjin, officials said they would sign the agreement.", "sign", "Tianjin"),
    ("Beijing said it would sign the agreement.", "sign", None),            # a metonym actor
    ("Chinese troops attacked the border post.", "attacked", None),        # a demonym
    ("Officials from Minsk arrived on Monday.", "arrived", None),          # origin, not the scene
    ("Protesters gathered in Kyiv. Police arrested dozens.", "arrested", None),  # another sentence
    ("The president flew to Ankara and met Erdogan.", "met", "Ankara"),     # the clause above it
    ("The minister travelled to Ankara.", "travelled", "Ankara"),
    ("Rebels shelled the city of Aleppo.", "shelled", None),               # a target, not a locative
]


@pytest.mark.parametrize(("text", "trigger", "expected"), LOCATIONS)
def test_event_location(nlp, text, trigger, expected):
    doc, state = _places(nlp, text)
    tok = next(t for t in doc if t.text == trigger)
    got = event_location(doc, state, tok.i)
    if expected is None:
        assert got is None
    else:
        assert got is not None and state.text[state.places[got].char_start:state.places[got].char_end] == expected
