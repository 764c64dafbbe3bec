"""Column layout of every table in the store (Arrow schemas, flat columns).

The store is a folder of Parquet files, one folder per table. The coded tables
(``articles``, ``actors``, ``mentions``, ``quotes``, ``places``, ``times``,
``terms``) are partitioned Hive-style by the *article's* publication date,
``year=YYYY/month=M`` (month not zero-padded, so readers infer integers); articles without a date go to Spark's
``__HIVE_DEFAULT_PARTITION__`` (read back as NULL by DuckDB and Spark). The
de-duplicated ``events`` and their ``links`` to mentions are partitioned by the
*event's* date. ``errors`` is not partitioned.

Columns are flat (no structs) so that DuckDB, pandas, Spark and R read them
without unnesting; ``year`` and ``month`` exist only in the directory names.
Columns may be added in later store versions (readers use ``union_by_name``);
none is renamed or dropped without a new ``STORE_VERSION``.
"""

from __future__ import annotations

import pyarrow as pa

STORE_VERSION = 1
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

_ts = pa.timestamp("us", tz="UTC")


def _span(prefix: str) -> list[pa.Field]:
    return [pa.field(f"{prefix}_start", pa.int32()), pa.field(f"{prefix}_end", pa.int32()),
            pa.field(f"{prefix}_text", pa.string())]


def _participant(prefix: str) -> list[pa.Field]:
    return [
        pa.field(f"{prefix}_actor", pa.string()),      # actor id inside the article ("a3")
        pa.field(f"{prefix}_key", pa.string()),        # identity at ingest (dedup.py recomputes it)
        pa.field(f"{prefix}_kind", pa.string()),       # person | organization | country | group
        pa.field(f"{prefix}_name", pa.string()),
        pa.field(f"{prefix}_code", pa.string()),
        pa.field(f"{prefix}_country", pa.string()),
        pa.field(f"{prefix}_sector", pa.string()),
        pa.field(f"{prefix}_kb_id", pa.string()),
        *_span(prefix),
    ]


ARTICLES = pa.schema([
    pa.field("article_key", pa.string(), nullable=False),   # content hash of the text (sha1-...)
    pa.field("article_id", pa.string()),                    # the id the input gave (or the hash)
    pa.field("date", pa.date32()),
    pa.field("title", pa.string()),
    pa.field("source", pa.string()),
    pa.field("url", pa.string()),
    pa.field("origin", pa.string()),                        # file:line it was read from
    pa.field("text", pa.string()),
    pa.field("n_chars", pa.int32()),
    pa.field("n_terms", pa.int32()),                        # words indexed for full-text search
    pa.field("tone", pa.float64()),
    pa.field("tone_positive", pa.float64()),
    pa.field("tone_negative", pa.float64()),
    pa.field("tone_polarity", pa.float64()),
    pa.field("tone_words", pa.int32()),
    pa.field("n_actors", pa.int32()),
    pa.field("n_events", pa.int32()),
    pa.field("n_quotes", pa.int32()),
    pa.field("n_places", pa.int32()),
    pa.field("warnings", pa.list_(pa.string())),
    pa.field("coder", pa.string()),                         # communique version
    pa.field("model", pa.string()),
    pa.field("kb_versions", pa.string()),                   # JSON object
    pa.field("shard", pa.string()),
    pa.field("ingested_at", _ts),
    # issue 13: the outlet (registrable domain of the URL, GDELT's SourceCommonName) and its country,
    # and what was extracted from a web page (record.article.extraction as JSON)
    pa.field("source_domain", pa.string()),
    pa.field("source_country", pa.string()),
    pa.field("language", pa.string()),
    pa.field("author", pa.string()),
    pa.field("site_name", pa.string()),
    pa.field("extraction", pa.string()),
    # issue 15: the settings the article was coded with (record.coder.settings as JSON, e.g.
    # {"calibration": {"enabled": true}, "times": {"future_bias": 2.0, ...}}); NULL in stores
    # written before it and for copies (not coded)
    pa.field("coder_settings", pa.string()),
])

