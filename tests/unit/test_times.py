"""Time expressions: TimeML normalisation (pure, table-driven) and detection in text.

The fast tests call ``normalise`` and ``detect_spans`` directly (no model). The slow
tests run the whole pipeline once per session and check detection in sentences,
tense-driven direction, coordination and the BELTA article.
"""

from __future__ import annotations

from datetime import date

import pytest

from communique.errors import KnowledgeBaseError
from communique.stages.times import TimeGrammar, TimeSettings, holiday_date, load_vocab
from communique.stages.times.rules import RULES
from tests.conftest import BELTA

GRAMMAR = TimeGrammar.load()
normalise = GRAMMAR.normalise
detect_spans = GRAMMAR.detect_spans

BELTA_TEXT = BELTA.read_text(encoding="utf-8")

# Friday 29 August 2025 (ISO week 35), the date of the BELTA sample.
DCT = date(2025, 8, 29)
PAST, NONE, FUTURE = -1, 0, 1


@pytest.mark.parametrize(
    ("text", "direction", "value", "typ"),
    [
        # the examples: tense decides direction, granularity is kept
        ("August 31st", NONE, "2025-08-31", "DATE"),
        ("August 31st", FUTURE, "2025-08-31", "DATE"),
        ("September 1st", NONE, "2025-09-01", "DATE"),
        ("June", PAST, "2025-06", "DATE"),
        ("In June", PAST, "2025-06", "DATE"),
        ("June", FUTURE, "2026-06", "DATE"),
        ("2022", NONE, "2022", "DATE"),
        ("In 2022", PAST, "2022", "DATE"),
        # explicit calendar dates
        ("Sept. 30, 1989", NONE, "1989-09-30", "DATE"),
        ("30 September 2025", NONE, "2025-09-30", "DATE"),
        ("the 4th of July", PAST, "2025-07-04", "DATE"),
        ("2025-08-31", NONE, "2025-08-31", "DATE"),
        ("8/31/2025", NONE, "2025-08-31", "DATE"),
        ("March eighth", FUTURE, "2026-03-08", "DATE"),
        ("March eighth", PAST, "2025-03-08", "DATE"),
        ("Oct. 23", PAST, "2024-10-23", "DATE"),
        ("Oct. 23", NONE, "2025-10-23", "DATE"),
        ("Thursday, April 6", NONE, "2023-04-06", "DATE"),   # the year in which April 6 is a Thursday
        ("June 2024", NONE, "2024-06", "DATE"),
        ("June last year", NONE, "2024-06", "DATE"),
        ("April next year", NONE, "2026-04", "DATE"),
        ("last February", NONE, "2024-02", "DATE"),
        ("mid-October", NONE, "2025-10", "DATE"),
        ("the end of November", NONE, "2025-11", "DATE"),
        ("the week of March 6", PAST, "2025-W10", "DATE"),
        # years, decades, centuries (TimeML keeps the granularity: a decade is 199)
        ("fiscal 1989", NONE, "1989", "DATE"),
        ("post-1959", NONE, "1959", "DATE"),
        ("the 1990s", NONE, "199", "DATE"),
        ("the late 1980s", NONE, "198", "DATE"),
        ("the '90s", NONE, "199", "DATE"),
        ("the nineties", NONE, "199", "DATE"),
        ("the 20th century", NONE, "19", "DATE"),
        ("the twentieth century", NONE, "19", "DATE"),
        ("this century", NONE, "20", "DATE"),
        ("nineteen ninety-six", NONE, "1996", "DATE"),
        ("the year two thousand", NONE, "2000", "DATE"),
        ("January nineteen ninety-seven", NONE, "1997-01", "DATE"),
        ("the winter of nineteen ninety-four", NONE, "1994-WI", "DATE"),
        # days relative to the article date
        ("today", NONE, "2025-08-29", "DATE"),
        ("yesterday", NONE, "2025-08-28", "DATE"),
        ("tomorrow", NONE, "2025-08-30", "DATE"),
        ("the day before yesterday", NONE, "2025-08-27", "DATE"),
        ("yesterday afternoon", NONE, "2025-08-28TAF", "TIME"),
        ("mid-afternoon yesterday", NONE, "2025-08-28TAF", "TIME"),
        ("this morning", NONE, "2025-08-29TMO", "TIME"),
        ("last night", NONE, "2025-08-28TNI", "TIME"),
        ("tonight", NONE, "2025-08-29TNI", "TIME"),
        # weekdays: the tense picks the week
        ("Wednesday", PAST, "2025-08-27", "DATE"),
        ("Wednesday", FUTURE, "2025-09-03", "DATE"),
        ("Wednesday", NONE, "2025-08-27", "DATE"),
        ("Friday", PAST, "2025-08-29", "DATE"),
        ("Monday", FUTURE, "2025-09-01", "DATE"),
        ("Saturday", NONE, "2025-08-30", "DATE"),
        ("last Friday", NONE, "2025-08-22", "DATE"),
        ("next Tuesday", NONE, "2025-09-02", "DATE"),
        ("Thursday night", PAST, "2025-08-28TNI", "DATE"),
        ("early Friday morning", PAST, "2025-08-29TMO", "DATE"),
        # weeks, months, years relative to the article date
        ("last week", NONE, "2025-W34", "DATE"),
        ("this week", NONE, "2025-W35", "DATE"),
        ("next week", NONE, "2025-W36", "DATE"),
        ("early next week", NONE, "2025-W36", "DATE"),
        ("the weekend", PAST, "2025-W34-WE", "DATE"),
        ("this weekend", FUTURE, "2025-W35-WE", "DATE"),
        ("last month", NONE, "2025-07", "DATE"),
        ("this month", NONE, "2025-08", "DATE"),
        ("next month", NONE, "2025-09", "DATE"),
        ("later this month", NONE, "2025-08", "DATE"),
        ("last year", NONE, "2024", "DATE"),
        ("this year", NONE, "2025", "DATE"),
        ("earlier this year", NONE, "2025", "DATE"),
        ("next year", NONE, "2026", "DATE"),
        ("the past year", NONE, "2024", "DATE"),
        ("last summer", NONE, "2024-SU", "DATE"),
        ("this summer", NONE, "2025-SU", "DATE"),
        ("next spring", NONE, "2026-SP", "DATE"),
        ("year-end", NONE, "2025", "DATE"),
        # ago / from now: deictic, at the unit's granularity
        ("two days ago", NONE, "2025-08-27", "DATE"),
        ("a month ago", NONE, "2025-07", "DATE"),
        ("three years ago", NONE, "2022", "DATE"),
        ("almost four years ago", NONE, "2021", "DATE"),
        ("a decade ago", NONE, "2015", "DATE"),
        ("two weeks from now", NONE, "2025-09-12", "DATE"),
        ("six weeks ago", NONE, "2025-W29", "DATE"),               # vaguer: only the week
        ("a few years ago", NONE, "PAST_REF", "DATE"),
        # quarters and halves (financial news)
        ("the third quarter", NONE, "2025-Q3", "DATE"),
        ("third-quarter", NONE, "2025-Q3", "DATE"),
        ("the fourth quarter", PAST, "2024-Q4", "DATE"),
        ("the fourth quarter", FUTURE, "2025-Q4", "DATE"),
        ("the first quarter of 1990", NONE, "1990-Q1", "DATE"),
        ("the 1988 second quarter", NONE, "1988-Q2", "DATE"),
        ("fiscal 1990 first quarter", NONE, "1990-Q1", "DATE"),
        ("the first half", NONE, "2025-H1", "DATE"),
        ("the second half of 1990", NONE, "1990-H2", "DATE"),
        ("the latest quarter", NONE, "2025-Q2", "DATE"),
        ("the current quarter", NONE, "2025-Q3", "DATE"),
        ("last quarter", NONE, "2025-Q2", "DATE"),
        ("the current fiscal year", NONE, "2025", "DATE"),
        ("a year earlier", NONE, "2024", "DATE"),
        # clock times
        ("10:35 a.m.", NONE, "2025-08-29T10:35", "TIME"),
        ("6 p.m", NONE, "2025-08-29T18:00", "TIME"),
        ("12 a.m.", NONE, "2025-08-29T00:00", "TIME"),
        ("midnight", NONE, "2025-08-29T24:00", "TIME"),
        ("noon Thursday", PAST, "2025-08-28T12:00", "TIME"),
        ("10 p.m. Wednesday", PAST, "2025-08-27T22:00", "TIME"),
        ("5 p.m. EST Nov. 9", NONE, "2025-11-09T17:00", "TIME"),
        ("4 in the morning", NONE, "2025-08-29T04:00", "TIME"),
        # durations
        ("three days", NONE, "P3D", "DURATION"),
        ("about five hours", NONE, "PT5H", "DURATION"),
        ("16-hour", NONE, "PT16H", "DURATION"),
        ("two-week", NONE, "P2W", "DURATION"),
        ("52-week", NONE, "P52W", "DURATION"),
        ("twenty four hours", NONE, "PT24H", "DURATION"),
        ("the past 20 years", NONE, "P20Y", "DURATION"),
        ("the first nine months", NONE, "P9M", "DURATION"),
        ("at least two more weeks", NONE, "P2W", "DURATION"),
        ("a decade", NONE, "P10Y", "DURATION"),
        ("two decades", NONE, "P20Y", "DURATION"),
        ("2 1/2 years", NONE, "P2Y6M", "DURATION"),
        ("5 1/2 hours", NONE, "PT5H30M", "DURATION"),
        ("a minute and a half", NONE, "PT1M30S", "DURATION"),
        ("half an hour", NONE, "PT30M", "DURATION"),
        ("a day and a half", NONE, "P1DT12H", "DURATION"),
        ("several weeks", NONE, "PXW", "DURATION"),
        ("a few minutes", NONE, "PTXM", "DURATION"),
        ("years", NONE, "PXY", "DURATION"),
        ("recent months", NONE, "PXM", "DURATION"),
        ("weeks or months", NONE, "PXW", "DURATION"),
        # sets
        ("every week", NONE, "P1W", "SET"),
        ("every other day", NONE, "P2D", "SET"),
        ("daily", NONE, "P1D", "SET"),
        ("annually", NONE, "P1Y", "SET"),
        ("twice a year", NONE, "P1Y", "SET"),
        ("each Thursday", NONE, "XXXX-WXX-4", "SET"),
        ("Tuesday nights", NONE, "XXXX-WXX-2TNI", "SET"),
        ("each July", NONE, "XXXX-07", "SET"),
        ("every morning", NONE, "XXXX-XX-XXTMO", "SET"),
        # vague references
        ("now", NONE, "PRESENT_REF", "DATE"),
        ("currently", NONE, "PRESENT_REF", "DATE"),
        ("the future", NONE, "FUTURE_REF", "DATE"),
        ("in the past", NONE, "PAST_REF", "DATE"),
        ("recently", NONE, "PAST_REF", "DATE"),
        ("one day", FUTURE, "FUTURE_REF", "DATE"),
        ("one day", NONE, "P1D", "DURATION"),
        # holidays
        ("Christmas", PAST, "2024-12-25", "DATE"),
        ("Christmas", FUTURE, "2025-12-25", "DATE"),
        ("Thanksgiving Day", FUTURE, "2025-11-27", "DATE"),
        ("last Thanksgiving", NONE, "2024-11-28", "DATE"),
        ("Easter 2024", NONE, "2024-03-31", "DATE"),
        ("Election Day", FUTURE, "2025-11-04", "DATE"),
    ],
)
def test_normalise(text, direction, value, typ):
    assert normalise(text, DCT, direction) == (value, typ)


