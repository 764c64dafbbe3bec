"""The PLOVER word rules' substring shortcut (kb/_words.first_words) must never change a match."""

from communique.kb._words import compile_words, first_words
from communique.kb.plover import WordRule


def _rule(cell: str, unless: str = "") -> WordRule:
    return WordRule("r", compile_words(cell, "test"), compile_words(unless, "test"), first_words(cell))


def test_first_words_are_the_lower_case_stems_of_each_item():
    assert first_words("Protest*; pull* out; protest rally") == ("protest", "pull")
    assert first_words("") == ()
    assert first_words("straße; police") is None   # a non-ASCII word: no shortcut


def test_shortcut_gives_the_regex_answer():
    rule = _rule("protest*; pull* out", unless="protest song")
    plain = WordRule("r", rule.words, rule.unless)   # the same rule without the shortcut
    texts = ["PROTESTERS gathered", "they pulled  out of the deal", "nothing of the kind", "a protest song",
             "counterprotest", "İstanbul protests", "Pull\tout now", ""]
    got = [rule.matches(t) for t in texts]
    assert got == [plain.matches(t) for t in texts]
    assert got == [True, True, False, False, False, True, True, False]
