"""De-duplication: mentions of one real event in many articles become one event row.

Two coded events (*mentions*) are the same real event when

1. they have the same actors in the same direction (``source_key``/``target_key``,
   see ``rows.participant_key``: a knowledge-base id, a person's or organisation's
   name, or an actor code that includes a country; "they", "Police" or a bare agent
   code like "COP" identify nobody, and at least one side must be known) and the same
   CAMEO base code (three digits: "042" and "0421" match, "042" and "043" do not),
   and the same polarity (a negated mention never merges with an asserted one);
2. their dates are within a day: day-precision dates are grouped in windows that
   start at the earliest date and span one day (so a Friday meeting reported on
   Friday and Saturday is one event, a weekly meeting is not); coarser dates
   ("2025-06", "2025") match only the same value, and undated mentions only other
   undated mentions, and only when one side is named (a country code and an action
   with no date are no evidence of one event);
3. their locations are compatible: either has none, or they are the same place
   (GeoNames id or name), or one is a country/region/province that contains the
   other, or both are points within 50 km.

Each event keeps ``num_mentions``, ``num_articles``, ``num_sources`` (distinct
outlets), ``first_seen``/``last_seen`` (publication dates) and the mention that
reported it first. Unlike GDELT these counts are recomputed over the whole store
after every ingest, so they keep growing as later articles arrive.

The event id is a hash of the defining features: actor keys, base code, polarity,
the window's first date and the event's location, so the same store always gives
the same ids and an event keeps its id as more reports of it arrive (unless an
earlier report or a more precise location changes those features).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import timedelta
from urllib.parse import urlsplit

# Bump when a rule changes: stores then recompute their events on the next ingest or `communique dedup`.
DEDUP_VERSION = "7"
# Undated mentions merge only when one side is a named actor (a person, an organisation by
# name or a knowledge-base entry), not on country or agent codes alone.
UNDATED_NEEDS_NAMED_ACTOR = True
WINDOW = timedelta(days=1)
NEAR_KM = 50.0
COARSE = {"country", "region", "admin1"}
_SPECIFICITY = {None: 0, "country": 1, "region": 1, "admin1": 2, "other": 3, "city": 3}

# Columns of the mentions table that de-duplication reads.
COLUMNS = (
    "mention_id", "article_key", "article_date", "article_source", "article_url", "in_lead",
    "sentence_text", "trigger_text",
    "source_key", "source_name", "source_code", "source_country", "source_sector",
    "target_key", "target_name", "target_code", "target_country", "target_sector",
    "cameo", "base_code", "cameo_root", "plover_event", "plover_mode", "goldstein", "quad_class",
    "date_text", "date_precision", "event_date", "negated",
    "place_name", "place_country", "place_lat", "place_lon", "place_geonames_id", "place_feature",
    "confidence", "tone", "ingested_at",
    "place_admin1_code",  # issue 16; absent from older mention files (read as null)
)
# (the store adds ``completed``: a participant filled in by coreference within the story)
ORDER = ("source_key", "target_key", "base_code", "negated", "event_date", "mention_id")


def rules_fingerprint() -> str:
    """The version and parameters of the rules, part of every generation id."""
    return f"{DEDUP_VERSION}/{WINDOW.days}d/{NEAR_KM}km/{int(UNDATED_NEEDS_NAMED_ACTOR)}"


def _h(*parts) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Loc:
    __slots__ = ("name", "country", "lat", "lon", "gid", "feature")

    def __init__(self, m: dict):
        self.name = " ".join((m.get("place_name") or "").lower().split())
        self.country = m.get("place_country")
        self.lat = m.get("place_lat")
        self.lon = m.get("place_lon")
        self.gid = m.get("place_geonames_id")
        self.feature = m.get("place_feature")

    @property
    def key(self) -> str:
        return f"g{self.gid}" if self.gid else f"{self.country or ''}:{self.name}"

    @property
    def specificity(self) -> int:
        return _SPECIFICITY.get(self.feature, 3)


def location_of(m: dict) -> Loc | None:
    if not m.get("place_name") and m.get("place_geonames_id") is None:
        return None
    return Loc(m)


def compatible(a: Loc | None, b: Loc | None) -> bool:
    """Can two reported locations be the same event's location?"""
    if a is None or b is None:
        return True
    if a.gid is not None and a.gid == b.gid:
        return True
    if a.name and a.name == b.name and (not a.country or not b.country or a.country == b.country):
        return True
    if a.feature in COARSE or b.feature in COARSE:
        if a.country and b.country:
            return a.country == b.country
        return True   # a region without a country ("the Middle East") rules nothing out
    if None not in (a.lat, a.lon, b.lat, b.lon):
        return _km(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM
    return False


def _anchor(m: dict) -> str:
    prec = m.get("date_precision")
    if prec == "day":
        return m["event_date"].isoformat()
    if prec in (None, ""):
        return "undated"
    return f"{prec}:{m.get('date_text')}"


def day_windows(days: Iterable) -> list[tuple]:
    """The date windows of one block: its distinct days in order, each window starting at the first
    day not yet in one and holding every day up to ``WINDOW`` later. A window depends only on the
    days from its start on up to the next gap longer than ``WINDOW``, which is what lets an
    incremental run recompute only the windows near new mentions (``Store._reopen_blocks``)."""
    ds = sorted(set(days))
    out: list[tuple] = []
    i = 0
    while i < len(ds):
        j = i
        while j < len(ds) and ds[j] - ds[i] <= WINDOW:
            j += 1
        out.append(tuple(ds[i:j]))
        i = j
    return out


def _groups(block: list[dict]) -> Iterator[tuple[str, list[dict]]]:
    """Split one actor/code block into date groups (windows of one day, or equal coarse dates)."""
    days = [m for m in block if m.get("date_precision") == "day" and m.get("event_date") is not None]
    rest = [m for m in block if not (m.get("date_precision") == "day" and m.get("event_date") is not None)]
    by_day: dict = {}
    for m in days:
        by_day.setdefault(m["event_date"], []).append(m)
    for w in day_windows(by_day):
        yield w[0].isoformat(), sorted((m for d in w for m in by_day[d]), key=lambda m: (m["event_date"], m["mention_id"]))
    coarse: dict[str, list[dict]] = {}
    for m in sorted(rest, key=lambda m: m["mention_id"]):
        coarse.setdefault(_anchor(m), []).append(m)
    yield from sorted(coarse.items())


def _split_by_location(group: list[dict]) -> list[tuple[Loc | None, list[dict]]]:
    """Split a date group so that every location in a cluster is compatible with every other."""
    clusters: list[list] = []   # [representative location, members, {location key: location}]
    for m in group:
        loc = location_of(m)
        for c in clusters:
            if loc is None or all(compatible(other, loc) for other in c[2].values()):
                c[1].append(m)
                if loc is not None:
                    c[2].setdefault(loc.key, loc)
                    if c[0] is None or loc.specificity > c[0].specificity:
                        c[0] = loc
                break
        else:
            clusters.append([loc, [m], {loc.key: loc} if loc is not None else {}])
    return [(c[0], c[1]) for c in clusters]


def _mode(values: Iterable) -> object:
    """The most frequent non-empty value (ties: the smallest as text)."""
    c = Counter(v for v in values if v not in (None, ""))
    if not c:
        return None
    best = max(c.values())
    return min((v for v, n in c.items() if n == best), key=str)


def _outlet(m: dict) -> str | None:
    if m.get("article_source"):
        return str(m["article_source"]).strip().lower()
    url = m.get("article_url")
    if url:
        host = urlsplit(url).netloc.lower()
        return host[4:] if host.startswith("www.") else host or None
    return None


def make_event(event_id: str, anchor: str, loc: Loc | None, members: list[dict]) -> dict:
    first = min(members, key=lambda m: (m.get("article_date") is None, m.get("article_date"),
                                        m.get("ingested_at") is None, m.get("ingested_at"), m["mention_id"]))
    # the members share the block's base code; one act told with other verbs in its story
    # (``same_action_in_story``) keeps its own codes, and the event shows a code of the block's
    base = members[0].get("base_code") or ""
    cameo = _mode(m["cameo"] for m in members if (m.get("cameo") or "").startswith(base)) or _mode(
        m["cameo"] for m in members)
    rep = next(m for m in sorted(members, key=lambda m: m["mention_id"]) if m["cameo"] == cameo)
    # the location: the most specific one any report gave
    locm = None
    for m in members:
        lm = location_of(m)
        if lm is not None and (locm is None or lm.specificity > location_of(locm).specificity):
            locm = m
    art_dates = [m["article_date"] for m in members if m.get("article_date") is not None]
    added = [m["ingested_at"] for m in members if m.get("ingested_at") is not None]
    tones: dict[str, float] = {}
    for m in members:
        if m.get("tone") is not None:
            tones[m["article_key"]] = m["tone"]
    outlets = {o for m in members if (o := _outlet(m))}
    # copies of a reporting article (``copies.py``) were not coded: each repeats its original's
    # mentions, so it counts as one more article, its outlet as a source, and its mentions too
    copy_of: dict[str, tuple] = {}
    n_copy_mentions = 0
    for m in members:
        for ck, cd, co, _cid in m.get("copies") or ():
            copy_of[ck] = (cd, co)
            n_copy_mentions += 1
    for cd, co in copy_of.values():
        if co:
            outlets.add(co)
        if cd is not None:
            art_dates.append(cd)
    dates = [m for m in members if m.get("event_date") is not None]
    d = min(dates, key=lambda m: m["event_date"]) if dates else None
    ev = {
        "event_id": event_id,
        "date": d["event_date"] if d else None,
        "date_text": d["date_text"] if d else None,
        "date_precision": d["date_precision"] if d else None,
        "cameo": cameo, "base_code": rep["base_code"], "cameo_root": rep["cameo_root"],
        "plover_event": rep["plover_event"], "plover_mode": rep["plover_mode"], "quad_class": rep["quad_class"],
        "goldstein": rep["goldstein"], "negated": bool(rep.get("negated")),
        "place_name": locm["place_name"] if locm else None,
        "place_country": locm["place_country"] if locm else None,
        "place_lat": locm["place_lat"] if locm else None, "place_lon": locm["place_lon"] if locm else None,
        "place_geonames_id": locm["place_geonames_id"] if locm else None,
        "place_feature": locm["place_feature"] if locm else None,
        "place_admin1_code": locm.get("place_admin1_code") if locm else None,
        "num_mentions": len(members) + n_copy_mentions,
        "num_articles": len({m["article_key"] for m in members}) + len(copy_of),
        "num_sources": len(outlets),
        "first_seen": min(art_dates) if art_dates else None, "last_seen": max(art_dates) if art_dates else None,
        "first_added": min(added) if added else None, "last_added": max(added) if added else None,
        "avg_tone": sum(tones.values()) / len(tones) if tones else None,
        "confidence": max((m.get("confidence") or 0.0) for m in members),
        "is_root": bool(first.get("in_lead")), "first_article_key": first["article_key"],
        "first_mention_id": first["mention_id"], "source_url": first.get("article_url"),
        "trigger_text": first.get("trigger_text"), "evidence": first.get("sentence_text"),
    }
    for side in ("source", "target"):
        ev[f"{side}_key"] = rep.get(f"{side}_key")
        for f in ("name", "code", "country", "sector"):
            ev[f"{side}_{f}"] = _mode(m.get(f"{side}_{f}") for m in members)
    stories = {m.get("story_id") for m in members if m.get("story_id")}
    ev["story_id"] = first.get("story_id")
    ev["num_stories"] = len(stories)
    ev["why"], ev["merge_confidence"] = explain(ev, members, anchor, len(stories))
    return ev


def explain(ev: dict, members: list[dict], anchor: str, n_stories: int) -> tuple[str, float]:
    """Why the mentions of an event were merged, in words, and how sure the merge is.

    The confidence starts from how well the evidence identifies one event: who (named actors or a
    knowledge-base entry rather than country codes), when (a day rather than a month or no date),
    where (a place every report agrees with), and whether the reports come from one story."""
    arts = {m["article_key"] for m in members}
    if len(members) == 1:
        n = (ev.get("num_articles") or 1) - 1
        return "one mention" + (f"; repeated by {n} copy(ies) of its article" if n else ""), 1.0

    def who(side):
        return ev.get(f"{side}_name") or ev.get(f"{side}_code") or "?"
    keys = [k for k in (ev.get("source_key"), ev.get("target_key")) if k]
    named = sum(1 for k in keys if k.startswith(("kb:", "name:")))
    if any(k.startswith("act:") for k in keys):
        first = f"same verb ({(ev.get('trigger_text') or '').lower()}) in one story, no participant named"
    elif len(keys) == 2:
        first = f"same source and target ({who('source')} -> {who('target')})"
    else:
        side = "source" if ev.get("source_key") else "target"
        first = f"same {side} ({who(side)})"
    parts = [first, str(ev.get("base_code") or ev.get("cameo"))]
    # one act told with other verbs and codes in its story ("captured", "arrested")
    codes = sorted({(m.get("cameo") or "")[:3] for m in members if m.get("cameo")})
    verbs = sorted({(m.get("trigger_text") or "").lower() for m in members if m.get("trigger_text")})
    if len(codes) > 1:
        parts[1] += f" (told as {'/'.join(codes)}: {', '.join(verbs[:4])})"
    days = {m["event_date"] for m in members if m.get("date_precision") == "day" and m.get("event_date")}
    if anchor == "undated":
        parts.append("no date")
        when = 0.0
    elif len(days) == 1:
        parts.append("same day")
        when = 0.15
    elif days:
        parts.append(f"within {(max(days) - min(days)).days} day(s)")
        when = 0.1
    else:
        parts.append(f"same {members[0].get('date_precision') or 'period'}")
        when = 0.05
    where = 0.0
    if ev.get("place_name"):
        parts.append(ev["place_name"])
        placed = sum(1 for m in members if m.get("place_name"))
        where = 0.1 if placed > 1 else 0.05
    text = ", ".join(parts)
    extra = [f"{len(arts)} article(s)"]
    if named:
        extra.append(f"{named} named actor(s)")
    if n_stories:
        extra.append("one story" if n_stories == 1 else f"{n_stories} stories")
    completed = sum(1 for m in members if m.get("completed"))
    if completed:
        extra.append(f"{completed} mention(s) with a participant completed from its story")
    conf = (0.45 + 0.1 * named + when + where + (0.1 if n_stories == 1 else 0.0) - (0.05 if completed else 0.0)
            - (0.05 if len(codes) > 1 else 0.0))
    return f"{text}; {', '.join(extra)}", round(min(conf, 0.99), 2)


def cluster_block(block: list[dict]) -> Iterator[tuple[dict, list[dict]]]:
    """Events (with their member mentions) of one block of mentions sharing actors and base code."""
    m0 = block[0]
    if m0.get("source_key") is None and m0.get("target_key") is None:
        # Nobody known on either side: nothing says two such mentions are the same event.
        for m in block:
            yield make_event("ev-" + _h("mention", m["mention_id"]), _anchor(m), location_of(m), [m]), [m]
        return
    base = (m0.get("source_key"), m0.get("target_key"), m0.get("base_code"), bool(m0.get("negated")))
    # an action of one story named by one verb (``same_action_in_story``) identifies its event as a
    # named actor does
    named = any(k and k.startswith(("kb:", "name:", "act:")) for k in base[:2])
    for anchor, group in _groups(block):
        if anchor == "undated" and not named and UNDATED_NEEDS_NAMED_ACTOR:
            # Without a date, "the United States said" in two articles is no evidence of one event.
            for m in group:
                yield make_event("ev-" + _h("mention", m["mention_id"]), anchor, location_of(m), [m]), [m]
            continue
        seen: set[str] = set()
        for loc, members in _split_by_location(group):
            eid = "ev-" + _h(*base, anchor, loc.key if loc else "")
            k = 1
            while eid in seen:
                k += 1
                eid = "ev-" + _h(*base, anchor, loc.key if loc else "", k)
            seen.add(eid)
            yield make_event(eid, anchor, loc, members), members


def same_referent(a: str, b: str) -> bool:
    """Within one story and one action by one actor, can two participant keys name the same
    participant? Knowledge-base entries and actor codes only when equal; names when one's words
    contain the other's, or when both end in the same noun ("23 Somalian pirates", "Yemeni pirates";
    "Academy of Motion Picture Arts and Sciences" with a typo)."""
    if a == b:
        return True
    if not (a.startswith("name:") and b.startswith("name:")):
        return False
    wa, wb = a[5:].split(), b[5:].split()
    if not wa or not wb:
        return False
    return wa[-1] == wb[-1] or set(wa) <= set(wb) or set(wb) <= set(wa)


# CAMEO roots whose verbs say nothing about which event: "said", "announced" name the act of
# speaking, which every report of a story repeats for different statements.
TRIGGER_ROOTS_EXCLUDED = frozenset({"01"})
_SUFFIXES = ("ing", "ed", "es", "s", "e")


def trigger_stem(word: str | None) -> str:
    """A crude stem of a trigger word ("captured", "capturing", "captures" -> "captur")."""
    w = (word or "").strip().lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[:-len(suf)]
    return w


def _contains(m: dict, day) -> bool:
    """Is ``day`` inside the coarser period (month, year) a mention is dated with?"""
    prec, start = m.get("date_precision"), m.get("event_date")
    if start is None or prec not in ("month", "year"):
        return False
    return start.year == day.year and (prec == "year" or start.month == day.month)


# Quad classes of material acts (CAMEO 2: material cooperation, 4: material conflict): one act
# ("captured", "seized", "arrested") is often told with different verbs, and their CAMEO codes then
# differ (190, 171, 173). Verbal acts (quad classes 1 and 3) are statements: another verb is usually
# another statement, so they must share their CAMEO root.
MATERIAL_QUADS = frozenset({2, 4})


def compatible_codes(a: dict, b: dict) -> bool:
    """Can two mentions' CAMEO codes name one act? The same root, or the same material quad class."""
    if a.get("base_code") == b.get("base_code") or (a.get("cameo_root") and a.get("cameo_root") == b.get("cameo_root")):
        return True
    qa, qb = a.get("quad_class"), b.get("quad_class")
    return qa is not None and qa == qb and qa in MATERIAL_QUADS


def _same_side(m: dict, o: dict, side: str) -> bool:
    """Do two mentions name one participant on ``side`` (both name one)? Names as ``same_referent``;
    a knowledge-base entry and an actor code are one when the entry's mention carries that code
    ("Indian Armed Forces", kb entry coded INDMIL, and "the Indian military", INDMIL)."""
    a, b = m.get(f"{side}_key"), o.get(f"{side}_key")
    if not a or not b:
        return False
    if same_referent(a, b):
        return True
    for x, y, xm in ((a, b, m), (b, a, o)):
        if x.startswith("kb:") and y.startswith("code:") and xm.get(f"{side}_code") == y[5:]:
            return True
    return False


def _agree(m: dict, o: dict) -> bool:
    """Two mentions of one story that may name one act: the same verb (``trigger_stem``), compatible
    CAMEO codes (``compatible_codes``), and no side that contradicts (one names nobody, or both name
    one participant, ``_same_side``).

    Different verbs with the same participants ("the navy captured the pirates", "the navy attacked
    the pirates") are not enough: on ECB+ dev such merges joined distinct acts of one story (the
    attack, the capture, the deployment) far more often than one act told twice (mention-pair
    precision 0.95 -> 0.71 when one shared participant sufficed, 0.93 with both)."""
    if trigger_stem(m.get("trigger_text")) != trigger_stem(o.get("trigger_text")) or not compatible_codes(m, o):
        return False
    return all(not m.get(f"{side}_key") or not o.get(f"{side}_key") or _same_side(m, o, side)
               for side in ("source", "target"))


def _canon(keys: Counter) -> str:
    # a knowledge-base entry before the actor code it was matched with; then the most reported
    return min(keys, key=lambda k: (not k.startswith("kb:"), -keys[k], k))


def same_action_in_story(mentions: Iterable[dict]) -> dict[str, dict]:
    """Layer 3 within a story: mentions of one story and polarity name one act when they agree
    (``_agree``): the same trigger verb (``trigger_stem``: "captured", "capturing"), compatible
    CAMEO codes (``compatible_codes``: the same root, or the same material quad class: the coder
    may code one verb 190 in one sentence and 173 in another), and participants that do not
    contradict each other (on each side: one names nobody, or both name one participant,
    ``_same_side``).
    Such mentions are put in clusters, each mention in the first cluster all of whose mentions it
    agrees with (most specific mentions first, so that a mention naming nobody cannot bridge two
    different participants). In a cluster of two or more articles every mention takes the cluster's
    key on each side (a knowledge-base entry, else the most reported; a mention that names no one
    there gets it too) and its most reported CAMEO base code, so that the block clustering
    (``cluster_block``) sees one act; a cluster whose mentions name no one on either side (then one
    verb) gets the key ``act:<story>/<verb>@<place>`` for its mentions that name one place (the most
    named): the story, the verb and the place then identify the action; without a place nothing
    does ("they attacked the town" twice may be two attacks). Dates of compatible granularity: an
    undated mention of a cluster whose dated mentions all fall within ``WINDOW`` takes their first
    day, and so does one dated with a month or year that contains that day; when the cluster has no
    day but one coarser date (a month, a year), its undated mentions take that. Statements (CAMEO
    root 01) never merge this way. Mentions are dicts with ``mention_id``, ``article_key``,
    ``_story``, ``base_code``, ``cameo_root``, ``quad_class``, ``negated``, ``trigger_text``,
    ``source_key``, ``target_key``, ``source_code``, ``target_code``, ``date_precision``,
    ``event_date``, ``date_text``, ``place_name``. Returns ``{mention_id: changes}``."""
    groups: dict[tuple, list[dict]] = {}
    for m in mentions:
        stem = trigger_stem(m.get("trigger_text"))
        if not m.get("_story") or not stem or (m.get("cameo_root") or "") in TRIGGER_ROOTS_EXCLUDED:
            continue
        groups.setdefault((m["_story"], bool(m.get("negated"))), []).append(m)
    out: dict[str, dict] = {}
    for g, ms in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if len({m.get("article_key") for m in ms}) < 2:
            continue      # one article's repeated verb: the other rules decide
        clusters: list[list[dict]] = []
        for m in sorted(ms, key=lambda m: (-bool(m.get("source_key")) - bool(m.get("target_key")), m["mention_id"])):
            for c in clusters:
                if all(_agree(m, o) for o in c):
                    c.append(m)
                    break
            else:
                clusters.append([m])
        for c in clusters:
            if len({m.get("article_key") for m in c}) < 2:
                continue
            ch: dict[str, dict] = {}
            named = False
            for side in ("source_key", "target_key"):
                counts = Counter(m[side] for m in c if m.get(side))
                if not counts:
                    continue
                named = True
                canon = _canon(counts)
                for m in c:
                    if m.get(side) != canon:
                        ch.setdefault(m["mention_id"], {})[side] = canon
            if not named:
                # nobody named: "they attacked the town" twice may be two attacks; only a place that
                # every report names makes it one action (its reports without the place stay apart)
                places = Counter((m.get("place_name") or "").strip().lower() for m in c)
                place = min((p for p in places if p), key=lambda p: (-places[p], p), default=None)
                at = [m for m in c if (m.get("place_name") or "").strip().lower() == place] if place else []
                if len({m.get("article_key") for m in at}) < 2:
                    continue
                stem = trigger_stem(at[0].get("trigger_text"))
                for m in at:
                    ch.setdefault(m["mention_id"], {})["source_key"] = f"act:{g[0]}/{stem}@{place}"
                c = at
            codes = Counter(m.get("base_code") for m in c if m.get("base_code"))
            if len(codes) > 1:
                code = min(codes, key=lambda k: (-codes[k], k))
                for m in c:
                    if m.get("base_code") != code:
                        ch.setdefault(m["mention_id"], {})["base_code"] = code
            days = sorted(m["event_date"] for m in c if m.get("date_precision") == "day" and m.get("event_date"))
            coarse = {(m.get("date_precision"), m.get("date_text"), m.get("event_date")) for m in c
                      if m.get("date_precision") and m.get("date_precision") != "day"}
            if days and days[-1] - days[0] <= WINDOW:
                for m in c:
                    if not m.get("date_precision") or _contains(m, days[0]):
                        ch.setdefault(m["mention_id"], {}).update(date_precision="day", event_date=days[0],
                                                                   date_text=days[0].isoformat())
            elif not days and len(coarse) == 1:
                prec, text, start = next(iter(coarse))
                for m in c:
                    if not m.get("date_precision"):
                        ch.setdefault(m["mention_id"], {}).update(date_precision=prec, event_date=start,
                                                                   date_text=text)
            out.update(ch)
    return out


def block_key(m: dict) -> tuple:
    return (m.get("source_key"), m.get("target_key"), m.get("base_code"), bool(m.get("negated")))


def deduplicate(mentions: Iterable[dict]) -> Iterator[tuple[dict, list[dict]]]:
    """Cluster mentions (dicts with ``COLUMNS``) into events. Input in any order when it is a
    list; a stream must arrive sorted by ``block_key`` (the store reads it that way)."""
    if isinstance(mentions, list):
        mentions = sorted(mentions, key=lambda m: tuple("" if v is None else str(v) for v in block_key(m)))
    block: list[dict] = []
    key = None
    for m in mentions:
        k = block_key(m)
        if block and k != key:
            yield from cluster_block(block)
            block = []
        key = k
        block.append(m)
    if block:
        yield from cluster_block(block)