@pytest.mark.parametrize(
    ("text", "ref", "qref", "value"),
    [
        # anaphora: the reference time is the last date mentioned
        ("that day", "2025-06-12", None, "2025-06-12"),
        ("the next day", "2025-06-12", None, "2025-06-13"),
        ("the following year", "2022", None, "2023"),
        ("later that year", "2022-05", None, "2022"),
        ("two days later", "2025-06-12", None, "2025-06-14"),
        ("the same month", "2025-06-12", None, "2025-06"),
        ("10 p.m.", "2025-06-12", None, "2025-06-12T22:00"),
        # financial reports: "a year earlier" and "the quarter" are the reported quarter
        ("a year earlier", None, "2025-Q2", "2024-Q2"),
        ("a year ago", None, "2025-Q2", "2024-Q2"),
        ("the year-ago quarter", None, "2025-Q2", "2024-Q2"),
        ("year-earlier", None, "2025-Q2", "2024-Q2"),
        ("the quarter", None, "2025-Q2", "2025-Q2"),
        ("the year-earlier period", None, "2025-Q2", "2024-Q2"),
        ("the previous quarter", None, "2025-Q2", "2025-Q1"),
        ("the same quarter in 2023", None, "2025-Q2", "2023-Q2"),
    ],
)
def test_normalise_with_reference_time(text, ref, qref, value):
    assert normalise(text, DCT, NONE, ref, qref)[0] == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("June", "XXXX-06"), ("2022", "2022"), ("three days", "P3D"), ("yesterday", "XXXX-XX-XX"),
     ("August 31st", "XXXX-08-31"), ("the 1990s", "199"), ("Friday, June 3", "XXXX-06-03"),
     ("10 p.m. Friday", "XXXX-XX-XXT22:00"), ("February 30", None)],
)
def test_normalise_without_article_date(text, value):
    res = normalise(text, None, PAST)
    assert (res[0] if res else None) == value


