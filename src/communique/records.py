"""The ``communique/1`` record: the typed contract between the coder and everything downstream.

This module owns the output models (see ``docs/RECORDS.md``, copied from the shared
spec) and the input ``Article``. It imports nothing else from the project so that
every other module, and other people's tools, can depend on it alone.

Field names and meanings follow the spec exactly; fields added here are
extensions (the spec allows additions, never renames). ``communique schema``
prints the JSON Schema that ``src/communique/schema`` keeps.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "communique/1"

ActorKind = Literal["person", "organization", "country", "group"]
# How an actor is mentioned: by a name ("Lukashenko", "the Kremlin", "Belarus"), a common noun
# phrase ("the Belarusian leader", "protesters") or a pronoun ("he", "she").
MentionType = Literal["name", "nominal", "pronoun"]
Modality = Literal["asserted", "intended", "hypothetical", "reported"]
QuoteType = Literal["direct", "indirect", "mixed"]
PlaceFeature = Literal["city", "admin1", "country", "region", "other"]
PlaceRole = Literal["event", "mentioned"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]


class _Model(BaseModel):
    # Every field is always written, so the published schema marks them all required.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Span(_Model):
    """Characters ``start:end`` of the article text (Python str indices, end exclusive)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class SentenceSpan(_Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Actor(_Model):
    id: str
    span: Span
    name: str
    code: str = ""
    country: str | None = None
    sector: str | None = None
    kind: ActorKind
    role: str | None = None
    kb_id: str | None = None
    refers_to: str | None = None
    # Extension: calibrated probability that country (and code) are right (calibration.py).
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    # Extension: name | nominal | pronoun (null in records written before it existed).
    mention: MentionType | None = None


class Participant(_Model):
    actor: str | None = None
    span: Span
    name: str
    code: str = ""
    country: str | None = None
    sector: str | None = None


class Plover(_Model):
    event: str
    mode: str | None = None
    # Extensions (issue 17): every mode of the PLOVER manual that applies, from the CAMEO code and
    # the words of the sentence (``mode`` stays the CAMEO2PLOVER mode), and the manual's contexts.
    modes: list[str] = Field(default_factory=list)
    contexts: list[str] = Field(default_factory=list)


class Acled(_Model):
    """Extension (issue 17): the ACLED event type of a violent, protest or strategic event."""

    event_type: str          # "Battles", "Explosions/Remote violence", "Violence against civilians", ...
    sub_event_type: str      # "Armed clash", "Air/drone strike", "Peaceful protest", ...
    rule: str                # the row of kb/data/acled.tsv that decided it


class PlaceRef(_Model):
    place: str


class Event(_Model):
    id: str
    sentence: SentenceSpan
    trigger: Span
    source: Participant | None = None
    target: Participant | None = None
    cameo: str
    cameo_root: str
    plover: Plover
    goldstein: float
    quad_class: int = Field(ge=1, le=4)
    date: str | None = None
    date_from: Literal["text", "article"] | None = None
    location: PlaceRef | None = None
    negated: bool = False
    modality: Modality = "asserted"
    quote: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    # Extension (issue 17): null for events ACLED does not record (statements, cooperation, ...).
    acled: Acled | None = None


class Speaker(_Model):
    actor: str | None = None
    span: Span | None = None
    name: str | None = None
    code: str = ""
    country: str | None = None


class Quote(_Model):
    id: str
    span: Span
    type: QuoteType
    speaker: Speaker
    cue: Span | None = None
    # Extension: calibrated probability that the span and the speaker are right (calibration.py);
    # null only when the coder ran without calibration.
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)


class Place(_Model):
    id: str
    span: Span
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature: PlaceFeature = "other"
    # Extension: calibrated probability that this is a place within 161 km of lat/lon (calibration.py).
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    # Extension (issue 16): the first-level division the place lies in (or is): GeoNames admin1
    # code ("US.IL") and display name; null for countries, regions and records written before it.
    admin1_code: str | None = None
    admin1_name: str | None = None
    # Extension (issue 16): "event" when some event of the record is located here, else "mentioned".
    role: PlaceRole | None = None


class Time(_Model):
    id: str
    span: Span
    value: str
    type: TimeType
    # Extension: calibrated probability that the value is right (calibration.py).
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)