ACTORS = pa.schema([
    pa.field("actor_mention_id", pa.string(), nullable=False),   # article_key/a3
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("actor", pa.string()),                              # "a3"
    pa.field("article_date", pa.date32()),
    *_span("span"),
    pa.field("name", pa.string()),
    pa.field("code", pa.string()),
    pa.field("country", pa.string()),
    pa.field("sector", pa.string()),
    pa.field("kind", pa.string()),
    pa.field("role", pa.string()),
    pa.field("kb_id", pa.string()),
    pa.field("refers_to", pa.string()),
    pa.field("confidence", pa.float64()),
    pa.field("mention", pa.string()),                            # name | nominal | pronoun (issue 15)
    pa.field("shard", pa.string()),
])

MENTIONS = pa.schema([
    pa.field("mention_id", pa.string(), nullable=False),     # article_key/e2: one coded event in one article
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("event", pa.string()),                          # "e2"
    pa.field("article_date", pa.date32()),
    pa.field("article_source", pa.string()),
    pa.field("article_url", pa.string()),
    pa.field("sentence_start", pa.int32()),
    pa.field("sentence_end", pa.int32()),
    pa.field("sentence_text", pa.string()),
    pa.field("in_lead", pa.bool_()),                         # sentence starts in the first paragraph
    *_span("trigger"),
    *_participant("source"),
    *_participant("target"),
    pa.field("cameo", pa.string()),
    pa.field("base_code", pa.string()),                      # first three digits
    pa.field("cameo_root", pa.string()),
    pa.field("plover_event", pa.string()),
    pa.field("plover_mode", pa.string()),
    pa.field("goldstein", pa.float64()),
    pa.field("quad_class", pa.int8()),
    pa.field("date_text", pa.string()),                      # the record's date as given ("2025-06")
    pa.field("date_precision", pa.string()),                 # day | month | year | week | other | null
    pa.field("event_date", pa.date32()),                     # first day of that period
    pa.field("date_from", pa.string()),
    pa.field("place", pa.string()),                          # "p1"
    pa.field("place_name", pa.string()),
    pa.field("place_country", pa.string()),
    pa.field("place_lat", pa.float64()),
    pa.field("place_lon", pa.float64()),
    pa.field("place_geonames_id", pa.int64()),
    pa.field("place_feature", pa.string()),
    pa.field("negated", pa.bool_()),
    pa.field("modality", pa.string()),
    pa.field("quote", pa.string()),
    pa.field("confidence", pa.float64()),
    pa.field("tone", pa.float64()),                          # the article's tone, for AvgTone
    pa.field("shard", pa.string()),
    pa.field("ingested_at", _ts),
    # issue 17: the record's event.acled and event.plover lists (";"-joined); null in older files
    pa.field("acled_type", pa.string()),
    pa.field("acled_sub_event_type", pa.string()),
    pa.field("plover_modes", pa.string()),
    pa.field("plover_contexts", pa.string()),
    # issue 16: the location's first-level division (GeoNames admin1 code "US.IL" and name); null in older files
    pa.field("place_admin1_code", pa.string()),
    pa.field("place_admin1_name", pa.string()),
])

QUOTES = pa.schema([
    pa.field("quote_id", pa.string(), nullable=False),       # article_key/q1
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("quote", pa.string()),
    pa.field("article_date", pa.date32()),
    *_span("span"),
    pa.field("type", pa.string()),
    pa.field("speaker_actor", pa.string()),
    pa.field("speaker_name", pa.string()),
    pa.field("speaker_code", pa.string()),
    pa.field("speaker_country", pa.string()),
    *_span("speaker"),
    *_span("cue"),
    pa.field("shard", pa.string()),
])

PLACES = pa.schema([
    pa.field("place_mention_id", pa.string(), nullable=False),
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("place", pa.string()),
    pa.field("article_date", pa.date32()),
    *_span("span"),
    pa.field("name", pa.string()),
    pa.field("country", pa.string()),
    pa.field("lat", pa.float64()),
    pa.field("lon", pa.float64()),
    pa.field("geonames_id", pa.int64()),
    pa.field("feature", pa.string()),
    pa.field("shard", pa.string()),
    # issue 16: first-level division (GeoNames admin1 code and name) and event | mentioned; null in older files
    pa.field("admin1_code", pa.string()),
    pa.field("admin1_name", pa.string()),
    pa.field("role", pa.string()),
])

