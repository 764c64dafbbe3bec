"""Named-actor recall beyond the entity recogniser: names by pattern (bodies, military units,
operations, ships), acronyms defined in the text, and caseless text (lower-cased feeds,
all-caps headlines). Table-driven; each case fails if its rule broke. Loads the model: slow.
"""

from __future__ import annotations

import pytest

from communique.stages.actors.casing import CaseRestorer, load_forms
from communique.stages.actors.patterns import NamePatterns, _expands

pytestmark = pytest.mark.slow


def _names(record) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {a.span.text: (a.country, a.sector, a.mention) for a in record.actors}


# (text, span the actor has exactly, country, sector)
PATTERN_CASES = [
    # government bodies of any country, by the shape of the name
    ("The Ministry of Foreign Affairs of Ukraine said it was ready.", "The Ministry of Foreign Affairs of Ukraine",
     "UKR", "GOV"),
    ("The Supreme Court of India dismissed the appeal.", "The Supreme Court of India", "IND", "JUD"),
    ("The Kenyan Interior Ministry denied the report.", "The Kenyan Interior Ministry", "KEN", "GOV"),
    ("The State Border Guard Service of Ukraine closed the crossing.",
     "The State Border Guard Service of Ukraine", "UKR", "COP"),   # the agents table: border guard = COP
    # military units after an ordinal; task forces and operations; ships with their flag
    ("The 82nd Airborne Division arrived on Monday.", "The 82nd Airborne Division", None, "MIL"),
    ("The 3rd Battalion, 5th Marines left Okinawa.", "The 3rd Battalion, 5th Marines", None, "MIL"),
    ("Operation Sindoor struck nine sites, the army said.", "Operation Sindoor", None, "MIL"),
    ("Task Force 145 was based at the airfield.", "Task Force 145", None, "MIL"),
    ("The USS Carl Vinson sailed into the Arabian Sea.", "The USS Carl Vinson", "USA", "MIL"),
    ("Two Chinese ships shadowed INS Vikrant near the strait.", "INS Vikrant", "IND", "MIL"),
    # a two-word head ("Military District"): the table's sector, not the last word's
    ("The Leningrad Military District was re-formed in 2024.", "The Leningrad Military District", None, "MIL"),
]


@pytest.mark.parametrize(("text", "span", "country", "sector"), PATTERN_CASES)
def test_names_by_pattern(pipeline, text, span, country, sector):
    names = _names(pipeline.code_text(text, date="2025-05-10"))
    assert span in names, (span, names)
    assert names[span] == (country, sector, "name")


def test_pattern_yields_to_known_organisation_and_person(pipeline):
    # a knowledge-base organisation keeps its own code; a person's name is not cut through
    names = _names(pipeline.code_text("The Federal Bureau of Investigation questioned Kash Patel.", date="2025-05-10"))
    assert names["The Federal Bureau of Investigation"][:2] == ("USA", names["The Federal Bureau of Investigation"][1])
    assert any(t.startswith("Kash Patel") for t in names)
    # a lower-case phrase is no name ("the ministry of agriculture" stays a role phrase)
    names = _names(pipeline.code_text("Officials at the ministry of agriculture said the harvest was poor.",
                                      date="2025-05-10"))
    assert all(m != "name" for t, (_c, _s, m) in names.items() if "ministry" in t), names


ACRONYM_CASES = [
    # defined after the name, then used alone (the acronym is unknown to the tables)
    ("The Zamunda Liberation Front (ZLF) attacked a convoy. Later the rebels withdrew and ZLF said it would "
     "return.", "ZLF"),
    # defined before the name
    ("ZLF (Zamunda Liberation Front) attacked a convoy. A spokesman said the ZLF would return.", "the ZLF"),
]


@pytest.mark.parametrize(("text", "span"), ACRONYM_CASES)
def test_acronyms_defined_in_text(pipeline, text, span):
    record = pipeline.code_text(text, date="2025-05-10")
    later = [a for a in record.actors if a.span.text == span and a.span.start > text.index(")")]
    assert later, [a.span.text for a in record.actors]
    assert later[0].kind == "organization" and later[0].mention == "name"
    # and the long form is one name
    assert any(a.span.text.endswith("Zamunda Liberation Front") and a.mention == "name" for a in record.actors)


def test_acronym_must_spell_the_name():
    assert _expands("SDF", "SDF")
    assert _expands("FDLR", "DFFTLOR")     # "Democratic Forces for the Liberation of Rwanda"
    assert not _expands("CIA", "SDF")
    assert not _expands("A", "A")          # one letter is no acronym