@pytest.mark.parametrize("text", ["", "the", "hello", "No. 5", "1,700", "25", "percent", "we", "May be"])
def test_normalise_rejects_non_times(text):
    assert normalise(text, DCT, NONE) is None
    # control: the same grammar does read a date, so the None above is a judgement, not a failure
    assert normalise("June 3", DCT, NONE) == ("2025-06-03", "DATE")


def test_normalise_is_pure():
    assert normalise("Wednesday", DCT, PAST) == normalise("Wednesday", DCT, PAST)
    assert normalise("last year", date(1998, 2, 6), NONE) == ("1997", "DATE")


@pytest.mark.parametrize(
    ("rule", "year", "day"),
    [("11-4#4", 1999, date(1999, 11, 25)),      # Thanksgiving: fourth Thursday of November
     ("05-1#L", 2025, date(2025, 5, 26)),       # Memorial Day: last Monday of May
     ("11-1#1+1", 2024, date(2024, 11, 5)),     # US Election Day: Tuesday after the first Monday
     ("easter+0", 2000, date(2000, 4, 23)),
     ("easter-2", 2025, date(2025, 4, 18)),
     ("12-25", 2025, date(2025, 12, 25))],
)
def test_holiday_rules(rule, year, day):
    assert holiday_date(rule, year) == day


