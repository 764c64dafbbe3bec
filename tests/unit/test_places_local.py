"""Issue 16, places in local US news (round 16t): hand-built sentences of the kinds local papers
write, each resolved with the article's own context: the dateline and "City, ST" (AP abbreviations),
counties and the towns named with them, nearby places of one state, towns that share a name with a
larger place elsewhere, and names the tagger gets wrong in such stories (a person's name part, a
list of towns tagged as one organisation). The rows marked
"(16t)" failed before this round's rules; the others pin behaviour the rules must keep.
"""

from __future__ import annotations

import pytest

from communique.stages._state import get_state

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp(pipeline):
    return pipeline.nlp


def _places(nlp, text):
    state = get_state(nlp(text))
    return {state.text[p.char_start:p.char_end]: p for p in state.places}


# (text, surface, country, feature, admin1 code)
LOCAL = [
    # datelines and "City, ST": the abbreviation picks the state, so the town
    ("PARIS, Texas (AP) — A tornado damaged homes in Paris on Tuesday.", "Paris", "USA", "city", "US.TX"),
    ("The meeting in Athens, Ga., drew 200 people.", "Athens", "USA", "city", "US.GA"),
    ("LAFAYETTE, La. (AP) — Police in Lafayette said two men were arrested.", "Lafayette", "USA", "city", "US.LA"),
    ("PORTLAND, Maine — A fire broke out in Portland on Sunday.", "Portland", "USA", "city", "US.ME"),
    ("Police in Moscow, Idaho, investigated the killings of four students.", "Moscow", "USA", "city", "US.ID"),
    ("Flooding hit Rome, Ga., and nearby Cartersville.", "Rome", "USA", "city", "US.GA"),
    ("He grew up in Albany, Georgia, and moved to Atlanta.", "Albany", "USA", "city", "US.GA"),
    # nearby places of one state pick each other
    ("Police arrested a man in Bloomington after a chase from Normal.", "Bloomington", "USA", "city", "US.IL"),
    ("Police in Portland said the suspect fled to Bangor. The Maine State Police are investigating.", "Portland",
     "USA", "city", "US.ME"),
    # a county and the towns named with it
    ("Officials in Polk County said flooding closed roads near Lakeland and Winter Haven.", "Polk County", "USA",
     "other", "US.FL"),
    ("The Erie County Sheriff said the storm hit Buffalo and Cheektowaga.", "Erie County", "USA", "other", "US.NY"),
    ("Springfield police said a woman was shot. Greene County deputies helped.", "Greene County", "USA", "other",
     "US.MO"),
    # (16t) a town's own name beats a country's alternate spelling in a story about the town's state
    ("COLUMBIA, S.C. — Lawmakers in Columbia approved the budget. Greenville and Charleston officials objected.",
     "Columbia", "USA", "city", "US.SC"),
    ("Gov. Henry McMaster said Tuesday that Columbia would host the meeting. The South Carolina legislature "
     "adjourned.", "Columbia", "USA", "city", "US.SC"),
    ("Holland and Grand Rapids schools closed as snow hit Michigan.", "Holland", "USA", "city", "US.MI"),
    # ... but not when the story is about that country, or names no division of the town
    ("Bogota said Columbia would send troops to the border with Venezuela.", "Columbia", "COL", "country", None),
    ("Coffee prices rose as Columbia and Brazil cut exports.", "Columbia", "COL", "country", None),
    # (16t) a name the tagger took for a person or a product, listed before a place
    ("Hurricane Ian struck Fort Myers and Cape Coral before moving toward Orlando.", "Fort Myers", "USA", "city",
     "US.FL"),
    ("The Atlanta Journal-Constitution reported that Marietta and Decatur schools closed.", "Marietta", "USA",
     "city", "US.GA"),
    # (16t) a list of towns the tagger ran into one organisation, after a locative word; they place the
    # city of the organisation's name too (Springfield, Massachusetts)
    ("The Springfield Police Department said the suspect fled toward Chicopee and Holyoke.", "Holyoke", "USA",
     "city", "US.MA"),
    ("The Springfield Police Department said the suspect fled toward Chicopee and Holyoke.", "Springfield", "USA",
     "city", "US.MA"),
    # a big city inside an organisation's name stays that city, even in a story about a state with a town
    # so named (the Washington Post is no Washington, Pennsylvania)
    ("The Washington Post reported that Pittsburgh and Erie voters went to the polls in Pennsylvania.",
     "Washington", "USA", "city", "US.DC"),
    # (16t) "X Department of ...": the state, not a division of another country named "X Department"
    ("Florida Department of Transportation officials said the road near Gainesville would reopen.", "Florida",
     "USA", "admin1", "US.FL"),
    # (16t) a first-level division whose places hold few people ranks like a town of that many: "Portland"
    # alone is Portland, Oregon, not the Jamaican parish of 22,000
    ("Portland police said the man was arrested downtown.", "Portland", "USA", "city", "US.OR"),
    # (16t) the actor stage's country for the place word itself is no clue to that word: "Poland" near
    # Youngstown, Ohio is the Ohio village
    ("She owns a flower shop in Poland, near Youngstown, Ohio.", "Poland", "USA", "city", "US.OH"),
    # a person's name part does not hide a town the text places
    ("Andrew Jackson was president. Residents of Jackson, Miss., lost water.", "Jackson", "USA", "city", "US.MS"),
]


