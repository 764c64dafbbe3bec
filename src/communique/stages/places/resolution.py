"""Disambiguation: each mention's gazetteer entry, scored by feature, population and the article's
context, with the weights of the stage settings.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from ...kb.gazetteer import GazEntry, name_key
from .._state import DocState
from .knowledge import PlaceKB
from .recognition import Mention
from .scoring import DEFAULT_SETTINGS, PlaceSettings, km, prior_score


def _contains(outer: GazEntry, inner: GazEntry, t: dict[str, float]) -> bool:
    if outer.idx == inner.idx:
        return False
    if outer.idx == -3:  # a second-level division holds its towns ("Ipswich, Suffolk")
        return inner.feature == "city" and inner.admin1_key == outer.admin1_key and km(outer, inner) < t["nearby_km"]
    if outer.feature == "country":
        return inner.country == outer.country
    if outer.feature == "admin1":
        return inner.admin1_key == outer.admin1_key and inner.feature == "city"
    if outer.feature == "city":
        return inner.feature == "city" and km(outer, inner) < t["city_km"]
    if outer.feature == "region":
        return inner.country is not None and km(outer, inner) < t["region_km"]
    return False


@dataclass
class _Context:
    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    by_key: dict[str, tuple[Counter, Counter]] = field(default_factory=dict)
    points: list[tuple[str, GazEntry]] = field(default_factory=list)
    total: float = 0.0

    def add(self, key: str, e: GazEntry, w: float) -> None:
        kc, ka = self.by_key.setdefault(key, (Counter(), Counter()))
        if e.country:
            self.countries[e.country] += w
            kc[e.country] += w
            self.total += w
        ak = e.admin1_key
        if ak:
            self.admin1[ak] += w
            ka[ak] += w
        if e.feature in ("city", "admin1"):
            self.points.append((key, e))


def _context_score(e: GazEntry, key: str, ctx: _Context, st: PlaceSettings) -> float:
    w, t = st.w, st.t
    s = 0.0
    kc, ka = ctx.by_key.get(key, (Counter(), Counter()))
    if e.country:
        c = ctx.countries[e.country] - kc[e.country]
        total = ctx.total - sum(kc.values())
        if c > 0:
            s += w["same_country"] + w["country_share"] * c / max(total, 1.0)
    ak = e.admin1_key
    if ak and ctx.admin1[ak] - ka[ak] > 0:
        s += w["same_admin1"]
    if e.feature == "city" and ctx.points:
        d = min((km(e, p) for k, p in ctx.points if k != key and p.idx != e.idx), default=1e9)
        if d < t["near_km"]:
            s += w["near_40km"]
        elif d < t["nearby_km"]:
            s += w["near_200km"]
    return s


def _same_name_city(e: GazEntry, cands: list[GazEntry], kb: PlaceKB, t: dict[str, float]) -> GazEntry | None:
    """A big city (or capital) named like the division ``e`` and lying in it: "New York", "Minsk"."""
    for c in cands:
        if c.feature == "city" and c.country == e.country and (
                c.admin1 == e.name or km(c, e) < t["same_name_city_km"] or name_key(c.admin1).startswith(name_key(e.name))) and (
                c.population >= t["min_pop_same_name_city"] or (c.country, name_key(c.name)) in kb.capitals):
            return c
    return None


def _choose(m: Mention, cands: list[GazEntry], kb: PlaceKB, ctx: _Context | None, st: PlaceSettings
            ) -> tuple[GazEntry, float]:
    w = st.w
    scored = []
    for e in cands:
        s = prior_score(e, kb, w)
        if ctx is not None:
            s += _context_score(e, m.key, ctx, st)
        if m.admin_hint and e.feature == "admin1":
            s += w["admin_hint"]
        if e.feature == "city" and m.role != "facility" and name_key(e.name) != m.key:
            s += w["other_name"]  # known by another name: "Atlantic" is the ocean before it is an alias of a town
        scored.append((s, -e.idx, e))
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    best_s, _, best = scored[0]
    margin = best_s - scored[1][0] if len(scored) > 1 else 10.0
    if best.feature == "admin1" and not m.admin_hint:
        city = _same_name_city(best, cands, kb, st.t)
        if city is not None:
            best = city
    return best, margin


def _constrain(m: Mention, mentions: list[Mention], t: dict[str, float]) -> list[GazEntry]:
    cands = m.cands
    if m.container is not None:
        outer = mentions[m.container]
        inside = [e for e in cands if any(_contains(o, e, t) for o in outer.cands)]
        if inside:
            cands = inside
    return cands


# Long on purpose: the resolution passes in their order (lists, containers, context, scores); each
# pass reads the choices the one before made.
def resolve_mentions(mentions: list[Mention], state: DocState, kb: PlaceKB,
                     st: PlaceSettings = DEFAULT_SETTINGS) -> None:
    """Pick each mention's gazetteer entry (``Mention.choice``)."""
    w, t = st.w, st.t
    _unlink_lists(mentions, kb, st)
    # containers first restrict their own candidates to those that contain something
    for m in mentions:
        if m.container is not None:
            outer = mentions[m.container]
            keep = [o for o in outer.cands if any(_contains(o, e, t) for e in m.cands)]
            if not keep:
                # nothing named X lies in any Y: Y still reads as the division or country it names
                keep = [o for o in outer.cands if o.feature in ("country", "admin1")]
            if keep:
                outer.cands = keep
    ctx = _Context()
    starts = sorted(m.start for m in mentions)
    for a in state.actors:
        if _holds_place(starts, a.start, a.end):
            continue  # its country was read from a place word the mentions weigh already ("Police in Portland")
        if a.refers_to is None and a.country and len(a.country) == 3 and a.mention != "pronoun":
            ctx.add("@actor", _pseudo(a.country), w["actor_anchor"])
    # pass 1: priors and actors only; unambiguous or clear choices become anchors
    for m in mentions:
        if m.cands:
            m.choice, m.margin = _choose(m, _constrain(m, mentions, t), kb, ctx, st)
    anchors = _Context(Counter(ctx.countries), Counter(ctx.admin1), dict(ctx.by_key), list(ctx.points), ctx.total)
    for m in mentions:
        e = m.choice
        if e is None:
            continue
        weight = w["clear_anchor"] if len(m.cands) == 1 or m.margin >= w["clear_margin"] else w["unclear_anchor"]
        if m.role == "demonym":
            weight = w["demonym_anchor"]
        if m.dateline:
            weight = w["dateline_anchor"]
        anchors.add(m.key, e, weight)
    named = _named_divisions(mentions) if any(m.county for m in mentions) else set()
    for m in mentions:
        if m.county and m.key in kb.counties:
            # a county of the table is as good a clue as its division ("Sangamon County ... Springfield")
            outer = mentions[m.container].choice if m.container is not None else None
            within = outer.admin1_key if outer is not None and outer.feature == "admin1" else None
            known = _known_county(kb.counties[m.key], m.choice, m.key, anchors, within, named)
            if known is not None:
                anchors.add(m.key, known, w["clear_anchor"])
    _listed_divisions(mentions, t)
    _local_over_alias(mentions, anchors, t["min_pop_located_name"])
    # pass 2: with the article's places as context
    for m in mentions:
        if len(m.cands) > 1 or (m.admin_hint and m.cands):
            m.choice, m.margin = _choose(m, _constrain(m, mentions, t), kb, anchors, st)
    short: dict[str, GazEntry] = {}  # "suffolk" -> the article's Suffolk County
    for m in mentions:
        if m.county:
            outer = mentions[m.container].choice if m.container is not None else None
            within = outer.admin1_key if outer is not None and outer.feature == "admin1" else None
            m.choice = _county(m.choice, m.key, anchors, kb, within, named)
            if m.choice is not None and m.choice.admin1_key in named:
                _county_division(mentions, m.choice.admin1_key)
            if m.choice is not None and m.choice.geonames_id is None:
                short[m.key.rsplit(" ", 1)[0]] = m.choice
        elif m.container is not None and m.choice is not None and m.choice.feature == "city" \
                and not any(k > m.container for k in mentions[m.container].listed or []):
            # (not in a list that goes on: "the Zaïre, Bundibugyo, Côte d'Ivoire and Sudan strains")
            outer = mentions[m.container].choice
            if outer is not None and outer.feature in ("country", "admin1") and not _contains(outer, m.choice, t) \
                    and not any(_contains(outer, e, t) for e in m.cands):
                # "Suffolk, England": a place the gazetteer lacks, placed by the division the text puts it in
                m.choice = _placed_in(outer)
    if short:
        _county_short_names(mentions, short, t["min_pop_prominent"])