def test_pattern_table_is_data():
    pats = NamePatterns.load()
    assert pats.ship_country["HMS"] == "GBR"
    assert pats.version != "unversioned"
    assert pats.body.search("said the Foreign Ministry") is not None


# -- caseless text ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def restorer(pipeline):
    stage = pipeline.nlp.get_pipe("communique_actors")
    return CaseRestorer.from_nlp(pipeline.nlp, stage.kb, stage.look.gazetteer)


CASING_CASES = [
    # lower-cased feed: KB names, the word-case table, unknown words as names, sentence starts
    ("president vladimir putin met nato leaders in new york. he said so.",
     "President Vladimir Putin met NATO leaders in New York. He said so."),
    ("the syrian democratic forces said yastrzhembsky was wrong.",
     "The Syrian Democratic Forces said Yastrzhembsky was wrong."),
    # an all-caps headline in ordinary text: only that line changes
    ("CRICKET - LEICESTERSHIRE TAKE OVER AT TOP\nLONDON 1996-08-30\nPhil Simmons took four for 38.",
     "Cricket - Leicestershire take over at top\nLONDON 1996-08-30\nPhil Simmons took four for 38."),
    # all-caps text: spelled as the tables spell it; common words that are also acronyms stay words
    ("THE US ARMY AND THE UNITED NATIONS SECURITY COUNCIL MET IN KANSAS CITY.",
     "The US Army and the United Nations Security Council met in Kansas City."),
    # an unknown word hyphened to an English word is a compound, not a name
    ("police lathi-charged the crowd outside the office in new delhi.",
     "Police lathi-charged the crowd outside the office in New Delhi."),
    # ordinary text is returned as it is
    ("The minister met NATO leaders in Brussels on Monday.", "The minister met NATO leaders in Brussels on Monday."),
    # a short caseless sentence (4-7 words ending in . ! ?) is restored; a bare phrase is not
    ("government forces shelled aleppo on monday.", "Government forces shelled Aleppo on Monday."),
    ("GOVERNMENT FORCES SHELLED ALEPPO ON MONDAY.", "Government forces shelled Aleppo on Monday."),
    ("secret services of the republic", "secret services of the republic"),
]


@pytest.mark.parametrize(("text", "expected"), CASING_CASES)
def test_case_restoration(restorer, text, expected):
    out = restorer.restore(text)
    assert len(out) == len(text)
    assert out == expected


@pytest.mark.parametrize("text", ["government forces shelled aleppo on monday.",
                                  "GOVERNMENT FORCES SHELLED ALEPPO ON MONDAY."])
def test_short_caseless_sentence_keeps_its_place_and_event(pipeline, text):
    record = pipeline.code_text(text, date="2025-05-10")
    assert [(p.span.text.lower(), p.country) for p in record.places] == [("aleppo", "SYR")]
    assert [e.trigger.text.lower() for e in record.events] == ["shelled"]


def test_lower_cased_text_keeps_its_names_and_offsets(pipeline):
    text = "the syrian democratic forces (sdf) said on monday that president vladimir putin met nato leaders."
    record = pipeline.code_text(text, date="2025-05-10")
    names = {a.span.text: a for a in record.actors}
    for span in ("the syrian democratic forces", "sdf", "president vladimir putin"):
        a = names[span]
        assert text[a.span.start:a.span.end] == span   # original text and offsets
        assert a.mention == "name"
    assert names["president vladimir putin"].country == "RUS"
    assert names["sdf"].country == "SYR"


def test_word_case_table():
    forms = load_forms()
    assert forms["paris"] == "Paris" and forms["nato"] == "NATO" and forms["said"] == "said"


# -- people without a title -------------------------------------------------------------
UNTITLED_CASES = [
    # a one-word name at a sentence start that the lemmatizer's noun list also holds ("orr")
    ("Orr said the press secretary had called.", "Orr"),
    # an untagged capitalised subject of a verb only people do, also through coordination
    ("Farrakhan organised the march and said it was peaceful.", "Farrakhan"),
]


@pytest.mark.parametrize(("text", "span"), UNTITLED_CASES)
def test_people_without_titles(pipeline, text, span):
    names = _names(pipeline.code_text(text, date="1996-08-30"))
    assert names.get(span, (None, None, None))[2] == "name", names


def test_capitalised_common_word_is_no_person(pipeline):
    names = _names(pipeline.code_text("Death is not a punishment, he said. Orr said so.", date="1996-08-30"))
    assert "Death" not in names and names["Orr"][2] == "name"