class Tone(_Model):
    tone: float = 0.0
    positive: float = 0.0
    negative: float = 0.0
    polarity: float = 0.0
    words: int = 0


class Extraction(_Model):
    """Extension: how the text of a web page was obtained (``article.extraction``; null for plain text)."""

    extractor: str                                   # "trafilatura 2.3.1"
    input: Literal["html", "warc", "web", "feed"]    # a saved page, a web archive, a fetched URL, a feed entry
    canonical_url: str | None = None                 # <link rel="canonical"> / og:url of the page
    fetched_url: str | None = None                   # the URL asked for (a URL list, a feed entry, WARC-Target-URI)
    final_url: str | None = None                     # after redirects
    fetched_at: str | None = None                    # when it was fetched or crawled (UTC, ISO 8601)
    http_status: int | None = None
    content_type: str | None = None
    encoding: str | None = None                      # how the bytes were decoded
    date_from: Literal["page", "input", "feed", "crawl"] | None = None   # where article.date comes from
    page_date: str | None = None                     # publication date found on the page
    declared_language: str | None = None             # <html lang>, when the page declares one
    language_confidence: float | None = None         # of article.language (py3langid, 0..1)
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    warc_record_id: str | None = None


class ArticleMeta(_Model):
    id: str
    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    # Extensions (issue 13): outlet and page metadata; all null for articles given as plain text.
    source_domain: str | None = None     # registrable domain of the URL (GDELT's SourceCommonName)
    source_country: str | None = None    # ISO 3166-1 alpha-3 of the outlet, when known
    author: str | None = None
    site_name: str | None = None
    language: str | None = None          # ISO 639-1, identified from the text
    extraction: Extraction | None = None


class Coder(_Model):
    """Extension: which versions of code, model and knowledge base produced the record."""

    communique: str
    spacy: str
    model: str
    kb: dict[str, str] = Field(default_factory=dict)
    # The settings each stage ran with (its ``nlp.config`` section), e.g. {"times": {"future_bias": 2.0}}.
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Record(_Model):
    """One coded article, schema ``communique/1``."""

    schema_: Literal["communique/1"] = Field(default=SCHEMA, alias="schema")
    article: ArticleMeta
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[Time] = Field(default_factory=list)
    tone: Tone = Field(default_factory=Tone)
    warnings: list[str] = Field(default_factory=list)
    coder: Coder | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              json_schema_serialization_defaults_required=True)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


def content_id(text: str) -> str:
    """The stable id of an article that came without one: a hash of its text."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Article:
    """One input article as the readers deliver it.

    ``origin`` names where it came from (``file.jsonl:12``) so every later message
    can point back at the input. ``warnings`` collects what the reader doubted.
    """

    text: str
    id: str | None = None
    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str = "<memory>"
    warnings: list[str] = field(default_factory=list)
    # Web pages (readers.html, readers.warc, fetch): outlet and page metadata, and how the text was
    # extracted (the fields of ``Extraction``, as plain data so that shards stay cheap to ship).
    source_domain: str | None = None
    source_country: str | None = None
    author: str | None = None
    site_name: str | None = None
    language: str | None = None
    extraction: dict | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def meta(self) -> ArticleMeta:
        return ArticleMeta(
            id=self.id or content_id(self.text),
            date=self.date,
            title=self.title,
            source=self.source,
            url=self.url,
            source_domain=self.source_domain,
            source_country=self.source_country,
            author=self.author,
            site_name=self.site_name,
            language=self.language,
            extraction=Extraction(**self.extraction) if self.extraction else None,
        )


@dataclass
class Rejected:
    """An input that could not become an article, kept so it never vanishes."""

    origin: str
    reason: str
    hint: str = ""
    id: str | None = None

    def message(self) -> str:
        msg = f"{self.origin}: {self.reason}"
        return f"{msg}; {self.hint}" if self.hint else msg

    def to_dict(self) -> dict:
        return {"origin": self.origin, "id": self.id, "reason": self.reason, "hint": self.hint}


def json_schema() -> dict:
    """The JSON Schema of a ``communique/1`` record (as committed in ``schema/``)."""
    schema = Record.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://communique.invalid/schema/communique-1.schema.json"
    return schema

