"""The stages' shared lexicon and their word-list table (issue 15): one definition, data not code."""

from __future__ import annotations

import pytest

from communique.errors import KnowledgeBaseError
from communique.kb import versions
from communique.kb.wordlists import load_word_lists
from communique.stages import _lexicon


def test_shipped_word_lists_load_and_are_recorded():
    lists = load_word_lists()
    assert lists.version != "unversioned"
    assert "former" in lists.words("actors", "former")
    assert "CHN" in lists.words("actors", "family_first")
    assert versions()["stage_words.tsv"] == lists.version


def test_a_missing_list_names_the_table_and_the_fix(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("# version: 1\nstage\tlist\twords\tnote\nactors\tformer\tformer|ex\t\n", encoding="utf-8")
    lists = load_word_lists(str(path))
    assert lists.words("actors", "former") == {"former", "ex"}
    with pytest.raises(KnowledgeBaseError) as err:
        lists.words("actors", "leader_nouns")
    assert str(path) in str(err.value) and "add a row" in str(err.value)


def test_a_list_defined_twice_is_an_error(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("stage\tlist\twords\nactors\tformer\tex\nactors\tformer\tlate\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="defined twice"):
        load_word_lists(str(path))


def test_lexicon_is_one_definition_shared_by_the_stages():
    from communique.stages.actors import stage as actor_stage
    from communique.stages.quotes import carry

    # the pronoun genders the actor and quote stages use are the same object
    assert actor_stage.PRONOUN_GENDER is carry.PRONOUN_GENDER is _lexicon.PRONOUN_GENDER
    assert {"nsubj", "nsubjpass", "csubj", "csubjpass"} == _lexicon.SUBJECT_DEPS
    assert {"nothing", "hardly", "nor", "neither", "not", "n't"} <= _lexicon.NEGATORS


def test_a_misspelt_dependency_label_fails_at_once():
    with pytest.raises(ValueError, match="nsubjj"):
        _lexicon._deps("nsubj", "nsubjj")
