"""Event coding: patterns, frames, participants, modality, dates, places and discards.

Table-driven tests on hand-built sentences. Tests marked ``slow`` load the spaCy model
(once per module, through ``communique.pipeline.get_pipeline``); the others test the
lexicon format on its own.
"""

from __future__ import annotations

import pytest

from communique.kb import get_event_lexicon, versions
from communique.kb.lexicons import PatternError, Words, parse_rule

DAY = "2025-08-29"


# -- the lexicon format (no model) -------------------------------------------------------
SETS = {"military": Words(frozenset({"troop", "soldier"}))}


@pytest.mark.parametrize("head, pattern, check", [
    ("meet", "(with +)", lambda r: r.preps[0].prep == "with" and r.preps[0].target),
    ("impose", "sanction|embargo (on +)",
     lambda r: r.obj.lemmas == {"sanction", "embargo"} and r.preps[0].prep == "on" and r.preps[0].target),
    ("deploy", "@military", lambda r: r.obj.lemmas == {"troop", "soldier"}),
    ("provide", "{humanitarian aid}", lambda r: r.obj.phrases == (("humanitarian", "aid"),)),
    ("highlight", "~success", lambda r: r.obj.anywhere),
    ("carry out", "", lambda r: r.head == "carry" and r.particle == "out" and r.is_default),
    ("decline", ">comment", lambda r: r.comp.lemmas == {"comment"}),
    ("receive", "+!", lambda r: r.obj_target and r.obj_actor),
])
def test_pattern_syntax(head, pattern, check):
    rule = parse_rule(head, pattern, "040", "", "", SETS)
    assert check(rule)


def test_codes_direction_and_blockers():
    assert parse_rule("face", "criticism", "<111", "", "", {}).reverse
    assert parse_rule("take", "", "-", "", "", {}).code == ""
    assert parse_rule("visit", "", "042", "043", "", {}).mirror == "043"


def test_specific_rules_outrank_defaults():
    default = parse_rule("impose", "", "-", "", "light", {})
    specific = parse_rule("impose", "sanction (on +)", "163", "", "", {})
    assert specific.specificity > default.specificity
    phrase = parse_rule("issue", "{arrest warrant}", "173", "", "", {})
    word = parse_rule("issue", "warrant", "100", "", "", {})
    assert phrase.specificity > word.specificity


@pytest.mark.parametrize("bad", ["(", "@nosuchset", "sanction embargo"])
def test_bad_patterns_are_reported(bad):
    with pytest.raises(PatternError):
        parse_rule("impose", bad, "163", "", "", {})


def test_unknown_kind_is_reported():
    with pytest.raises(PatternError):
        parse_rule("impose", "", "163", "", "nonsense", {})


@pytest.mark.parametrize("frame, topic, code", [
    ("appeal", "0874", "0256"),     # urged X to withdraw troops: appeal to de-escalate
    ("intent", "190", "1384"),      # vowed to attack: threaten conventional attack
    ("intent", "042", "036"),       # will visit: intent to meet
    ("intent", "090", "090"),       # wants to investigate keeps its code
    ("halt", "163", "085"),         # lifted sanctions
    ("reject", "036", "125"),       # rejected an offer to meet
    ("demand", "0841", "1053"),     # demanded the release of prisoners
    ("posture", "190", "150"),      # prepared to attack: force posture
    ("posture", "061", "0311"),     # prepared to trade: falls back to intent
])
def test_frames_combine_with_their_complement(frame, topic, code):
    assert get_event_lexicon().frame_code(frame, topic) == code


def test_shipped_tables_are_versioned():
    v = versions()
    for table in ("event_patterns.tsv", "event_nouns.tsv", "event_frames.tsv", "event_sets.tsv",
                  "event_discards.tsv", "cameo.tsv"):
        assert v.get(table) and v[table] != "unversioned", table


def test_petrarch_defaults_that_overgenerate_are_blocked():
    lex = get_event_lexicon()
    for verb in ("take", "learn", "face", "give", "serve", "add"):
        assert lex.verb_default(verb) in (None, "010"), verb


# -- coding sentences (loads the model) --------------------------------------------------
@pytest.fixture(scope="module")
def code():
    from communique.pipeline import get_pipeline

    pipe = get_pipeline()

    def run(text: str, date: str | None = DAY):
        return pipe.code_text(text, date=date)

    return run


def _pairs(rec, root: str | None = None):
    """(source name, target name, cameo) of the events, optionally of one CAMEO root."""
    out = []
    for e in rec.events:
        if root and e.cameo_root != root:
            continue
        out.append((e.source.name if e.source else None, e.target.name if e.target else None, e.cameo))
    return out


def _top(rec):
    return max(rec.events, key=lambda e: e.confidence)