@pytest.mark.parametrize(("text", "surface", "country", "feature", "admin1"), LOCAL)
def test_local_news_place(nlp, text, surface, country, feature, admin1):
    places = _places(nlp, text)
    assert surface in places, f"{surface!r} not among {sorted(places)}"
    p = places[surface]
    assert (p.country, p.feature, p.admin1_code) == (country, feature, admin1)


# (16t) words that are no place here, next to one that is: (text, surface, place)
NOT_PLACES = [
    # a part of a person's full name named in the article ("Daniel" is a Utah town, "Montalvo" an Ecuadorian one)
    ("Daniel Montalvo, 19, was arrested in Los Angeles. Rathbun said Moxon lied to Daniel. The case against "
     "Montalvo was dropped.", "Daniel", "Los Angeles"),
    ("Daniel Montalvo, 19, was arrested in Los Angeles. Rathbun said Moxon lied to Daniel. The case against "
     "Montalvo was dropped.", "Montalvo", "Los Angeles"),
    # a city's joke alternate name ("Google", Topeka in 2010) is no place inside a name or untagged
    ("Mohamed was a VIP guest at the Google Science Fair in California, held at Google headquarters.", "Google",
     "California"),
    # ... nor inside a facility's name ("Area" is an old name of Mundelein, Illinois)
    ("We will all meet up at the Area 51 Alien Center tourist attraction in Nevada.", "Area 51 Alien Center",
     "Nevada"),
    # a federal court's district
    ("Bash, the U.S. Attorney for the Western District of Texas, spoke in El Paso.", "Western District", "El Paso"),
]


@pytest.mark.parametrize(("text", "surface", "place"), NOT_PLACES)
def test_no_place(nlp, text, surface, place):
    places = _places(nlp, text)
    assert place in places and surface not in places, sorted(places)


def test_a_name_inside_its_own_longer_name_is_no_alias(nlp):
    # "Westminster" is a word of the City of Westminster's own name, not an alternate name of it
    p = _places(nlp, "A Westminster City Council spokeswoman said the London office was closed.")["Westminster"]
    assert (p.country, p.admin1_code) == ("GBR", "GB.ENG")


def test_old_names_of_big_cities_stay_places(nlp):
    # the alias rule keeps a big city's former name ("Bombay" is Mumbai) inside an organisation's name
    p = _places(nlp, "The Bombay Stock Exchange fell.")["Bombay"]
    assert (p.country, p.admin1_code) == ("IND", "IN.16")