def test_vocabulary_is_versioned_data():
    v = load_vocab()
    assert v.version != "unversioned"
    assert v.months["sept"] == 9 and v.weekdays["sunday"] == 7
    assert v.vague["now"][:2] == ("PRESENT_REF", "DATE")


def _found(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in detect_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # coordinated dates come out separately
        ("the summit is taking place on August 31st and September 1st, reports BELTA",
         ["August 31st", "September 1st"]),
        ("at the NATO summit on April 24 and 25.", ["April 24", "25"]),
        ("between 1994 and 1997", ["1994", "1997"]),
        ("The New York Times said in an editorial on Thursday, April 6: The", ["Thursday, April 6"]),
        ("The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling", ["10:35 a.m.", "Friday"]),
        ("In June, we met in Beijing", ["June"]),
        ("after a 16-hour flight", ["16-hour"]),
        ("its third-quarter loss widened", ["third-quarter"]),
        ("compared with a year earlier.", ["a year earlier"]),
        ("for the past three years", ["the past three years"]),
        ("since the early 1990s", ["early 1990s"]),
        ("The offer expires at 5 p.m. EST Nov. 9.", ["5 p.m. EST Nov. 9"]),
        ("Elian was found on Thanksgiving Day clinging to an inner tube", ["Thanksgiving Day"]),
        ("in the winter of nineteen ninety-four", ["the winter of nineteen ninety-four"]),
        ("the government called the 14-day waiting period", ["14-day"]),   # "the" goes with the noun
        ("for the four days of talks", ["the four days"]),
        ("he is helping us right now", ["now"]),
        ("Gonzalez was arrested early Friday", ["early Friday"]),
        ("the fire started at about 19:00 local time (1700 UTC)", ["19:00"]),  # 1700 UTC is no year
    ],
)
def test_detect_spans(text, expected):
    assert _found(text) == expected