def _county_short_names(mentions: list[Mention], short: dict[str, GazEntry], big: float) -> None:
    """The bare name of a county the article names ("Suffolk" after "Suffolk County") is that county,
    unless it is a big city, which is meant itself ("Los Angeles" and Los Angeles County)."""
    for m in mentions:
        if not m.county and m.key in short and m.role in ("literal", "embedded") and (
                m.choice is None or m.choice.feature == "other"
                or (m.choice.feature == "city" and m.choice.population < big)):
            m.choice = short[m.key]


def _unlink_lists(mentions: list[Mention], kb: PlaceKB, st: PlaceSettings) -> None:
    """"After Paris, London is ...": two big cities side by side are a list, not "X, Y" containment."""
    big = st.t["min_pop_prominent"]
    for m in mentions:
        if m.container is None:
            continue
        pair = (m, mentions[m.container])
        if all(max((e.population for e in x.cands if e.feature == "city"), default=0) >= big for x in pair) \
                and not any(_contains(o, e, st.t) for o in pair[1].cands for e in pair[0].cands
                            if o.feature != "city" or (o.population >= big and e.population >= big)):
            m.container = None  # ("Tacoma, Washington" stays: the state holds Tacoma)


def _holds_place(starts: list[int], a: int, b: int) -> bool:
    k = bisect_left(starts, a)
    return k < len(starts) and starts[k] < b


