"""The time stage's tense words and non-time entity phrases are knowledge in kb/data/times.tsv."""

from __future__ import annotations

import pytest

from communique.errors import KnowledgeBaseError
from communique.kb.tables import data_path
from communique.stages.times.vocabulary import TENSE_LISTS, load_vocab


def _table_without(tmp_path, drop) -> object:
    lines = data_path("times.tsv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "times.tsv"
    path.write_text("\n".join(line for line in lines if not drop(line)) + "\n", encoding="utf-8")
    return path


def test_the_tense_lists_and_nontime_phrases_come_from_the_table():
    v = load_vocab()
    assert set(v.tense) == set(TENSE_LISTS)
    assert "will" in v.tense["future_aux"] and "'ll" in v.tense["future_aux"]
    assert {"expect", "plan", "schedule"} <= v.tense["plan"] and "say" in v.tense["reporting"]
    assert "postpone" in v.tense["deadline"] and "say" not in v.tense["plan"]
    assert "the day" in v.nontime and "june" not in v.nontime


def test_a_table_edit_changes_the_lists(tmp_path):
    path = _table_without(tmp_path, lambda line: line.startswith("tense\tslate\t"))
    v = load_vocab(path)
    assert "slate" not in v.tense["schedule"] and "slate" not in v.tense["plan"]
    assert "schedule" in v.tense["schedule"]


def test_a_table_missing_a_tense_list_names_the_file_and_the_fix(tmp_path):
    path = _table_without(tmp_path, lambda line: line.split("\t")[:1] == ["tense"] and line.endswith("\treporting\t\t"))
    with pytest.raises(KnowledgeBaseError, match="reporting") as err:
        load_vocab(path)
    assert str(path) in str(err.value) and "tense" in str(err.value)


def test_an_unknown_tense_list_is_refused_with_its_line(tmp_path):
    path = tmp_path / "times.tsv"
    path.write_text(data_path("times.tsv").read_text(encoding="utf-8") + "tense\tsoon\tsometime\t\t\n",
                    encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="sometime"):
        load_vocab(path)


@pytest.mark.slow
def test_clause_direction_reads_the_words_it_is_given(pipeline):
    from communique.stages.times import clause_direction

    doc = pipeline.nlp("The talks will resume in March.")
    span = doc.char_span(doc.text.index("March"), doc.text.index("March") + 5)
    words = load_vocab().tense
    assert clause_direction(span, words) == 1
    # without "will" among the future auxiliaries the clause no longer looks ahead
    assert clause_direction(span, {**words, "future_aux": words["future_aux"] - {"will"}}) == 0
