"""What the place stage knows besides the gazetteer: demonyms, state abbreviations, capitals and
the names of known people (from the actor tables), built once by the component.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...kb import get_actor_kb
from ...kb._text import canon
from ...kb.gazetteer import GazEntry, Gazetteer, name_key
from ...kb.tables import data_path, read_table
from .words import AREA_MODIFIERS, NOT_PLACES

ADMIN2_IDX = -3  # the ``idx`` of a second-level division's entry (no gazetteer row; ranked by ``prior_admin2``)


# -- knowledge ---------------------------------------------------------------------------
@dataclass
class PlaceKB:
    gaz: Gazetteer
    demonyms: dict[str, GazEntry] = field(default_factory=dict)       # canon adjective -> place
    abbreviations: dict[str, tuple[GazEntry, bool]] = field(default_factory=dict)  # surface -> (admin1, standalone)
    capitals: set[tuple[str, str]] = field(default_factory=set)       # (iso3, name key)
    people: set[str] = field(default_factory=set)                     # name keys of known people
    country_entry: dict[str, GazEntry] = field(default_factory=dict)  # iso3 -> country row
    # (iso3, admin1 display name) -> (GeoNames admin1 code "US.TX", display name), from admin1.tsv
    admin1_codes: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # name key of a county's full name ("orange county") -> the counties so named, from admin2.tsv;
    # each a feature "other" entry (no GeoNames id) at the middle of the county's towns
    counties: dict[str, list[GazEntry]] = field(default_factory=dict)
    # name key of a second-level division outside the US by its bare name ("suffolk", "pangasinan"),
    # only units not named like one of their own places; entries carry ADMIN2_IDX
    divisions2: dict[str, list[GazEntry]] = field(default_factory=dict)
    # (iso3, admin1 display name) -> the summed population of its GeoNames places (admin1.tsv), a
    # prominence measure: a parish of 22,000 people is no rival for a city of 650,000
    admin1_pop: dict[tuple[str, str], int] = field(default_factory=dict)

    def admin1_of(self, e: GazEntry) -> tuple[str, str] | None:
        """The GeoNames code and name of the first-level division ``e`` lies in (or is)."""
        key = e.admin1_key
        return self.admin1_codes.get(key) if key else None


def _find_entry(gaz: Gazetteer, name: str, country: str, feature: str) -> GazEntry | None:
    for e in gaz.candidates(name):
        if e.feature == feature and (not country or e.country == country):
            return e
    return None


def build_place_kb(gaz: Gazetteer) -> PlaceKB:
    kb = PlaceKB(gaz)
    akb = get_actor_kb()  # a table that fails to load raises KnowledgeBaseError naming it
    for iso3, c in akb.countries.items():
        e = _find_entry(gaz, c.name, iso3, "country")
        if e is None:
            continue
        kb.country_entry[iso3] = e
        if c.capital:
            kb.capitals.add((iso3, name_key(c.capital)))
    for key, entries in akb.phrases.items():
        for ent in entries:
            if ent.kind == "adjective" and ent.ref in kb.country_entry:
                kb.demonyms.setdefault(key, kb.country_entry[ent.ref])
                break
    for person in akb.people.values():
        kb.people.add(name_key(person.name))
    path = data_path("gazetteer", "demonyms.tsv")
    if path.exists():
        for _, r in read_table(path):
            e = _find_entry(gaz, r["place"], r.get("country", ""), r.get("feature", "") or "region")
            if e is not None:
                kb.demonyms.setdefault(canon(r["adjective"]), e)
    path = data_path("gazetteer", "admin1.tsv")
    if path.exists():
        for _, r in read_table(path):
            kb.admin1_codes.setdefault((r["country"], r["name"]), (r["geonames_code"], r["name"]))
            if r.get("places_population"):
                kb.admin1_pop.setdefault((r["country"], r["name"]), int(r["places_population"]))
    path = data_path("gazetteer", "admin2.tsv")
    if path.exists():
        for _, r in read_table(path):
            if r["kind"] == "admin2":  # outside the US: named bare ("Suffolk"), as news writes them
                if name_key(r["base_name"]) in NOT_PLACES or name_key(r["base_name"]) in AREA_MODIFIERS:
                    continue  # "Eastern", "Central": a word before it is a name
                unit = GazEntry(None, r["base_name"], r["country"], r["admin1"], "other",
                                int(r["places_population"] or 0), float(r["lat"]), float(r["lon"]), ADMIN2_IDX)
                kb.divisions2.setdefault(name_key(r["base_name"]), []).append(unit)
                continue
            county = GazEntry(None, r["name"], r["country"], r["admin1"], "other", int(r["places_population"] or 0),
                              float(r["lat"]), float(r["lon"]), -2)
            kb.counties.setdefault(name_key(r["name"]), []).append(county)
            for short, full in (("St. ", "Saint "), ("Ste. ", "Sainte ")):  # "Saint Croix County" = "St. Croix"
                if r["name"].startswith(short):
                    kb.counties.setdefault(name_key(full + r["name"][len(short):]), []).append(county)
    path = data_path("gazetteer", "abbreviations.tsv")
    if path.exists():
        for _, r in read_table(path):
            e = gaz.admin1_entry(r["country"], r["place"]) or _find_entry(gaz, r["place"], r["country"], "admin1")
            if e is not None:
                kb.abbreviations[r["abbreviation"]] = (e, r.get("standalone", "0") == "1")
    return kb
