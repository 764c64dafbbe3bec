"""Names found from the text itself (stages/actors/names.py): a person's name repeated in part,
initial + surname, companies by suffix, organisation names repeated, teams in results lines.
Hand-built sentences; table-driven; each case fails if its rule broke. Loads the model: slow.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _actors(pipeline, text: str) -> dict[str, tuple[str, str | None]]:
    rec = pipeline.code_text(text, date="2025-05-10")
    return {a.span.text: (a.kind, a.mention) for a in rec.actors}


_CARD = ("Innings of the visitors\nJ. Pellworth c Harrowby b Tallisker 44\nA. Dunmore lbw b Ostrander 0\n"
         "R. Vellacott not out 46\nBowling: Quenby 9.5-0-44-1, Ostrander 8-1-26-3")

# (text, the span that must be a named actor, its kind)
CASES = [
    # a surname repeated after the full name: untagged, or tagged as an organisation by the model
    ("Rebel envoy Tomas Vardenko met the governor on Monday. Officials said Vardenko would return to the "
     "mountains. The agency quoted Vardenko as saying the talks had gone well.", "Vardenko", "person"),
    ("Alan Shearer was named England captain on Friday. Shearer's partner Teddy Sheringham withdrew with an "
     "injury.", "Shearer", "person"),
    # initial and surname, as in scorecards
    ("Australia\nM. Harlow c and b Jayasuriya 50\nD. Lemarr st Kaluwitharana b Chandana 2", "M. Harlow", "person"),
    # companies by their suffix, then the short name
    ("Shares of Brantwell Hospitality Inc rose on Friday. Brantwell said it would open two hotels.",
     "Brantwell Hospitality Inc", "organization"),
    # competitors listed with their country
    ("Men's singles, second round\nDorin Valescu (Romania) beat Tamsin Orrely (Ireland) 6-3 6-4",
     "Tamsin Orrely", "person"),
    ("Result of a basketball tournament on Friday:\nRed Star (Yugoslavia) beat Dinamo (Russia) 92-90",
     "Red Star", "organization"),
    # ... an organisation's name repeated where the tagger left it untagged
    ("Shares of Brantwell Hospitality Inc rose on Friday. Brantwell said it would open two hotels.",
     "Brantwell", "organization"),
    ("The order went to Kettridge & Sons, the ministry said.", "Kettridge & Sons", "organization"),
    # teams in results lines: a score line, a standings row, a fixture, "beat" in a report
    ("Results of matches on Saturday:\nHarlequins 75 Gloucester 19\nSale 31 Wasps 33", "Harlequins", "organization"),
    ("Results of matches on Saturday:\nHarlequins 75 Gloucester 19\nSale 31 Wasps 33", "Sale", "organization"),
    ("Standings after Saturday's games:\nPuchon 3 1 0 6 1 10\nChonan 3 0 1 13 10 9", "Puchon", "organization"),
    ("Tour itinerary:\nMay 17 v Northampton\nMay 18 v Worcestershire", "Worcestershire", "organization"),
    ("Phil Simmons took four wickets on Friday as Leicestershire beat Somerset by an innings and 39 runs.",
     "Leicestershire", "organization"),
    # players in cricket scorecards: fielder and bowler of a dismissal, the batsman, the bowler's analysis
    (_CARD, "Harrowby", "person"),
    (_CARD, "Tallisker", "person"),
    (_CARD, "Ostrander", "person"),
    (_CARD, "R. Vellacott", "person"),
    (_CARD, "Quenby", "person"),
]


@pytest.mark.parametrize(("text", "span", "kind"), CASES)
def test_names_from_the_text(pipeline, text, span, kind):
    actors = _actors(pipeline, text)
    found = [k for t, k in actors.items() if t == span]
    assert found, (span, actors)
    assert found[0] == (kind, "name")


@pytest.mark.parametrize(("text", "span"), [
    ("NEW YORK 1996-08-30\nShares of Kettering Hospitality Inc rose. Kettering said sales grew.",
     "Kettering Hospitality Inc"),
    ("The order went to Kettridge & Sons, the ministry said.", "Kettridge & Sons"),
])
def test_company_by_suffix_is_a_business(pipeline, text, span):
    rec = pipeline.code_text(text, date="2025-05-10")
    found = [a for a in rec.actors if a.span.text == span]
    assert found and found[0].sector == "BUS" and found[0].kind == "organization", rec.actors


def test_repeated_surname_counts_every_mention(pipeline):
    rec = pipeline.code_text("Rebel envoy Tomas Vardenko met the governor on Monday. Officials said Vardenko "
                             "would return. The agency quoted Vardenko as saying the talks had gone well.",
                             date="2025-05-10")
    spans = [a.span.text for a in rec.actors if a.span.text == "Vardenko"]
    assert len(spans) == 2
    # the repeats point back at the full name
    first = next(a for a in rec.actors if a.span.text.endswith("Tomas Vardenko"))
    assert all(a.refers_to == first.id for a in rec.actors if a.span.text == "Vardenko")


CONTROL_CASES = [
    # a common word opening a sentence is not the surname of a person named Bush
    ("Senator Mary Field visited the town. Field trips were cancelled for days.", "Field"),
    # table rows of ordinary words are no teams
    ("Half-year results:\nSales 9.06 9.31 8.42\nTotal 12.50 13.00 11.27", "Sales"),
    ("Half-year results:\nSales 9.06 9.31 8.42\nRevenue 12.50 13.00 11.27", "Revenue"),
    # a month leading a fixture line is no team
    ("Tour itinerary:\nMay 17 v Northampton", "May"),
]


@pytest.mark.parametrize(("text", "span"), CONTROL_CASES)
def test_no_name_where_none(pipeline, text, span):
    actors = _actors(pipeline, text)
    assert span not in actors or actors[span][1] != "name", actors


def test_company_suffix_rows_are_data():
    from communique.kb.tables import data_path, read_table

    table = read_table(data_path("actor_patterns.tsv"), ("kind", "word", "country", "sector"))
    suffixes = {row["word"] for _, row in table if row["kind"] == "company_suffix"}
    assert {"Inc", "Ltd", "Corp", "& Sons"} <= suffixes


def test_surname_that_names_a_place_stays_the_place_where_used_as_one(pipeline):
    text = ("Store owner Ameer Riverdale said sales were up. Riverdale said he sold the winning ticket. "
            "Shoppers queued at the Riverdale gas station for hours.")
    rec = pipeline.code_text(text, date="2025-05-10")
    station = text.rindex("Riverdale")
    people = [a.span.start for a in rec.actors if a.kind == "person" and a.span.text == "Riverdale"]
    assert people == [text.index(". Riverdale said") + 2]   # the person, where the name is used as one
    assert station not in people                          # "the Riverdale gas station": a place
    assert any(p.span.start == station for p in rec.places), rec.places
