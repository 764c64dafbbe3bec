"""The PLOVER word rules' substring shortcut (kb/_words.first_words) must never change a match."""

import re
from importlib.resources import files

from communique.kb._words import compile_words, first_words, lead_words
from communique.kb.plover import RuleSet, WordRule, get_plover_tables


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


def _indexed(cell: str, unless: str = "", name: str = "r") -> WordRule:
    return WordRule(name, compile_words(cell, "test"), compile_words(unless, "test"), first_words(cell),
                    tuple(lead_words(cell)) if lead_words(cell) is not None else None)


def test_lead_words_keep_whether_the_first_word_runs_on():
    assert lead_words("Protest*; pull* out; tear-gas; riot police") == [
        ("protest", True), ("pull", True), ("tear-gas", False), ("riot", False)]
    assert lead_words("straße") is None


_TEXTS = ["PROTESTERS gathered", "they pulled  out of the deal", "nothing of the kind", "a protest song",
          "counterprotest", "İstanbul protests", "Pull\tout now", "", "Police fired tear-gas.",
          "tear gas and riot police", "the U.N. envoy", "a $5 fine", "poli_ce", "policed", "x-ray war2",
          "war 2", "War2 games", "ARMIES marched", "an army-led coup", "armyman", "(army)"]


def test_rule_set_gives_the_regex_answer_in_table_order():
    rules = [_indexed("protest*; pull* out", unless="protest song", name="a"),
             _indexed("police; riot police", name="b"), _indexed("tear-gas; tear gas", name="c"),
             _indexed("u.n. envoy", name="d"), _indexed("$5 fine", name="e"), _indexed("war2*", name="f"),
             _indexed("army*;armies", name="g"), _indexed("straße; police", name="h"), _indexed("", name="i"),
             _indexed("poli_ce", name="j")]
    rule_set = RuleSet(rules)
    assert rule_set.always == [4, 7]   # non-ASCII words; a first character that is not a word character
    for text in _TEXTS:
        assert rule_set.names(text) == [r.name for r in rules if r.words is not None and r.regex_matches(text)]
    assert rule_set.names("Police fired tear-gas at protesters") == ["a", "b", "c", "h"]
    assert rule_set.names("an army-led coup") == ["g"]


def test_rule_set_of_the_real_tables_agrees_with_every_rule():
    tables = get_plover_tables()
    text = (files("communique") / "samples" / "wikinews-sample50.jsonl").read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\\n", text) if s][:3000]
    sentences += ["Troops fired tear gas at protesters in İstanbul.", "The Pentagon's spy-satellite."]
    assert len(sentences) > 500
    hits = 0
    for sentence in sentences:
        want = [r.name for r in tables.contexts if r.matches(sentence)]
        assert tables.context_set.names(sentence) == want
        hits += len(want)
        for kind, rules in tables.modes.items():
            assert tables.mode_sets[kind].names(sentence) == [r.name for r in rules if r.matches(sentence)]
    assert hits > 100
