"""Scores of candidate places: the weights, a candidate's prior and the distance between two places.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...kb.gazetteer import GazEntry, name_key
from .knowledge import PlaceKB

# -- resolution ------------------------------------------------------------------------------
# Scores of candidate places (named so that a run can vary them from the config,
# ``components.communique_places.weights``): a prior by feature (a city's is log10 of its
# population), context bonuses, and the weight an anchor place gives its country and region.
PLACE_WEIGHTS: dict[str, float] = {
    "prior_country": 10.0, "prior_region": 8.0, "prior_admin1": 7.0, "prior_other": 7.5,
    "prior_small_city": 2.5, "capital": 1.5, "same_country": 1.5, "country_share": 3.0, "same_admin1": 1.5,
    "near_40km": 1.5, "near_200km": 0.75, "admin_hint": 3.0, "other_name": -1.0, "actor_anchor": 0.5,
    "clear_anchor": 1.0, "unclear_anchor": 0.3, "demonym_anchor": 0.5, "clear_margin": 3.0,
    # issue 16: the dateline's place weighs like several places of the article ("SPRINGFIELD, Ill.")
    "dateline_anchor": 3.0,
    # a second-level division by its bare name ("Suffolk", "Pangasinan") ranks like a town of 100,000
    "prior_admin2": 5.0,
    # a first-level division whose places hold fewer than 10**this people ranks like a city of that
    # many (log10): "Portland" alone is Portland, Oregon, not the Jamaican parish of 22,000
    "admin1_small_log_pop": 5.0,
}

# Distances (km) and populations that recognition and containment test against (named so that a
# run can vary them from the config, ``components.communique_places.thresholds``).
PLACE_THRESHOLDS: dict[str, float] = {
    # context: a candidate this close to another place of the article gets ``near_40km`` / ``near_200km``
    "near_km": 40.0, "nearby_km": 200.0,
    # containment: "X, Y" with Y a city means X lies within this distance of it; a region holds
    # places within ``region_km`` of its point; a big city within ``same_name_city_km`` of the
    # division named like it is that division's city ("New York", "Minsk")
    "city_km": 60.0, "same_name_city_km": 150.0, "region_km": 2500.0,
    # recognition: population a city needs to count as a place when the text places it ("in X",
    # "X, Ohio"; a dateline), when the tagger tagged it a name, when it sits inside a longer name,
    # when an untagged capitalised word is taken on its population alone, and to be "prominent"
    "min_pop_located": 1000.0, "min_pop_located_name": 5000.0, "min_pop_inner": 1000.0,
    "min_pop_inner_facility": 10_000.0,
    "min_pop_embedded_of": 50_000.0, "min_pop_untagged": 50_000.0, "min_pop_prominent": 100_000.0,
    # the same-named city that wins over its division ("New York", not New York State)
    "min_pop_same_name_city": 1_000_000.0,
    # a city known by an untagged word or an organisation's first word only through one of its
    # alternate names ("Google", a joke name of Topeka; "Bombay" is Mumbai's) needs this many people
    "min_pop_alias": 1_000_000.0,
}


@dataclass(frozen=True)
class PlaceSettings:
    """The weights and thresholds of one place stage (defaults: ``PLACE_WEIGHTS``, ``PLACE_THRESHOLDS``)."""

    w: dict[str, float] = field(default_factory=lambda: dict(PLACE_WEIGHTS))
    t: dict[str, float] = field(default_factory=lambda: dict(PLACE_THRESHOLDS))


DEFAULT_SETTINGS = PlaceSettings()


def prior_score(e: GazEntry, kb: PlaceKB, w: dict[str, float] = PLACE_WEIGHTS) -> float:
    """A candidate's score before context (recognition ranks candidates with the default weights)."""
    if e.idx == -3:  # knowledge.ADMIN2_IDX
        return w["prior_admin2"]
    if e.feature == "admin1":
        pp = kb.admin1_pop.get(e.admin1_key) if e.admin1_key else None
        if pp and math.log10(pp) < w["admin1_small_log_pop"]:
            return min(w["prior_admin1"], math.log10(pp))
        return w["prior_admin1"]
    if e.feature in ("country", "region", "other"):
        return w["prior_" + e.feature]
    p = math.log10(e.population) if e.population > 300 else w["prior_small_city"]
    if e.country and (e.country, name_key(e.name)) in kb.capitals:
        p += w["capital"]
    return p


def km(a: GazEntry, b: GazEntry) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(x)))