# Not time expressions. Each text is followed by a sentence with a date, so that a detector
# that finds nothing at all fails here too.
@pytest.mark.parametrize(
    "text",
    [
        "we agreed to meet the minister",                   # "we" is not Wednesday
        "A 58-year-old man was arrested",                     # ages are not annotated
        "Mr. Reupke, 52 years old, resigned",
        "May I ask a question?",
        "the annual March for Life on Capitol Hill",
        "Iraq imports about three-quarters of its food",
        "send $1 billion a year to their families",
        "Gonzalez said on CBS's 60 Minutes.",
        "when Kopp was in his 30s",
        "at least 1,700 were injured",
        "prices fell 2015 points",
        "the leaves fall in the wind",
        "First Corinthians 9:25 says",
        "came after a second motion failed",
        "at the end of the day, it failed",
        "1846 persons were hospitalized and 1720 had already been discharged",
    ],
)
def test_detect_spans_rejects_non_times(text):
    assert _found(text + " The talks resume on June 3.") == ["June 3"]


@pytest.mark.parametrize("rule", [r for r in RULES if r.find is not None], ids=lambda r: r.name)
def test_every_rule_finds_and_reads_its_example(rule):
    """Detection and normalisation of a rule are declared together and cannot drift apart:
    the rule's own pattern finds its example, whole, and the grammar reads it."""
    text = f"It was said {rule.example} here."
    start = text.index(rule.example)
    rx = next(rx for r, rx, _ in GRAMMAR.finders if r is rule)
    assert any(m.span() == (start, start + len(rule.example)) for m in rx.finditer(text)), rule.example
    assert normalise(rule.example, DCT, NONE) is not None


def test_rules_have_distinct_names_and_handlers():
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.handler is not None or r.find is not None for r in RULES)


def test_settings_change_the_reading():
    # "Oct. 23" with no tense, on 29 August 2025: the next one is 55 days ahead, the last
    # 310 days back; the past wins only when the future bias allows 310 <= 55 * bias.
    assert normalise("Oct. 23", DCT, NONE) == ("2025-10-23", "DATE")
    patient = TimeGrammar(GRAMMAR.vocab, TimeSettings(future_bias=6.0))
    assert patient.normalise("Oct. 23", DCT, NONE) == ("2024-10-23", "DATE")
    # a bare weekday: Wednesday is two days back or five ahead; the next one wins only with slack < -3
    assert normalise("Wednesday", DCT, NONE) == ("2025-08-27", "DATE")
    eager = TimeGrammar(GRAMMAR.vocab, TimeSettings(weekday_slack=-4))
    assert eager.normalise("Wednesday", DCT, NONE) == ("2025-09-03", "DATE")