@pytest.mark.slow
@pytest.mark.parametrize("text, root, source, target", [
    # verb + preposition
    ("Russia met with China on Monday.", "04", "Russia", "China"),
    # verb + object + preposition
    ("The United States imposed sanctions on Iran.", "16", "United States", "Iran"),
    # "called on ... to": an appeal to the object of "on"
    ("France called on Iran to release the prisoners.", "02", "France", "Iran"),
    # nominal event under a light verb, and nominal events standing alone
    ("Russia held talks with Ukraine in Istanbul.", "04", "Russia", "Ukraine"),
    ("US sanctions against Iran took effect on Monday.", "16", "United States", "Iran"),
    # passive agent is the source
    ("Iran was condemned by the United States.", "11", "United States", "Iran"),
    # a frame takes the code of its complement
    ("The UN urged Israel to withdraw its troops from Lebanon.", "02", "United Nations", "Israel"),
    # "X said Y must ...": a demand on Y
    ("Russia said Sudan must return the helicopter.", "10", "Russia", "Sudan"),
])
def test_patterns_and_participants(code, text, root, source, target):
    rec = code(text)
    hits = [(s, t) for s, t, c in _pairs(rec, root)]
    assert any(s and source in s and t and target in t for s, t in hits), _pairs(rec)


@pytest.mark.slow
def test_frame_code_details(code):
    assert _top(code("The UN urged Israel to withdraw its troops from Lebanon.")).cameo == "0256"
    assert _top(code("Russia said Sudan must return the helicopter.")).cameo == "1053"
    assert _top(code("The United States imposed sanctions on Iran.")).cameo == "163"


@pytest.mark.slow
@pytest.mark.parametrize("text, root", [
    ("Russia and China signed an agreement on Monday.", "05"),
    ("Jordan and Britain agreed to hold joint military exercises.", "03"),
    ("The talks between Serbia and Kosovo ended without agreement.", "04"),
])
def test_coordination_gives_both_directions(code, text, root):
    pairs = {(s, t) for s, t, _ in _pairs(code(text), root)}
    assert len(pairs) >= 2
    assert all((t, s) in pairs for s, t in pairs), pairs


@pytest.mark.slow
def test_parser_missed_coordination_is_recovered_from_actor_spans(code):
    # the parser makes only "Jinping" the subject of "met"; the actor spans joined by
    # "and" give both leaders
    rec = code("President of Belarus Alexander Lukashenko and the Chairman of China, Xi Jinping met in "
               "Tianjin.")
    pairs = {(s, t) for s, t, c in _pairs(rec, "04")}
    assert ("Alexander Lukashenko", "Xi Jinping") in pairs and ("Xi Jinping", "Alexander Lukashenko") in pairs


@pytest.mark.slow
@pytest.mark.parametrize("text, modality, negated", [
    ("Russia did not agree to the proposal.", None, True),
    ("Putin will visit China next week.", "intended", False),
    ("China is ready to work with Belarus.", "intended", False),
    ("If Iran attacks Israel, the United States could impose sanctions.", "hypothetical", False),
    ("God willing, Belarus and China will someday sign a treaty.", "hypothetical", False),
    ('"Iran attacked our ships," the US Navy said.', "reported", False),
    ("Israel said Hamas attacked its troops.", "reported", False),
])
def test_modality_and_negation(code, text, modality, negated):
    rec = code(text)
    # the reported act itself, not the statement or the accusation a speaker makes by it
    ev = [e for e in rec.events if e.cameo_root != "01" and not e.cameo.startswith("112")]
    assert ev, rec.events
    top = max(ev, key=lambda e: e.confidence)
    assert top.negated is negated
    if modality:
        assert top.modality == modality


@pytest.mark.slow
def test_flagged_events_keep_their_code_but_rank_lower(code):
    plain = code("Iran attacked Israel.")
    cond = code("If Iran attacked Israel, the region would burn.")
    attack = [e for e in cond.events if e.cameo_root == "19"]
    assert attack and attack[0].modality == "hypothetical"
    assert attack[0].confidence < _top(plain).confidence


@pytest.mark.slow
def test_intended_material_act_is_coded_as_intent(code):
    assert _top(code("Putin will visit China next week.")).cameo == "036"
    assert _top(code("North Korea said it would attack South Korea.")).cameo_root == "13"
    # a refusal: "will not" + act
    assert _top(code("Russia will not sign the treaty with Ukraine.")).cameo_root == "12"


