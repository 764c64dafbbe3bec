"""Quote-mark regions (no model): every typography, unbalanced marks, paragraphs.

Table-driven cases check what ``find_regions`` reads as quoted; hypothesis checks
that any arrangement of marks is handled without an exception and that every
region is a well-formed span of the text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from communique.stages._quotemarks import find_regions, paragraphs


def quoted(text: str, double_only: bool = False) -> list[str]:
    regions, _ = find_regions(text)
    return [text[r.start:r.end] for r in regions if r.double or not double_only]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # straight and curly doubles, guillemets both ways, German low-high marks
        ('He said "we will win" and left.', ["we will win"]),
        ("\u201cWe will win,\u201d said Merkel.", ["We will win,"]),
        ("\u00abWe will win\u00bb, said Macron.", ["We will win"]),
        ("\u00bbWir siegen\u00ab, sagte er.", ["Wir siegen"]),
        ("\u201eJa\u201c, sagte sie.", ["Ja"]),
        # typewriter pairs: ``...'' and the ''...'' of some archives
        ("``Old style,'' he said.", ["Old style,"]),
        ("''I have never been edited,'' he said.", ["I have never been edited,"]),
        # single quotes as quote marks, apostrophes left alone
        ("'We will win,' he said. 'No doubt.'", ["We will win,", "No doubt."]),
        ("She called the move 'unacceptable' and the leaders' talks failed.", ["unacceptable"]),
        ("Xi's and Lukashenko's talks don't end in the '90s.", []),
        # a quote that runs over several sentences
        ('"One. Two! Three?" she asked.', ["One. Two! Three?"]),
        # an interrupted quote is two regions
        ('"A," he said, "B."', ["A,", "B."]),
        # curly marks inside a straight quote quote within the quote
        ('"He called it \u201ca disgrace\u201d today," she said.', ["He called it \u201ca disgrace\u201d today,"]),
        # a closing mark typed as an opening one
        ("He said, \u201cI am here.\u201c Then left.", ["I am here."]),
    ],
)
def test_regions_by_typography(text, expected):
    assert quoted(text) == expected


def test_quote_continued_over_paragraphs_is_flagged():
    text = '"First paragraph of a long quote.\n\n"Second paragraph ends here," he said.'
    regions, warnings = find_regions(text)
    assert [text[r.start:r.end] for r in regions] == ["First paragraph of a long quote.",
                                                       "Second paragraph ends here,"]
    assert regions[0].continues and regions[0].close is None
    assert not regions[1].continues and regions[1].close is not None
    assert warnings == []  # the newswire convention is not an error


def test_quote_split_by_a_line_break_is_joined():
    text = '"Who may be included is at the discretion\n\nof the decision-maker," said Nicholson.'
    regions, warnings = find_regions(text)
    assert len(regions) == 1 and text[regions[0].start:regions[0].end].endswith("decision-maker,")
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "expected", "warning"),
    [
        ('"Unclosed quote here.\n\nNext paragraph plain.', ["Unclosed quote here."], "not closed"),
        ("A stray \u201d mark. And \u201cone more", ["one more"], "no opening mark"),
        ("\u201cFirst never closed. \u201cSecond closed,\u201d he said.",
         ["First never closed.", "Second closed,"], "not closed before the next opening mark"),
    ],
)
def test_unbalanced_marks_give_a_warning_and_the_best_reading(text, expected, warning):
    regions, warnings = find_regions(text)
    assert [text[r.start:r.end] for r in regions] == expected
    assert any(warning in w for w in warnings)


def test_paragraphs_blank_lines_and_sentence_final_line_breaks():
    text = "First para.\nSecond para\nwraps here.\n\n\u201cA quote\u201d\n- bullet"
    spans = [text[s:e] for s, e in paragraphs(text)]
    assert spans == ["First para.", "Second para\nwraps here.", "\u201cA quote\u201d", "- bullet"]


# -- properties ---------------------------------------------------------------------
MARKS = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\u2039", "\u203a",
         "``", "''", "\u201a", "\uff02"]
PIECES = st.one_of(
    st.sampled_from(MARKS),
    st.sampled_from(["a", "word", "Xi", "don't", " ", "  ", ".", ",", "!", "?", ":", "\n", "\n\n", "(", ")",
                     "-", "\u2014", "90s", "\t", "\u00a0"]),
    st.text(max_size=4),
)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
# a single quote opened inside a double quote that a second opening mark ends must end with it
@example("\u201c'a\u201ca'")
def test_any_arrangement_of_marks_gives_wellformed_regions(text):
    regions, warnings = find_regions(text)
    assert all(isinstance(w, str) for w in warnings)
    for r in regions:
        assert 0 <= r.open < r.start <= r.end <= len(text) or (r.open == r.start and r.end <= len(text))
        content = text[r.start:r.end]
        assert content and content == content.strip()
        if r.close is not None:
            assert r.end <= r.close < len(text)
            assert r.after <= len(text)
    doubles = sorted((r for r in regions if r.double), key=lambda r: r.open)
    for a, b in zip(doubles, doubles[1:], strict=False):
        assert a.after <= b.open  # double quotes never overlap
    singles = sorted((r for r in regions if not r.double), key=lambda r: r.open)
    for a, b in zip(singles, singles[1:], strict=False):
        assert a.after <= b.open  # nor do single quotes
    for s_ in singles:  # a single quote is inside a double one, or clear of all of them
        assert all(s_.after <= d.open or d.after <= s_.open or d.open < s_.open < d.after for d in doubles)
    assert [r.open for r in regions] == sorted(r.open for r in regions)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_paragraphs_cover_the_text_in_order(text):
    spans = paragraphs(text)
    pos = 0
    for s, e in spans:
        assert pos <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        pos = e
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()  # nothing lost


def test_single_quote_does_not_run_across_an_unclosed_double_quote():
    # the second opening mark ends the first (unclosed) quote; the single quote opened in it
    # must not be closed by a mark inside the second quote
    regions, warnings = find_regions("\u201c'a\u201ca'")
    assert [(r.start, r.end, r.double) for r in regions] == [(1, 3, True), (4, 6, True)]
    assert any("not closed before the next opening mark" in w for w in warnings)
