"""The communique/1 contract: committed JSON Schema, field names, validation."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from pydantic import ValidationError

from communique.records import (
    Actor,
    ArticleMeta,
    Event,
    Participant,
    Plover,
    Record,
    SentenceSpan,
    Span,
    json_schema,
)

SCHEMA_FILE = resources.files("communique").joinpath("schema", "communique-1.schema.json")


def test_committed_schema_matches_models():
    committed = json.loads(SCHEMA_FILE.read_text())
    assert committed == json.loads(json.dumps(json_schema())), "run `make schema` and commit the result"


def _record() -> Record:
    sp = Span(start=0, end=10, text="Lukashenko")
    return Record(
        article=ArticleMeta(id="x", date="2025-08-29"),
        actors=[Actor(id="a1", span=sp, name="Alexander Lukashenko", code="BLRGOV", country="BLR",
                      sector="GOV", kind="person", role="President", kb_id="alexander_lukashenko")],
        events=[Event(id="e1", sentence=SentenceSpan(start=0, end=20), trigger=Span(start=11, end=14, text="met"),
                      source=Participant(actor="a1", span=sp, name="Alexander Lukashenko", code="BLRGOV",
                                         country="BLR", sector="GOV"),
                      cameo="040", cameo_root="04", plover=Plover(event="CONSULT"), goldstein=1.0, quad_class=1,
                      date="2025-08-29", date_from="article", confidence=0.8)],
    )


def test_record_serialises_with_spec_field_names_and_validates():
    data = json.loads(_record().to_json())
    assert data["schema"] == "communique/1"
    assert list(data)[:9] == ["schema", "article", "actors", "events", "quotes", "places", "times", "tone",
                              "warnings"]
    assert set(data["events"][0]) >= {"id", "sentence", "trigger", "source", "target", "cameo", "cameo_root",
                                      "plover", "goldstein", "quad_class", "date", "date_from", "location",
                                      "negated", "modality", "quote", "confidence"}
    assert set(data["tone"]) == {"tone", "positive", "negative", "polarity", "words"}
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text()))


def test_schema_rejects_renamed_or_missing_fields():
    schema = json.loads(SCHEMA_FILE.read_text())
    data = json.loads(_record().to_json())
    data["events"][0]["cameo_code"] = data["events"][0].pop("cameo")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("bad", [{"quad_class": 5}, {"modality": "maybe"}, {"confidence": 1.5}])
def test_models_reject_out_of_contract_values(bad):
    ev = _record().events[0].model_dump()
    ev.update(bad)
    with pytest.raises(ValidationError):
        Event(**ev)