def test_a_broken_vocabulary_table_names_the_file(tmp_path):
    bad = tmp_path / "times.tsv"
    bad.write_text("# version: test\nkind\tphrase\tvalue\ttype\tdetect\nmonth\tjune\tsix\t\t\n",
                   encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_vocab(bad)
    assert str(bad) in str(err.value) and "times.tsv" in str(err.value)
    with pytest.raises(KnowledgeBaseError) as err:
        load_vocab(tmp_path / "missing.tsv")
    assert "missing.tsv" in str(err.value)


# --------------------------------------------------------------------------- with the model

@pytest.fixture(scope="module")
def code():
    from communique.pipeline import get_pipeline

    pipeline = get_pipeline()

    def _code(text: str, day: str = "2025-08-29"):
        return pipeline.code_text(text, date=day)

    return _code


def _times(record) -> dict[str, str]:
    return {t.span.text: t.value for t in record.times}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The ministers met in June to discuss trade.", "June", "2025-06"),
        ("The ministers will meet in June to discuss trade.", "June", "2026-06"),
        ("The delegation arrived on Wednesday.", "Wednesday", "2025-08-27"),
        ("The delegation will arrive on Wednesday.", "Wednesday", "2025-09-03"),
        ("The vote was held on March 3.", "March 3", "2025-03-03"),
        ("The vote is scheduled for March 3.", "March 3", "2026-03-03"),
        ("Talks are expected to resume in early October.", "early October", "2025-10"),
        ("Parliament approved the treaty last December.", "last December", "2024-12"),
        ("The court postponed the hearing until Tuesday.", "Tuesday", "2025-09-02"),
    ],
)
def test_tense_decides_direction(code, sentence, expression, value):
    assert _times(code(sentence))[expression] == value


@pytest.mark.slow
def test_coordinated_dates_are_split(code):
    rec = code("The summit takes place on August 31st and September 1st in Tianjin.")
    assert _times(rec) == {"August 31st": "2025-08-31", "September 1st": "2025-09-01"}


@pytest.mark.slow
def test_financial_year_earlier_refers_to_the_quarter(code):
    rec = code("Net income rose 5% in the third quarter, compared with $3 million a year earlier.",
               "1989-11-02")
    assert _times(rec) == {"the third quarter": "1989-Q3", "a year earlier": "1988-Q3"}


@pytest.mark.slow
def test_mentions_carry_token_positions(pipeline):
    from communique.stages._state import get_state
    from communique.stages.times import extract_times

    doc = pipeline.nlp.make_doc("Officials said on Friday that talks would resume next week.")
    doc.user_data["communique_date"] = "2025-08-29"
    doc = pipeline.nlp(doc)
    mentions = extract_times(doc, get_state(doc), pipeline.nlp.get_pipe("communique_times").grammar)
    assert [(doc[m.start:m.end].text, m.value) for m in mentions] == [("Friday", "2025-08-29"),
                                                                        ("next week", "2025-W36")]


@pytest.mark.slow
def test_detection_from_the_parse_matches_detection_from_text(pipeline):
    detect = detect_spans
    texts = [BELTA_TEXT,
             "The blast occurred at 10:35 a.m. (0735 GMT) Friday, Aug. 7, in the mid-1990s style, and "
             "post-1959 politics; profits rose in the third-quarter, 6pm, o'clock, the 1990s."]
    for text in texts:
        doc = pipeline.nlp(text)
        assert detect(text, doc) == detect(text)
        assert len(detect(text)) >= 5


@pytest.mark.slow
def test_belta_times(belta_record):
    times = {t.span.text: (t.value, t.type) for t in belta_record.times}
    assert times["August 31st"] == ("2025-08-31", "DATE")
    assert times["September 1st"] == ("2025-09-01", "DATE")
    assert times["June"] == ("2025-06", "DATE")          # "In June": the span is the month alone
    assert times["2022"] == ("2022", "DATE")             # "In 2022"
    assert belta_record.times[0].span.text == "August 31st"
    assert [t.id for t in belta_record.times] == [f"t{i + 1}" for i in range(len(belta_record.times))]