TIMES = pa.schema([
    pa.field("time_mention_id", pa.string(), nullable=False),
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("time", pa.string()),
    pa.field("article_date", pa.date32()),
    *_span("span"),
    pa.field("value", pa.string()),
    pa.field("type", pa.string()),
    pa.field("shard", pa.string()),
])

TERMS = pa.schema([
    pa.field("term", pa.string(), nullable=False),
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("tf", pa.int32()),
])

ERRORS = pa.schema([
    pa.field("error_key", pa.string(), nullable=False),     # hash of (origin, article key, reason)
    pa.field("article_key", pa.string()),                   # null when the input never became an article
    pa.field("article_id", pa.string()),
    pa.field("origin", pa.string()),
    pa.field("stage", pa.string()),                         # read | code | engine
    pa.field("reason", pa.string()),
    pa.field("hint", pa.string()),
    pa.field("shard", pa.string()),
    pa.field("ingested_at", _ts),
])

# The de-duplicated events: one row per real-world event, however many articles report it.
EVENTS = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("date", pa.date32()),                          # first day of the event's period
    pa.field("date_text", pa.string()),
    pa.field("date_precision", pa.string()),
    pa.field("source_key", pa.string()),
    pa.field("source_name", pa.string()),
    pa.field("source_code", pa.string()),
    pa.field("source_country", pa.string()),
    pa.field("source_sector", pa.string()),
    pa.field("target_key", pa.string()),
    pa.field("target_name", pa.string()),
    pa.field("target_code", pa.string()),
    pa.field("target_country", pa.string()),
    pa.field("target_sector", pa.string()),
    pa.field("cameo", pa.string()),
    pa.field("base_code", pa.string()),
    pa.field("cameo_root", pa.string()),
    pa.field("plover_event", pa.string()),
    pa.field("plover_mode", pa.string()),
    pa.field("quad_class", pa.int8()),
    pa.field("goldstein", pa.float64()),
    pa.field("negated", pa.bool_()),
    pa.field("place_name", pa.string()),
    pa.field("place_country", pa.string()),
    pa.field("place_lat", pa.float64()),
    pa.field("place_lon", pa.float64()),
    pa.field("place_geonames_id", pa.int64()),
    pa.field("place_feature", pa.string()),
    pa.field("num_mentions", pa.int32()),
    pa.field("num_articles", pa.int32()),
    pa.field("num_sources", pa.int32()),
    pa.field("first_seen", pa.date32()),                    # earliest publication date of a reporting article
    pa.field("last_seen", pa.date32()),
    pa.field("first_added", _ts),                           # when the first mention was ingested
    pa.field("last_added", _ts),
    pa.field("avg_tone", pa.float64()),
    pa.field("confidence", pa.float64()),                   # highest confidence of a mention
    pa.field("is_root", pa.bool_()),                        # first mention is in its article's lead
    pa.field("first_article_key", pa.string()),
    pa.field("first_mention_id", pa.string()),
    pa.field("source_url", pa.string()),
    pa.field("trigger_text", pa.string()),
    pa.field("evidence", pa.string()),                      # sentence of the first mention
    # issue 11, layer 3: the story of the first mention's article, why the mentions were merged and
    # how sure the merge is (1.0 for a single mention)
    pa.field("story_id", pa.string()),
    pa.field("why", pa.string()),
    pa.field("merge_confidence", pa.float64()),
    pa.field("num_stories", pa.int32()),
    # issue 16: the location's first-level division (GeoNames admin1 code "US.IL"), for GDELT's ADM1Code
    pa.field("place_admin1_code", pa.string()),
])

LINKS = pa.schema([
    pa.field("mention_id", pa.string(), nullable=False),
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("article_key", pa.string(), nullable=False),
])

