"""The offline gazetteer: place names to GeoNames entries with coordinates.

Reads ``kb/data/gazetteer/places.tsv.gz`` (built from GeoNames-derived tables, see
that folder's README) and ``kb/data/gazetteer/overrides.tsv`` (hand corrections,
which win), and falls back to the country table when the gazetteer file is
absent. Names are indexed by ``canon`` key; candidates are ranked by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ._text import canon, split_multi
from .tables import data_path, read_table

FEATURE_RANK = {"country": 4, "admin1": 3, "region": 2, "city": 1, "other": 0}


@dataclass(frozen=True)
class GazEntry:
    geonames_id: int | None
    name: str
    country: str | None
    admin1: str
    feature: str
    population: int
    lat: float
    lon: float


class Gazetteer:
    def __init__(self) -> None:
        self.entries: list[GazEntry] = []
        self.index: dict[str, list[int]] = {}
        self.versions: dict[str, str] = {}

    def add(self, entry: GazEntry, names: list[str]) -> None:
        idx = len(self.entries)
        self.entries.append(entry)
        seen = set()
        for name in names:
            key = canon(name)
            if key and key not in seen:
                seen.add(key)
                self.index.setdefault(key, []).append(idx)

    def candidates(self, name: str) -> list[GazEntry]:
        return [self.entries[i] for i in self.index.get(canon(name), ())]

    def __contains__(self, name: str) -> bool:
        return canon(name) in self.index


def _int(v: str) -> int | None:
    try:
        return int(v) if v else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    overrides = data_path("gazetteer", "overrides.tsv")
    if overrides.exists():
        table = read_table(overrides)
        gaz.versions["gazetteer/overrides.tsv"] = table.version
        for _, r in table:
            gaz.add(GazEntry(_int(r.get("geonames_id", "")), r["name"], r.get("country") or None,
                             r.get("admin1", ""), r.get("feature", "other") or "other",
                             _int(r.get("population", "")) or 0, float(r["lat"]), float(r["lon"])),
                    [r["name"], *split_multi(r.get("alt_names", ""))])
    path = data_path("gazetteer", "places.tsv.gz")
    if path.exists():
        table = read_table(path)
        gaz.versions["gazetteer/places.tsv.gz"] = table.version
        for _, r in table:
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError:
                continue
            names = [r["name"], r.get("ascii_name", ""), *split_multi(r.get("alt_names", ""))]
            gaz.add(GazEntry(_int(r.get("geonames_id", "")), r["name"], r.get("country") or None,
                             r.get("admin1", ""), r.get("feature", "other") or "other",
                             _int(r.get("population", "")) or 0, lat, lon), names)
    else:
        # Without the gazetteer file, countries alone still resolve.
        from . import get_actor_kb

        kb = get_actor_kb()
        for iso3, c in kb.countries.items():
            if c.lat is not None and c.lon is not None:
                names = [c.name] + [k for k, es in kb.phrases.items()
                                    if any(e.kind == "country" and e.ref == iso3 for e in es)]
                gaz.add(GazEntry(None, c.name, iso3, "", "country", 0, c.lat, c.lon), names)
        gaz.versions["gazetteer"] = "countries-only"
    return gaz