def _local_over_alias(mentions: list[Mention], ctx: _Context, min_pop: float) -> None:
    """A country known by the name only as one of its alternate spellings ("Columbia" for Colombia,
    "Holland") is not meant when a town has that name as its own and lies in a division the
    article is about, and nothing else in the article points to that country: "Columbia" in a
    South Carolina story, "Holland" in a Michigan one."""
    for m in mentions:
        if m.role == "demonym" or m.admin_hint or len(m.cands) < 2:
            continue
        alias = [e for e in m.cands if e.feature in ("country", "region") and name_key(e.name) != m.key]
        if not alias:
            continue
        kc, ka = ctx.by_key.get(m.key, (Counter(), Counter()))
        ac = ctx.by_key.get("@actor", (Counter(), Counter()))[0]  # the actor stage reads the same alias
        local = [e for e in m.cands if e.feature == "city" and name_key(e.name) == m.key and e.population >= min_pop
                 and e.admin1_key and ctx.admin1[e.admin1_key] - ka[e.admin1_key] > 0]
        if local and not any(e.country and ctx.countries[e.country] - kc[e.country] - ac[e.country] > 0
                             for e in alias):
            m.cands = [e for e in m.cands if e not in alias]


def _listed_divisions(mentions: list[Mention], t: dict[str, float]) -> None:
    """A name listed with first-level divisions is one too: "Texas and Georgia", "Alberta, Manitoba,
    Ontario and New Brunswick", "California or Washington"."""
    for m in mentions:
        if m.admin_hint or not m.listed or m.choice is None or m.choice.feature == "admin1":
            continue
        # a division that holds the place is its container, not a list ("Washington, D.C.")
        countries = {mentions[k].choice.country for k in m.listed
                     if mentions[k].choice is not None and mentions[k].choice.feature == "admin1"
                     and not _contains(mentions[k].choice, m.choice, t)}
        if countries and any(e.feature == "admin1" and e.country in countries for e in m.cands):
            m.cands = [e for e in m.cands if e.feature == "admin1" and e.country in countries]
            m.admin_hint = True


def _same_named_towns(e: GazEntry, kb: PlaceKB) -> list[GazEntry]:
    return [c for c in kb.gaz.lookup_key(name_key(e.name)) if c.feature == "city"]


def _placed_in(outer: GazEntry) -> GazEntry:
    return GazEntry(None, "", outer.country, outer.name if outer.feature == "admin1" else "", "other", 0,
                    outer.lat, outer.lon, -2)


