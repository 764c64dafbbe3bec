"""The stages' array helpers give exactly what the slower calls they replace give."""

from __future__ import annotations

import numpy
import spacy

from communique.stages._arrays import in_sorted, sorted_ids
from communique.stages._state import doc_text, set_doc_text


def test_in_sorted_is_numpy_isin_on_random_ids():
    rng = numpy.random.default_rng(7)
    top = numpy.iinfo(numpy.uint64).max
    for _ in range(500):
        table = sorted_ids(rng.integers(0, top, int(rng.integers(0, 40)), dtype=numpy.uint64).tolist())
        values = numpy.concatenate([
            rng.integers(0, top, int(rng.integers(0, 30)), dtype=numpy.uint64),
            table[: int(rng.integers(0, len(table) + 1))],          # some hits
            numpy.array([0, top], dtype=numpy.uint64),             # both ends of the range
        ])
        rng.shuffle(values)
        assert (in_sorted(values, table) == numpy.isin(values, table)).all()


def test_in_sorted_on_a_column_and_an_empty_table():
    arr = numpy.array([[1, 5], [2, 9], [3, 5]], dtype=numpy.uint64)
    assert in_sorted(arr[:, 1], sorted_ids([9, 5])).tolist() == [True, True, True]
    assert in_sorted(arr[:, 1], sorted_ids([9])).tolist() == [False, True, False]
    assert in_sorted(arr[:, 0], sorted_ids([])).tolist() == [False, False, False]


def test_doc_text_is_doc_text_joined_once():
    doc = spacy.blank("en")("Lebed met  Yeltsin (Russia) in Moscow.\n\nThen he left. ")
    first = doc_text(doc)
    assert first == doc.text
    assert doc_text(doc) is first   # kept for the document, not joined again


def test_set_doc_text_keeps_the_tokenised_string_and_refuses_another():
    nlp = spacy.blank("en")
    text = "Lebed met  Yeltsin (Russia) in Moscow.\n\nThen he left. "
    doc = nlp.make_doc(text)
    set_doc_text(doc, text)
    assert doc_text(doc) is text   # the string itself: no join of the tokens
    other = nlp.make_doc(text)
    set_doc_text(other, text + " ")   # not what it was tokenised from: not recorded
    assert doc_text(other) == other.text == text
    empty = nlp.make_doc("")
    set_doc_text(empty, "")
    assert doc_text(empty) == ""
