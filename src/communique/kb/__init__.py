"""Loaders for the knowledge base shipped in ``kb/data`` (and users' overlays).

Each loader reads its tables once per process and caches the result, so a worker
that codes millions of articles parses the tables once. ``versions()`` lists the
version of every table, which every output record carries.
"""

from __future__ import annotations

from functools import lru_cache

from .actors import ActorKB, PersonCode, code_person, load_actor_kb
from .cameo import Codebook, load_codebook
from .lexicons import EventLexicon, ToneLexicon, load_event_lexicon, load_tone_lexicon

__all__ = [
    "ActorKB", "Codebook", "EventLexicon", "PersonCode", "ToneLexicon", "code_person",
    "get_actor_kb", "get_codebook", "get_event_lexicon", "get_tone_lexicon", "versions",
]


@lru_cache(maxsize=4)
def get_actor_kb(overlays: tuple[str, ...] = ()) -> ActorKB:
    return load_actor_kb(overlays)


@lru_cache(maxsize=1)
def get_codebook() -> Codebook:
    return load_codebook()


@lru_cache(maxsize=1)
def get_event_lexicon() -> EventLexicon:
    return load_event_lexicon()


@lru_cache(maxsize=1)
def get_tone_lexicon() -> ToneLexicon:
    return load_tone_lexicon()


def versions(overlays: tuple[str, ...] = ()) -> dict[str, str]:
    """Version of every knowledge table in use, by table name."""
    out = dict(get_actor_kb(overlays).versions)
    out["cameo.tsv"] = get_codebook().version
    out.update(get_event_lexicon().versions)
    out["tone/vader.tsv"] = get_tone_lexicon().version
    from .acled import get_acled_table
    from .plover import get_plover_tables

    out.update(get_acled_table().versions)   # issue 17: ACLED mapping, PLOVER modes/contexts
    out.update(get_plover_tables().versions)
    from .gazetteer import get_gazetteer

    out.update(get_gazetteer().versions)
    from .tables import data_path, read_table

    for name in ("cues.tsv", "quote_acts.tsv", "times.tsv", "stage_words.tsv", "actor_patterns.tsv"):  # stage tables
        out[name] = read_table(data_path(name)).version
    if data_path("gazetteer", "admin2.tsv").exists():  # US counties (issue 16)
        out["gazetteer/admin2.tsv"] = read_table(data_path("gazetteer", "admin2.tsv")).version
    import gzip

    with gzip.open(data_path("casing.tsv.gz"), "rt", encoding="utf-8") as fh:  # word-case table: its first line
        first = fh.readline()
    out["casing.tsv.gz"] = first.split(":", 1)[1].strip() if first.startswith("# version:") else "unversioned"
    return out
