"""Quotes feed events: a quote that praises, criticises, demands or threatens is an
event from its speaker, linked by ``Event.quote``, aimed at the person addressed."""

from __future__ import annotations

import pytest

from communique.kb import get_codebook
from communique.stages.quote_events import get_acts


def test_act_table_is_versioned_and_uses_known_codes():
    acts = get_acts()
    assert acts.version != "unversioned"
    codebook = get_codebook()
    all_acts = [a for group in acts.by_first.values() for a in group]
    assert all(a.code in codebook for a in all_acts)
    codes = {a.code[:2] for a in all_acts}
    assert {"05", "03", "10", "11", "13", "01"} <= codes  # praise, proposal, demand, criticism, threat, denial
    assert any(a.words == ("not", "acceptable") and a.negative for a in all_acts)


def quote_events(record, code_root: str) -> list:
    return [e for e in record.events if e.quote is not None and e.cameo_root == code_root]


@pytest.mark.slow
def test_belta_praise_is_an_event_from_lukashenko_to_xi(belta_record):
    quotes = {q.id: q for q in belta_record.quotes}
    praise = [e for e in quote_events(belta_record, "05")
              if quotes[e.quote].span.text.startswith("You truly are remarkable")]
    assert len(praise) == 1
    e = praise[0]
    assert e.cameo == "051" and e.trigger.text == "remarkable"
    assert e.source.name == "Alexander Lukashenko" and e.source.country == "BLR"
    assert e.target.name == "Xi Jinping" and e.target.country == "CHN"


@pytest.mark.slow
def test_an_act_the_event_stage_coded_is_not_coded_twice(belta_record):
    quotes = {q.id: q for q in belta_record.quotes}
    congrats = [e for e in belta_record.events if e.quote is not None
                and quotes[e.quote].span.text.startswith("I congratulate you") and e.cameo_root == "05"]
    assert len(congrats) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "root", "trigger", "source", "target"),
    [
        ('"This decision is unacceptable," Angela Merkel said.', "11", "unacceptable", "Angela Merkel", None),
        ("Angela Merkel met Emmanuel Macron in Paris on Monday. "
         '"You have done a remarkable job for your country," she said.', "05", "remarkable", "Angela Merkel",
         "Emmanuel Macron"),
        ('"Those reports are baseless and fabricated," the Kremlin spokesman Dmitry Peskov said.', "01",
         "baseless", "Dmitry Peskov", None),
        ('"Those who attack us will face serious consequences," Iranian President Masoud Pezeshkian said.', "13",
         "serious consequences", "Masoud Pezeshkian", None),
    ],
)
def test_quote_content_acts(pipeline, text, root, trigger, source, target):
    rec = pipeline.code_text(text)
    found = quote_events(rec, root)
    assert len(found) == 1, [(e.cameo, e.trigger.text) for e in rec.events]
    e = found[0]
    assert e.trigger.text == trigger
    assert source in e.source.name
    assert (e.target.name if e.target else None) == target


@pytest.mark.slow
def test_negated_praise_is_no_praise(pipeline):
    rec = pipeline.code_text('"Frankly, this result is not impressive at all," Angela Merkel said.')
    assert quote_events(rec, "05") == []
    rec = pipeline.code_text('"Frankly, this result is impressive," Angela Merkel said.')
    assert len(quote_events(rec, "05")) == 1  # the same praise, not negated, is coded


@pytest.mark.slow
def test_verbs_count_only_when_the_speaker_performs_them(pipeline):
    rec = pipeline.code_text('"The proposed pipeline route crosses our land and demand for oil is falling," '
                             "Chief Na'moks said.")
    assert not [e for e in rec.events if e.quote is not None and e.trigger.text in ("proposed", "demand")]
    rec = pipeline.code_text('Angela Merkel met Emmanuel Macron in Paris on Monday. "I want to thank you for '
                             'your leadership in Europe," she said.')
    thanks = quote_events(rec, "05")  # coded once, by the event stage or from the quote
    assert len(thanks) == 1 and thanks[0].target.name == "Emmanuel Macron"
    assert thanks[0].source.name == "Angela Merkel"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "word", "performed"),
    [
        ("I congratulate you on your victory.", "congratulate", True),
        ("We strongly condemn this attack.", "condemn", True),
        ("Thank you for coming.", "Thank", True),
        ("I would like to thank the organisers.", "thank", True),
        ("They praised the plan last week.", "praised", False),
        ("The proposed route crosses our land.", "proposed", False),
        ("He demands too much.", "demands", False),
    ],
)
def test_performed_verbs(pipeline, text, word, performed):
    from communique.stages.quote_events import _performed

    doc = pipeline.nlp(text)
    tok = next(t for t in doc if t.text == word)
    assert _performed(tok) is performed