# issue 11, layer 1: articles that are copies of another (``copies.py``), written by the ingest
# shard that stores the copy; a copy has an ``articles`` row but is not coded.
COPIES = pa.schema([
    pa.field("article_key", pa.string(), nullable=False),   # the copy
    pa.field("copy_of", pa.string(), nullable=False),       # the original's article_key
    pa.field("article_id", pa.string()),
    pa.field("original_id", pa.string()),
    pa.field("similarity", pa.float64()),                   # estimated Jaccard of word shingles
    pa.field("kind", pa.string()),                          # exact | near
    pa.field("shard", pa.string()),
])
# MinHash signatures of originals, and their LSH band keys: how later ingests find copies.
SIGNATURES = pa.schema([
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("article_id", pa.string()),
    pa.field("date", pa.date32()),
    pa.field("version", pa.string()),
    pa.field("sig", pa.binary()),
    pa.field("bands", pa.list_(pa.int64())),
    pa.field("shard", pa.string()),
])
# issue 11, layer 2: stories (articles about the same happening), written by de-duplication.
STORIES = pa.schema([
    pa.field("story_id", pa.string(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("first_seen", pa.date32()),
    pa.field("last_seen", pa.date32()),
    pa.field("n_articles", pa.int32()),                     # copies included
    pa.field("n_sources", pa.int32()),                      # distinct outlets
    pa.field("first_article_key", pa.string()),
    pa.field("why", pa.string()),
    pa.field("actors", pa.list_(pa.string())),              # actor codes and countries of its events
    pa.field("num_articles", pa.int32()),                   # = n_articles, the name the web API reads
    pa.field("num_sources", pa.int32()),
])
STORY_ARTICLES = pa.schema([
    pa.field("story_id", pa.string(), nullable=False),
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("article_id", pa.string()),
    pa.field("similarity", pa.float64()),                   # to the story when the article joined it
    pa.field("why", pa.string()),
    pa.field("is_copy", pa.bool_()),                        # a copy, in its original's story
])
# The grouping's saved state (stories.regroup): per pass (dated, undated) each term's document
# frequency, and the number of articles (the row whose term is NULL).
STORY_STATE = pa.schema([
    pa.field("pass", pa.string(), nullable=False),
    pa.field("term", pa.string()),
    pa.field("df", pa.int64()),
])

# Each mention's participants and date as de-duplication used them (after coreference within its
# story), so that the next run recomputes only the events of the stories that changed (core.py).
EVENT_STATE = pa.schema([
    pa.field("mention_id", pa.string(), nullable=False),
    pa.field("article_key", pa.string(), nullable=False),
    pa.field("source_key", pa.string()),
    pa.field("target_key", pa.string()),
    pa.field("base_code", pa.string()),
    pa.field("negated", pa.bool_()),
    pa.field("date_precision", pa.string()),
    pa.field("event_date", pa.date32()),
    pa.field("date_text", pa.string()),
    pa.field("completed", pa.bool_()),
])

# Tables written by ingest workers, one file per shard and partition.
SHARD_TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES, "actors": ACTORS, "mentions": MENTIONS, "quotes": QUOTES,
    "places": PLACES, "times": TIMES, "terms": TERMS, "errors": ERRORS,
    "copies": COPIES, "signatures": SIGNATURES,
}
# Tables written by de-duplication (one generation at a time).
DEDUP_TABLES: dict[str, pa.Schema] = {"events": EVENTS, "links": LINKS, "stories": STORIES,
                                      "story_articles": STORY_ARTICLES, "story_state": STORY_STATE,
                                      "event_state": EVENT_STATE}
PARTITIONED = {"articles", "actors", "mentions", "quotes", "places", "times", "terms", "events", "links"}
# The column whose date decides a row's partition, when it is in the row.
PARTITION_DATE = {"articles": "date", "actors": "article_date", "mentions": "article_date",
                  "quotes": "article_date", "places": "article_date", "times": "article_date",
                  "events": "date"}


def partition_dir(d) -> str:
    """``year=2025/month=8`` for a date (``datetime.date``) or the NULL partition."""
    if d is None:
        return f"year={NULL_PARTITION}/month={NULL_PARTITION}"
    return f"year={d.year}/month={d.month}"