def _named_divisions(mentions: list[Mention]) -> set[tuple[str, str]]:
    """The first-level divisions some mention of the article can be ("Georgia": the US state)."""
    return {e.admin1_key for m in mentions if not m.county for e in m.cands if e.feature == "admin1"}


def _county_division(mentions: list[Mention], division: tuple[str, str]) -> None:
    """A county of a division the article names makes that name the division: "Walker County ...
    in Georgia" is the US state, not the country."""
    for m in mentions:
        if not m.county and m.choice is not None and m.choice.feature == "country":
            e = next((c for c in m.cands if c.feature == "admin1" and c.admin1_key == division), None)
            if e is not None:
                m.choice = e


def _county(e: GazEntry | None, key: str, ctx: _Context, kb: PlaceKB,
            within: tuple[str, str] | None = None, named: set | None = None) -> GazEntry | None:
    """An "X County" mention: the town named X stands for it when it lies in a division the article
    is about (or the one the text puts it in: "Walker County (Ga.)"); else the article's main
    division (the county lies in it), else that town."""
    known = _known_county(kb.counties.get(key), e, key, ctx, within, named or set())
    if known is not None:
        return known
    kc, ka = ctx.by_key.get(key, (Counter(), Counter()))
    support = {a: v - ka[a] for a, v in ctx.admin1.items() if v - ka[a] > 0}
    if within is not None:
        support = {within: 1.0}
        if e is not None and e.admin1_key != within:
            e = next((c for c in _same_named_towns(e, kb) if c.admin1_key == within), None)
    at = e
    if (e is None or not (e.admin1_key and e.admin1_key in support)) and support:
        country, name = max(support, key=lambda a: support[a])
        # the first town the article names in that division is nearer the county than the
        # division's middle ("Daviess County" in an Owensboro story); else the division itself
        towns = [p for k, p in ctx.points if k != key and p.feature == "city" and p.admin1_key == (country, name)]
        at = towns[0] if towns else kb.gaz.admin1_entry(country, name) or e
    if at is None:
        return None
    # no GeoNames row of its own: the county keeps the point and division, not the town's id
    return GazEntry(None, "", at.country, at.admin1 if at.feature != "admin1" else at.name, "other", 0,
                    at.lat, at.lon, -2)


def _known_county(known: list[GazEntry] | None, town: GazEntry | None, key: str, ctx: _Context,
                  within: tuple[str, str] | None, named: set) -> GazEntry | None:
    """A county of the admin2 table: the one in the division the text puts it in, else in the
    division the article is most about, else (in an article not about another country) the most
    populous one so named. None leaves the county to the town-based placement."""
    if not known:
        return None
    if within is not None:
        return next((c for c in known if c.admin1_key == within), None)
    kc, ka = ctx.by_key.get(key, (Counter(), Counter()))
    support = {a: v - ka[a] for a, v in ctx.admin1.items() if v - ka[a] > 0}
    held = [c for c in known if c.admin1_key in support]
    if held:
        return max(held, key=lambda c: (support[c.admin1_key], c.population))
    held = [c for c in known if c.admin1_key in named]
    if held:  # a division the article names, whatever it was taken for ("Georgia")
        return max(held, key=lambda c: c.population)
    others = {c for c, v in ctx.countries.items() if v - kc[c] > 0}
    if town is not None and town.country in others and not others & {c.country for c in known}:
        return None  # "Nairobi County" in a Kenyan story is no US county
    return max(known, key=lambda c: c.population)


def drop_unsupported(mentions: list[Mention], state: DocState) -> None:
    """A name the tagger took for a person ("According to Yap") stays a place only if the article
    is about that place's country (its actors or its other places)."""
    weak = [m for m in mentions if m.source == "person" and m.choice is not None and m.choice.feature != "country"]
    if not weak:
        return
    countries = {a.country for a in state.actors if a.country}
    countries |= {m.choice.country for m in mentions if m.choice is not None and m.source != "person"}
    for m in weak:
        if m.choice.country not in countries:
            m.choice = None


def _pseudo(iso3: str) -> GazEntry:
    return GazEntry(None, iso3, iso3, "", "country", 0, 0.0, 0.0, -1)