@pytest.mark.slow
def test_reported_event_outranks_the_statement(code):
    # a trailing attribution relays the act: the act is the sentence's event
    top = _top(code("Hamas attacked Israeli troops, Israel said."))
    assert top.cameo_root == "19" and top.source.name == "Hamas"
    # a speaker who names someone else's assault first accuses them (CAMEO 112, as PETRARCH's
    # validation sentences code "The US claimed that ISIL had attacked Iraq"); the act stays
    rec = code("Israel said Hamas attacked its troops.")
    top = _top(rec)
    assert top.cameo.startswith("112") and top.source.name == "Israel" and top.target.name == "Hamas"
    assert any(e.cameo_root == "19" and e.source.name == "Hamas" for e in rec.events)
    assert _top(code("Israel said the weather was fine.")).cameo == "010"


@pytest.mark.slow
def test_quote_maps_i_and_you(code):
    rec = code('Lukashenko told Xi Jinping: "I congratulate you on your success."')
    praise = [e for e in rec.events if e.cameo == "051"]
    assert praise and praise[0].source.name == "Alexander Lukashenko" and praise[0].target.name == "Xi Jinping"
    assert praise[0].modality == "asserted"     # saying it is doing it


@pytest.mark.slow
def test_sports_sentences_are_not_coded(code):
    assert _pairs(code("France attacked England in the World Cup semi-final.")) == []
    assert _pairs(code("France attacked England."), "19")


@pytest.mark.slow
def test_historical_narrative_is_not_coded(code):
    assert _pairs(code("Once upon a time, the Soviet Union and China built a close friendship.")) == []
    assert _pairs(code("In 1950, China attacked India."), "19") == []     # decades before the article
    assert _pairs(code("In 2024, China attacked India."), "19")


@pytest.mark.slow
def test_date_from_governing_time_expression(code):
    rec = code("In 2022, Belarus and China signed a treaty.")
    ev = [e for e in rec.events if e.cameo_root == "05"]
    assert ev and all(e.date == "2022" and e.date_from == "text" for e in ev)
    rec = code("Belarus and China signed a treaty.")
    assert all(e.date == DAY and e.date_from == "article" for e in rec.events)


@pytest.mark.slow
def test_location_from_attached_toponym(code):
    rec = code("Russia and China met in Tianjin.")
    places = {p.id: p.name for p in rec.places}
    met = [e for e in rec.events if e.cameo_root == "04"]
    assert met and all(e.location is not None and places[e.location.place] == "Tianjin" for e in met)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "We must take certain elements and integrate them into our reality.",     # take -> 171
    "Belarus is learning from China's experience.",                            # learn -> 040
    "Belarus and China face no issues or disagreements.",                     # face -> 040
    "Special attention is scheduled to be given to the development of cooperation.",  # give -> 060
])
def test_no_nonsense_events(code, text):
    assert [e.cameo for e in code(text).events if e.cameo_root != "01"] == []
    assert _pairs(code("Belarus and China signed a treaty."), "05")  # the stage codes a real event


@pytest.mark.slow
def test_no_pronoun_or_clause_participants(code):
    rec = code('"If we need to support each other, a simple phone call from Beijing to Minsk suffices."')
    for e in rec.events:
        for p in (e.source, e.target):
            if p is not None and p.actor is None:
                assert p.name.lower() not in ("that", "each other", "it", "they")
                assert "," not in p.name


@pytest.mark.slow
def test_belta_article(code):
    from importlib import resources

    from communique.readers.text import split_header

    raw = resources.files("communique").joinpath("samples", "belta-2025-08-29.txt").read_text(encoding="utf-8")
    fields, body = split_header(raw)
    rec = code(body, fields["date"])
    places = {p.id: p.name for p in rec.places}
    meet = [e for e in rec.events if e.cameo_root == "04" and e.date == "2025-08-29"]
    names = {(e.source.name, e.target.name) for e in meet}
    assert ("Alexander Lukashenko", "Xi Jinping") in names and ("Xi Jinping", "Alexander Lukashenko") in names
    assert all(places.get(e.location.place) == "Tianjin" for e in meet if e.location)
    assert any(e.location for e in meet)
    praise = [e for e in rec.events if e.cameo == "051" and e.source.name == "Alexander Lukashenko"]
    assert any(e.target.country == "CHN" for e in praise)
    intents = [e for e in rec.events if e.cameo_root == "03" and e.modality == "intended"]
    assert any(e.trigger.text == "propose" and e.source.name == "Xi Jinping" for e in intents)
    assert any(e.source.country == "CHN" and e.target and e.target.country == "BLR" for e in intents)
    upgrade = [e for e in rec.events if e.date == "2022"]
    assert upgrade and upgrade[0].cameo_root == "05"
    # no nonsense: nothing from "take", "learn", "face", "give", "serve"
    assert not any(e.trigger.text.lower() in ("take", "learning", "face", "given", "serve") for e in rec.events)
