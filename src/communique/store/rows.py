"""From ``communique/1`` records to flat table rows (pure functions, no I/O).

Every id is deterministic: the article key is the content hash of the text
(``records.content_id``) together with the article's identity (its URL, or its source and id when
it came with one; ``article_key``), and every mention id is ``<article key>/<record id>``
(``sha1-0123456789abcdef/e2``), so coding the same article again yields the same rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime

from ..records import Article, Participant, Record, Rejected, content_id
from . import fts
from .schema import partition_dir

_PRONOUNS = frozenset(
    "i me my we us our you your he him his she her hers it its they them their this that these those "
    "who whom which one ones".split())
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def identity(text: str, article_id: str | None = None, url: str | None = None,
             source: str | None = None) -> str | None:
    """What makes an article one report rather than another with the same text: its URL, or else
    its source and id when it came with an id of its own (not the hash of its text). None for an
    article given as bare text."""
    if url and url.strip():
        return "url:" + url.strip()
    if article_id and article_id != content_id(text):
        return f"id:{source or ''}\x1f{article_id}"
    return None


def identity_key(text_key: str, ident: str | None) -> str:
    """The key of an article whose text hashes to ``text_key`` and whose identity is ``ident``."""
    if ident is None:
        return text_key
    return "sha1-" + hashlib.sha1(f"{text_key}\x1f{ident}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def article_key(text: str, article_id: str | None = None, url: str | None = None,
                source: str | None = None) -> str:
    """The store's key of an article: the hash of its text and of its identity (``identity``).

    The same text from two outlets (two URLs, or two sources' ids) makes two keys, so the second is
    stored as a copy of the first (an extra report and source) instead of being skipped as already
    stored; the same article ingested again has the same key and is skipped. An article given as bare
    text (no URL, no id) keeps the key stores written before identities had: the hash of its text."""
    return identity_key(content_id(text), identity(text, article_id, url, source))


def key_of(art) -> str:
    """``article_key`` of an ``Article``, an ``ArticleMeta`` with its text, or a shard's article dict."""
    if isinstance(art, dict):
        return article_key(art["text"], art.get("id"), art.get("url"), art.get("source"))
    return article_key(art.text, art.id, art.url, art.source)


def legacy_alias(key: str, article_id: str | None, url: str | None, source: str | None) -> str | None:
    """The key a stored article of a store written before identities were in keys (its key is the
    hash of its text) would have now, so that ingesting it again still skips it. None when the key
    would not change (no identity)."""
    if url and url.strip():
        ident = "url:" + url.strip()
    elif article_id and article_id != key:     # an old key is the text hash, the id's default
        ident = f"id:{source or ''}\x1f{article_id}"
    else:
        return None
    return identity_key(key, ident)


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_precision(value: str | None) -> tuple[str | None, date | None]:
    """``("day", 2025-08-29)``, ``("month", 2025-06-01)``, ... for a TIMEX3-style value."""
    if not value:
        return None, None
    try:
        if m := _DAY.match(value):
            return "day", date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.match(value):
            return "month", date(int(m[1]), int(m[2]), 1)
        if m := _YEAR.match(value):
            return "year", date(int(m[1]), 1, 1)
        if m := _WEEK.match(value):
            return "week", date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        pass
    return "other", None


def normalise_name(name: str | None) -> str:
    if not name:
        return ""
    return " ".join(_LEADING.sub("", name.strip()).lower().split())


# Words that name a kind of actor, not an actor: capitalised at the start of a sentence they
# look like names ("Police said ..."), but two articles' "police" need not be the same police.
GENERIC = frozenset("""
man woman men women people person persons child children official officials authorities authority government
governments president minister ministers spokesman spokeswoman spokesperson police policeman officer officers
troops soldiers soldier army military forces rebels rebel militants militant insurgents protesters protestors
demonstrators residents villagers citizens group groups company companies firm court judge judges leader leaders
party parliament lawmakers senators senator officials workers students teachers doctors patients victims
witnesses gunmen attackers suspect suspects prosecutors investigators analysts experts sources critics fans
team club player players coach country countries state states city nation world administration
""".split())


def participant_key(name: str | None, code: str | None, kb_id: str | None, kind: str | None,
                    country: str | None = None) -> str | None:
    """Who a participant is, for de-duplication across articles; None when unknown.

    A knowledge-base id wins; then a person's canonical name (coreference gives the
    full name); then a CAMEO actor code that includes a country ("BLRGOV", "USA"; a bare
    agent code such as "COP" or "GOV" says what kind of actor, not which one); then any
    other proper name. Pronouns and common nouns ("they", "Police") identify nobody.
    """
    if kb_id:
        return f"kb:{kb_id}"
    norm = normalise_name(name)
    proper = (bool(name) and any(ch.isupper() for ch in name) and norm not in _PRONOUNS
              and norm not in GENERIC)
    if kind == "person" and proper:
        return f"name:{norm}"
    if code and country:
        return f"code:{code}"
    if proper and kind != "group":
        return f"name:{norm}"
    return None


def key_array(names, codes, countries, kb_ids, kinds):
    """``participant_key`` over Arrow arrays (the DuckDB function de-duplication sorts by)."""
    import pyarrow as pa

    cols = [c.to_pylist() for c in (names, codes, countries, kb_ids, kinds)]
    return pa.array([participant_key(n, c, k, kd, ct) for n, c, ct, k, kd in zip(*cols, strict=True)], pa.string())


def lead_end(text: str) -> int:
    """End of the first paragraph (the lead) of ``text``."""
    start = len(text) - len(text.lstrip())
    cut = text.find("\n", start)
    return len(text) if cut < 0 else cut


def _span(prefix: str, span) -> dict:
    if span is None:
        return {f"{prefix}_start": None, f"{prefix}_end": None, f"{prefix}_text": None}
    return {f"{prefix}_start": span.start, f"{prefix}_end": span.end, f"{prefix}_text": span.text}


def _participant(prefix: str, p: Participant | None, actors: dict) -> dict:
    if p is None:
        row = {f"{prefix}_{k}": None for k in ("actor", "key", "kind", "name", "code", "country", "sector", "kb_id")}
        row.update(_span(prefix, None))
        return row
    actor = actors.get(p.actor) if p.actor else None
    kb_id = None
    kind = None
    seen = set()
    while actor is not None and actor.id not in seen:
        seen.add(actor.id)
        kb_id = kb_id or actor.kb_id
        kind = kind or actor.kind
        actor = actors.get(actor.refers_to) if actor.refers_to else None
    row = {
        f"{prefix}_actor": p.actor, f"{prefix}_key": participant_key(p.name, p.code, kb_id, kind, p.country),
        f"{prefix}_kind": kind,
        f"{prefix}_name": p.name, f"{prefix}_code": p.code or None, f"{prefix}_country": p.country,
        f"{prefix}_sector": p.sector, f"{prefix}_kb_id": kb_id,
    }
    row.update(_span(prefix, p.span))
    return row


def _outlet_columns(a) -> dict:
    """The articles columns of issue 13; the outlet is derived from the URL for records coded without it."""
    domain, country = a.source_domain, a.source_country
    if a.url and domain is None:
        from ..sources import source_of

        domain, derived = source_of(a.url)
        country = country or derived
    ext = a.extraction
    return {"source_domain": domain, "source_country": country, "language": a.language, "author": a.author,
            "site_name": a.site_name,
            "extraction": json.dumps(ext.model_dump(mode="json"), sort_keys=True) if ext is not None else None}


def record_rows(rec: Record, text: str, *, origin: str | None = None, shard: str = "",
                ingested_at: datetime | None = None, key: str | None = None) -> dict[str, list[dict]]:
    """The rows one coded article adds to each table. ``text`` is the article text the
    record's offsets index into. Every row carries ``_part``, its partition folder. ``key``: the
    article key to use (repair restores an old store's article under the key it had)."""
    a = rec.article
    key = key or article_key(text, a.id, a.url, a.source)
    adate = parse_day(a.date)
    part = partition_dir(adate)
    tone = rec.tone
    counts = fts.terms(text)
    coder = rec.coder
    articles = [{
        "_part": part, "article_key": key, "article_id": a.id, "date": adate, "title": a.title,
        "source": a.source, "url": a.url, "origin": origin, "text": text, "n_chars": len(text),
        "n_terms": sum(counts.values()), "tone": tone.tone, "tone_positive": tone.positive,
        "tone_negative": tone.negative, "tone_polarity": tone.polarity, "tone_words": tone.words,
        "n_actors": len(rec.actors), "n_events": len(rec.events), "n_quotes": len(rec.quotes),
        "n_places": len(rec.places), "warnings": list(rec.warnings),
        "coder": coder.communique if coder else None, "model": coder.model if coder else None,
        "kb_versions": json.dumps(coder.kb, sort_keys=True) if coder else None,
        "coder_settings": json.dumps(coder.settings, sort_keys=True) if coder else None,
        "shard": shard, "ingested_at": ingested_at,
        **_outlet_columns(a),
    }]
    actors = {act.id: act for act in rec.actors}
    actor_rows = []
    for act in rec.actors:
        row = {"_part": part, "actor_mention_id": f"{key}/{act.id}", "article_key": key, "actor": act.id,
               "article_date": adate, "name": act.name, "code": act.code or None, "country": act.country,
               "sector": act.sector, "kind": act.kind, "role": act.role, "kb_id": act.kb_id,
               "refers_to": act.refers_to, "confidence": act.confidence, "mention": act.mention, "shard": shard}
        row.update(_span("span", act.span))
        actor_rows.append(row)
    places = {p.id: p for p in rec.places}
    lead = lead_end(text)
    mention_rows = []
    for e in rec.events:
        precision, edate = date_precision(e.date)
        place = places.get(e.location.place) if e.location else None
        row = {
            "_part": part, "mention_id": f"{key}/{e.id}", "article_key": key, "event": e.id,
            "article_date": adate, "article_source": a.source, "article_url": a.url,
            "sentence_start": e.sentence.start, "sentence_end": e.sentence.end,
            "sentence_text": text[e.sentence.start:e.sentence.end][:2000],
            "in_lead": e.sentence.start < lead,
            "cameo": e.cameo, "base_code": e.cameo[:3], "cameo_root": e.cameo_root,
            "plover_event": e.plover.event, "plover_mode": e.plover.mode, "goldstein": e.goldstein,
            "quad_class": e.quad_class, "date_text": e.date, "date_precision": precision,
            "event_date": edate, "date_from": e.date_from,
            "place": e.location.place if e.location else None,
            "place_name": place.name if place else None, "place_country": place.country if place else None,
            "place_lat": place.lat if place else None, "place_lon": place.lon if place else None,
            "place_geonames_id": place.geonames_id if place else None,
            "place_feature": place.feature if place else None,
            "negated": e.negated, "modality": e.modality, "quote": e.quote, "confidence": e.confidence,
            "tone": tone.tone, "shard": shard, "ingested_at": ingested_at,
            # issue 17
            "acled_type": e.acled.event_type if e.acled else None,
            "acled_sub_event_type": e.acled.sub_event_type if e.acled else None,
            "plover_modes": ";".join(e.plover.modes) or None, "plover_contexts": ";".join(e.plover.contexts) or None,
            # issue 16
            "place_admin1_code": place.admin1_code if place else None,
            "place_admin1_name": place.admin1_name if place else None,
        }
        row.update(_span("trigger", e.trigger))
        row.update(_participant("source", e.source, actors))
        row.update(_participant("target", e.target, actors))
        mention_rows.append(row)
    quote_rows = []
    for q in rec.quotes:
        sp = q.speaker
        row = {"_part": part, "quote_id": f"{key}/{q.id}", "article_key": key, "quote": q.id,
               "article_date": adate, "type": q.type, "speaker_actor": sp.actor, "speaker_name": sp.name,
               "speaker_code": sp.code or None, "speaker_country": sp.country, "shard": shard}
        row.update(_span("span", q.span))
        row.update(_span("speaker", sp.span))
        row.update(_span("cue", q.cue))
        quote_rows.append(row)
    place_rows = []
    for p in rec.places:
        row = {"_part": part, "place_mention_id": f"{key}/{p.id}", "article_key": key, "place": p.id,
               "article_date": adate, "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon,
               "geonames_id": p.geonames_id, "feature": p.feature, "shard": shard,
               "admin1_code": p.admin1_code, "admin1_name": p.admin1_name, "role": p.role}
        row.update(_span("span", p.span))
        place_rows.append(row)
    time_rows = []
    for t in rec.times:
        row = {"_part": part, "time_mention_id": f"{key}/{t.id}", "article_key": key, "time": t.id,
               "article_date": adate, "value": t.value, "type": t.type, "shard": shard}
        row.update(_span("span", t.span))
        time_rows.append(row)
    term_rows = [{"_part": part, "term": term, "article_key": key, "tf": n} for term, n in sorted(counts.items())]
    return {"articles": articles, "actors": actor_rows, "mentions": mention_rows, "quotes": quote_rows,
            "places": place_rows, "times": time_rows, "terms": term_rows}


def error_key(origin: str | None, key: str | None, reason: str) -> str:
    h = hashlib.sha1(f"{origin}\x1f{key}\x1f{reason}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"err-{h}"


def error_row(*, origin: str | None, reason: str, stage: str, hint: str = "", key: str | None = None,
              article_id: str | None = None, shard: str = "", ingested_at: datetime | None = None) -> dict:
    return {"error_key": error_key(origin, key, reason), "article_key": key, "article_id": article_id,
            "origin": origin, "stage": stage, "reason": reason, "hint": hint or None, "shard": shard,
            "ingested_at": ingested_at}


def rejected_row(item: Rejected, **kw) -> dict:
    return error_row(origin=item.origin, reason=item.reason, stage="read", hint=item.hint,
                     article_id=item.id, **kw)


def article_error_row(art: Article, reason: str, stage: str = "code", key: str | None = None, **kw) -> dict:
    return error_row(origin=art.origin, reason=reason, stage=stage, key=key or key_of(art),
                     article_id=art.id, **kw)


def copy_rows(art: Article, info: dict, *, shard: str = "", ingested_at: datetime | None = None) -> dict[str, list[dict]]:
    """The rows of an article that is a copy of another (``copies.py``): its ``articles`` row (not
    coded: no actors, mentions, ...; counted through its original) and its ``copies`` row."""
    key = key_of(art)
    adate = parse_day(art.date)
    meta = type("M", (), {})()
    for f in ("source_domain", "source_country", "language", "author", "site_name", "url"):
        setattr(meta, f, getattr(art, f, None))
    meta.extraction = None
    row = {"_part": partition_dir(adate), "article_key": key, "article_id": art.id or key, "date": adate,
           "title": art.title, "source": art.source, "url": art.url, "origin": art.origin, "text": art.text,
           "n_chars": len(art.text), "n_terms": 0, "n_actors": 0, "n_events": 0, "n_quotes": 0, "n_places": 0,
           "warnings": [f"copy of {info.get('original_id') or info['copy_of']} (similarity "
                        f"{info.get('similarity')}): not coded"],
           "shard": shard, "ingested_at": ingested_at, **_outlet_columns(meta)}
    copy = {"article_key": key, "copy_of": info["copy_of"], "article_id": art.id or key,
            "original_id": info.get("original_id"), "similarity": info.get("similarity"),
            "kind": info.get("kind"), "shard": shard}
    return {"articles": [row], "copies": [copy]}


def signature_row(key: str, article_id: str | None, day: str | None, sig, bands: list[int], *,
                  shard: str = "") -> dict:
    """The ``signatures`` row of an original (``copies.py``)."""
    from .copies import COPIES_VERSION, to_bytes

    return {"article_key": key, "article_id": article_id or key, "date": parse_day(day), "version": COPIES_VERSION,
            "sig": to_bytes(sig), "bands": list(bands), "shard": shard}
