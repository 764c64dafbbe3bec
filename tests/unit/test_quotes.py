"""The quote stage: direct quotes in every typography, indirect speech, speakers in
every position, carried-over and resolved speakers, and the BELTA article.

All tests here run the spaCy pipeline (loaded once per session by the ``pipeline``
fixture), so they are marked slow. The pure quote-mark tests are in
test_quotemarks.py; the lexicon tests below need no model.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.stages.quotes import get_cues


# -- the cue lexicon (no model) ---------------------------------------------------------
def test_cue_table_has_speech_verbs_phrases_and_content_kinds():
    cues = get_cues()
    assert cues.version != "unversioned"
    for verb in ("say", "note", "stress", "emphasize", "remark", "add", "share", "state", "tell", "highlight"):
        assert cues.verbs[verb].kind == "speech", verb
    assert cues.verbs["express"].content == ("object",)        # "expressed his belief in ..."
    assert "object" in cues.verbs["reaffirm"].content          # "reaffirmed China's readiness to ..."
    assert cues.verbs["continue"].content == ()                # '"...," he continued' only
    assert cues.verbs["believe"].kind == "belief"
    assert ("according", "to") in cues.phrases
    assert "poll" in cues.source_nouns and "read more" in cues.boilerplate


# -- helpers ----------------------------------------------------------------------------
def quotes_of(pipeline, text: str) -> list[dict]:
    rec = pipeline.code_text(text).to_dict()
    return rec["quotes"]


def no_quotes(pipeline, text: str) -> bool:
    """``text`` has no quote, while the stage does find an ordinary one (so an empty result is news)."""
    assert [q["type"] for q in quotes_of(pipeline, 'Angela Merkel said: "We will win."')] == ["direct"]
    return quotes_of(pipeline, text) == []


def one(pipeline, text: str, content: str) -> dict:
    """The quote whose span is ``content`` (exactly one must exist)."""
    found = [q for q in quotes_of(pipeline, text) if q["span"]["text"] == content]
    assert len(found) == 1, (content, [q["span"]["text"] for q in quotes_of(pipeline, text)])
    return found[0]


def speaker_name(q: dict) -> str | None:
    return q["speaker"].get("name")


# -- direct quotes: typography and speaker position --------------------------------------
DIRECT = [
    # (text, quote span, speaker name, cue)
    ('Prime Minister Justin Trudeau said: "We will not back down."', "We will not back down.",
     "Justin Trudeau", "said"),
    ('"We will not back down," Prime Minister Justin Trudeau said.', "We will not back down,",
     "Justin Trudeau", "said"),
    ('"We will not back down," said Prime Minister Justin Trudeau.', "We will not back down,",
     "Justin Trudeau", "said"),
    ("\u201cWe will not back down,\u201d said Angela Merkel.", "We will not back down,", "Angela Merkel", "said"),
    ("'We will not back down,' said Angela Merkel.", "We will not back down,", "Angela Merkel", "said"),
    ("\u00abWe will win this fight\u00bb, said Emmanuel Macron.", "We will win this fight", "Emmanuel Macron",
     "said"),
    ("``We will win this fight,'' said Emmanuel Macron.", "We will win this fight,", "Emmanuel Macron", "said"),
    ('Angela Merkel told reporters: "The talks have failed."', "The talks have failed.", "Angela Merkel", "told"),
    ('"Are there any questions?" asked Angela Merkel.', "Are there any questions?", "Angela Merkel", "asked"),
    # pronoun speaker after the quote, resolved to the person named before
    ('Angela Merkel met reporters on Monday. "We will not back down," she added.', "We will not back down,",
     "Angela Merkel", "added"),
    # a quote over several sentences
    ('"The law is clear. Nobody is above it. Nobody!" Angela Merkel stressed.',
     "The law is clear. Nobody is above it. Nobody!", "Angela Merkel", "stressed"),
    # speakers no actor covers keep their text
    ('"This is a disaster," a senior official said.', "This is a disaster,", "a senior official", "said"),
    ('"This is a disaster," officials said.', "This is a disaster,", "officials", "said"),
    ('"I never wanted this job," I said to him.', "I never wanted this job,", "I", "said"),
    # "according to" after a quote
    ('"The system is failing," according to Dr. Keith Ahamad, a family doctor.', "The system is failing,",
     "Keith Ahamad", "according to"),
    # a byline-style dash after the quote
    ("\u201cHe is ignorant of our culture.\u201d \u2015 Pamela Padilla", "He is ignorant of our culture.",
     "Pamela Padilla", "\u2015"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "content", "speaker", "cue"), DIRECT)
def test_direct_quotes_with_their_speakers(pipeline, text, content, speaker, cue):
    q = one(pipeline, text, content)
    assert q["type"] == "direct"
    assert speaker in (speaker_name(q) or "")
    assert (q["cue"] or {}).get("text") == cue


@pytest.mark.slow
def test_interrupted_quote_keeps_its_speaker(pipeline):
    text = '"We will not back down," Angela Merkel said. "The law is clear. Nobody is above it."'
    a = one(pipeline, text, "We will not back down,")
    b = one(pipeline, text, "The law is clear. Nobody is above it.")
    assert speaker_name(a) == speaker_name(b) == "Angela Merkel"
    assert b["cue"] is None  # carried over, not cued


@pytest.mark.slow
def test_paragraph_that_continues_a_quote(pipeline):
    text = ('Angela Merkel spoke to reporters in Berlin.\n\n'
            '"We will not back down. The law is clear.\n\n'
            '"Nobody is above it," she said.')
    first = one(pipeline, text, "We will not back down. The law is clear.")
    second = one(pipeline, text, "Nobody is above it,")
    assert speaker_name(first) == speaker_name(second) == "Angela Merkel"


@pytest.mark.slow
def test_speaker_carried_from_the_previous_sentence(pipeline):
    text = ("The President emphasized that Belarus and China face no disagreements. "
            '"If we need to coordinate a matter, a simple phone call suffices."')
    q = one(pipeline, text, "If we need to coordinate a matter, a simple phone call suffices.")
    assert q["speaker"]["span"]["text"] == "The President"


@pytest.mark.slow
def test_speaker_carried_from_the_previous_quote_paragraph(pipeline):
    text = ('"It feels good to be back," said Erik Karlsson.\n\n'
            '"I was excited to get back today and do everything I could to stay in it."')
    q = one(pipeline, text, "I was excited to get back today and do everything I could to stay in it.")
    assert speaker_name(q) == "Erik Karlsson"


@pytest.mark.slow
def test_pronoun_speaker_named_by_the_last_reporting_subject(pipeline):
    text = ("Toronto councillor Josh Matlow told HuffPost the laws favour the property owner.\n\n"
            '"Obviously the best way to protect oneself is to know your rights," he said.')
    q = one(pipeline, text, "Obviously the best way to protect oneself is to know your rights,")
    assert q["speaker"]["span"]["text"] == "he"
    assert speaker_name(q) == "Josh Matlow"


@pytest.mark.slow
def test_colon_introduced_quote_after_a_clause(pipeline):
    text = ("Lukashenko shared that Belarus is learning from China's experience: "
            '"I am a firm believer that we must take certain elements into our reality."')
    direct = one(pipeline, text, "I am a firm believer that we must take certain elements into our reality.")
    indirect = one(pipeline, text, "Belarus is learning from China's experience")
    assert direct["type"] == "direct" and indirect["type"] == "indirect"
    assert speaker_name(direct) == speaker_name(indirect) == "Alexander Lukashenko"


@pytest.mark.slow
def test_transcript_turns_are_quotes_of_their_labels(pipeline):
    text = ("Partial transcript as follows:\n\n"
            "WALLACE: Will Gennifer Flowers be at the debate tomorrow night?\n\n"
            "PENCE: Gennifer Flowers will not be attending the debate tomorrow night.\n\n"
            "WALLACE: Do you really see those two as equivalent?")
    q = one(pipeline, text, "Gennifer Flowers will not be attending the debate tomorrow night.")
    assert q["speaker"]["span"]["text"] == "PENCE"
    assert len(quotes_of(pipeline, text)) == 3


@pytest.mark.slow
def test_single_quotes_carry_speech_in_articles_without_double_quotes(pipeline):
    text = ("Angela Merkel spoke to reporters.\n\n'We will not back down. The law is clear,' she said.\n\n"
            "'Nobody is above it.'")
    assert speaker_name(one(pipeline, text, "We will not back down. The law is clear,")) == "Angela Merkel"
    assert speaker_name(one(pipeline, text, "Nobody is above it.")) == "Angela Merkel"


@pytest.mark.slow
def test_headline_with_a_speaker_and_a_colon(pipeline):
    text = ("Pat Caddell: Democrat Voters Worried About Hillary Clinton Health Issues\n\n"
            "Pat Caddell spoke on Fox News on Thursday about the polls.")
    q = one(pipeline, text, "Democrat Voters Worried About Hillary Clinton Health Issues")
    assert q["type"] == "indirect" and speaker_name(q) == "Pat Caddell"


@pytest.mark.slow
def test_section_labels_are_not_speakers(pipeline):
    text = ("KEEPING SCORE: The S&P 500 index gained 18 points to 2,651 as of 10 a.m.\n\n"
            "ENERGY: U.S. crude oil slipped 0.1 per cent to $52.94 per barrel in New York.")
    assert no_quotes(pipeline, text)


# -- partial and mixed quotes -----------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("Angela Merkel called the move 'unacceptable' on Monday.", "the move 'unacceptable' on Monday",
         "Angela Merkel"),
        ('Emmanuel Macron warned that "nobody will win a trade war" with China.',
         '"nobody will win a trade war" with China', "Emmanuel Macron"),
        ('Her time so far has been "life-changing and heartbreaking," Lonechild said.',
         'Her time so far has been "life-changing and heartbreaking', "Lonechild"),
    ],
)
def test_partial_quote_inside_a_sentence_is_one_mixed_quote(pipeline, text, content, speaker):
    q = one(pipeline, text, content)
    assert q["type"] == "mixed"
    assert speaker in (speaker_name(q) or "")
    assert len(quotes_of(pipeline, text)) == 1  # the fragment is not also a quote of its own


@pytest.mark.slow
def test_scare_quotes_and_titles_are_not_quotes(pipeline):
    assert no_quotes(pipeline, 'The so-called "experts" were wrong about the "Shark Tank" episode.')
    assert no_quotes(pipeline, 'She watched "The Kid Who Would Be King" twice.')


# -- indirect speech --------------------------------------------------------------------
INDIRECT = [
    ("Angela Merkel said on Monday that the talks had failed.", "the talks had failed", "Angela Merkel", "said"),
    ("The talks had failed, Angela Merkel said on Monday.", "The talks had failed", "Angela Merkel", "said"),
    ("Xi Jinping noted that China-Belarus relations continue to thrive at a high level.",
     "China-Belarus relations continue to thrive at a high level", "Xi Jinping", "noted"),
    ("Xi Jinping reaffirmed China's readiness to work alongside Belarusian partners.",
     "China's readiness to work alongside Belarusian partners", "Xi Jinping", "reaffirmed"),
    ("Lukashenko expressed his belief in adopting China's political model.",
     "his belief in adopting China's political model", "Alexander Lukashenko", "expressed"),
    ("According to Angela Merkel, the talks have failed completely.", "the talks have failed completely",
     "Angela Merkel", "According to"),
    ("The talks have failed completely, according to Angela Merkel.", "The talks have failed completely",
     "Angela Merkel", "according to"),
    ("The senator vowed to block the nomination in committee.", "to block the nomination in committee",
     "The senator", "vowed"),
    ("A new poll shows that most voters oppose the plan.", "most voters oppose the plan", "A new poll", "shows"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "content", "speaker", "cue"), INDIRECT)
def test_indirect_quotes(pipeline, text, content, speaker, cue):
    q = one(pipeline, text, content)
    assert q["type"] == "indirect"
    assert speaker in (speaker_name(q) or "")
    assert q["cue"]["text"] == cue


@pytest.mark.slow
def test_belief_without_that_and_page_furniture_are_not_quotes(pipeline):
    assert no_quotes(pipeline, "I think it is a shame, you know.")
    assert no_quotes(pipeline, "Story continues below advertisement\n\nREAD MORE: Minister says budget "
                               "will not balance until 2040")


# -- the BELTA article ------------------------------------------------------------------
BELTA_DIRECT = [
    ("You truly are remarkable", "Alexander Lukashenko", "emphasized"),
    ("Once upon a time, the Soviet Union", "Alexander Lukashenko", "remarked"),
    ("I congratulate you on steering", "Alexander Lukashenko", "added"),
    ("In June, we met in Beijing", "Xi Jinping", "stated"),
    ("We see this clearly reflected", "Alexander Lukashenko", "said"),
    ("I am a firm believer", "Alexander Lukashenko", "shared"),
    ("If we need to coordinate a matter", "Alexander Lukashenko", None),
]
BELTA_INDIRECT = [
    ("China-Belarus relations of comprehensive", "Xi Jinping", "noted"),
    ("China's readiness to work alongside", "Xi Jinping", "reaffirmed"),
    ("his belief in adopting China's political model", "Alexander Lukashenko", "expressed"),
    ("Belarus is learning from and adopting", "Alexander Lukashenko", "shared"),
    ("Belarus and China face no issues", "Alexander Lukashenko", "emphasized"),
]


@pytest.mark.slow
def test_belta_seven_direct_quotes_with_speakers(belta_record):
    direct = [q for q in belta_record.quotes if q.type == "direct"]
    assert len(direct) == 7
    for (start, name, cue), q in zip(BELTA_DIRECT, direct, strict=True):
        assert q.span.text.startswith(start)
        assert q.speaker.name == name
        assert q.speaker.code in ("BLRGOV", "CHNGOV") and q.speaker.country in ("BLR", "CHN")
        assert (q.cue.text if q.cue else None) == cue


@pytest.mark.slow
def test_belta_indirect_quotes_with_speakers(belta_record):
    indirect = [q for q in belta_record.quotes if q.type == "indirect"]
    for start, name, cue in BELTA_INDIRECT:
        found = [q for q in indirect if q.span.text.startswith(start)]
        assert len(found) == 1, start
        assert found[0].speaker.name == name and found[0].cue.text == cue


@pytest.mark.slow
def test_belta_speakers_resolve_titles_and_pronouns(belta_record):
    by_span = {q.speaker.span.text: q.speaker.name for q in belta_record.quotes if q.speaker.span}
    assert by_span["the Belarusian leader"] == "Alexander Lukashenko"
    assert by_span["the Chinese leader"] == "Xi Jinping"
    assert by_span["The President"] == "Alexander Lukashenko"
    assert by_span["he"] == "Alexander Lukashenko"


# -- properties of the whole stage -------------------------------------------------------
PIECES = st.one_of(
    st.sampled_from(['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "``", "''", ":",
                     ",", ".", "!", "?", "\n", "\n\n", " ", "(", ")", "\u2014"]),
    st.sampled_from(["Angela Merkel", "he", "she", "I", "said", "told reporters", "according to", "added",
                     "noted that", "the talks failed", "We will win", "Xi Jinping", "officials", "READ MORE",
                     "PENCE", "WALLACE", "that", "called the move", "unacceptable", "In June", "Beijing"]),
    st.text(max_size=6),
)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=40).map(" ".join))
def test_any_text_gives_wellformed_quotes(pipeline, text):
    rec = pipeline.code_text(text)
    body = text
    for q in rec.quotes:
        assert 0 <= q.span.start < q.span.end <= len(body)
        assert body[q.span.start:q.span.end] == q.span.text
        assert q.type in ("direct", "indirect", "mixed")
        for span in (q.cue, q.speaker.span):
            if span is not None:
                assert 0 <= span.start <= span.end <= len(body)
                assert body[span.start:span.end] == span.text
    for e in rec.events:
        if e.quote is not None:
            assert e.quote in {q.id for q in rec.quotes}
