"""Validate the knowledge-base tables in src/communique/kb/data/.

Checks: version line, header, column counts, code formats (3 upper-case
letters, known country and sector codes), dates, kinds, unique keys, no
phrase in agents.tsv with two different codes, no country alias or
adjective claimed by two countries.  Exit status 1 on any error.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict

import kbcommon as kb

CODE = re.compile(r"^[A-Z]{3}$")
ERRORS: list[str] = []


def err(msg: str) -> None:
    ERRORS.append(msg)


def load(path: str, header: list[str]) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    if not lines[0].startswith(f"# version: {kb.VERSION}"):
        err(f"{path}: first line must be '# version: {kb.VERSION}'")
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    if lines[i].split("\t") != header:
        err(f"{path}: header {lines[i]!r} != {header}")
    rows = []
    for n, ln in enumerate(lines[i + 1:], i + 2):
        if not ln:
            continue
        if ln.startswith("#"):
            err(f"{path}:{n}: comment after header")
            continue
        cells = ln.split("\t")
        if len(cells) != len(header):
            err(f"{path}:{n}: {len(cells)} columns, expected {len(header)}")
            continue
        if any(c != c.strip() for c in cells):
            err(f"{path}:{n}: cell with surrounding whitespace")
        if any("||" in c or c.startswith("|") or c.endswith("|") for c in cells):
            err(f"{path}:{n}: empty value in a |-separated cell")
        r = dict(zip(header, cells, strict=False))
        r["_line"] = n
        rows.append(r)
    return rows


def check_dates(path: str, r: dict) -> None:
    for k in ("start", "end"):
        if not kb.valid_date(r.get(k, "")):
            err(f"{path}:{r['_line']}: bad {k} date {r[k]!r}")
    if r.get("start") and r.get("end") and r["start"] > r["end"]:
        err(f"{path}:{r['_line']}: start {r['start']} after end {r['end']}")


def check_sector(path: str, r: dict, allow_empty: bool) -> None:
    s = r["sector"]
    if not s and allow_empty:
        return
    if not CODE.match(s) or s not in kb.SECTORS:
        err(f"{path}:{r['_line']}: bad sector {s!r}")


def check_country(path: str, r: dict, field: str = "country") -> None:
    c = r[field]
    if not CODE.match(c) or c not in kb.ALL_COUNTRY_CODES:
        err(f"{path}:{r['_line']}: bad country {c!r}")


def main() -> int:
    d = kb.DATA
    # countries
    path = os.path.join(d, "countries.tsv")
    countries = load(path, ["iso3", "iso2", "cameo", "name", "aliases", "adjectives", "capital",
                            "lat", "lon", "start", "end", "source"])
    iso3s = [r["iso3"] for r in countries]
    if len(set(iso3s)) != len(iso3s):
        err(f"{path}: duplicate iso3")
    missing = set(kb.ISO) - set(iso3s)
    if missing:
        err(f"{path}: missing ISO codes {sorted(missing)}")
    owner: dict[str, str] = {}
    for r in countries:
        if not CODE.match(r["iso3"]):
            err(f"{path}:{r['_line']}: bad iso3")
        if not re.fullmatch(r"[A-Z]{2}", r["iso2"]):
            err(f"{path}:{r['_line']}: bad iso2 {r['iso2']!r}")
        if not re.fullmatch(r"([A-Z]{3})+", r["cameo"]):
            err(f"{path}:{r['_line']}: bad cameo {r['cameo']!r}")
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except ValueError:
            err(f"{path}:{r['_line']}: bad lat/lon")
        if not r["source"]:
            err(f"{path}:{r['_line']}: empty source")
        check_dates(path, r)
        for v in [r["name"]] + r["aliases"].split("|") + r["adjectives"].split("|"):
            if not v:
                continue
            k = kb.fold(v)
            if k in owner and owner[k] != r["iso3"]:
                err(f"{path}:{r['_line']}: {v!r} also names {owner[k]}")
            owner.setdefault(k, r["iso3"])

    # metonyms
    path = os.path.join(d, "metonyms.tsv")
    seen = {}
    for r in load(path, ["phrase", "country", "sector", "kind", "note", "source"]):
        check_country(path, r)
        check_sector(path, r, allow_empty=r["country"] in ("UNO", "EUR", "IGO"))
        if r["kind"] not in ("capital", "seat"):
            err(f"{path}:{r['_line']}: bad kind {r['kind']!r}")
        k = kb.fold(r["phrase"])
        if k in seen and seen[k] != (r["country"], r["sector"]):
            err(f"{path}:{r['_line']}: phrase {r['phrase']!r} with two codes")
        seen[k] = (r["country"], r["sector"])
        if not r["source"]:
            err(f"{path}:{r['_line']}: empty source")

    # organizations
    path = os.path.join(d, "organizations.tsv")
    orgs = load(path, ["org_id", "name", "aliases", "kind", "country", "sector", "start", "end", "source"])
    by_id = defaultdict(list)
    for r in orgs:
        if not re.fullmatch(r"[a-z0-9_]+", r["org_id"]):
            err(f"{path}:{r['_line']}: bad org_id {r['org_id']!r}")
        if r["kind"] not in {"igo", "ngo", "party", "agency", "legislature", "court", "military",
                             "police", "intelligence", "media", "armed_group", "company",
                             "university", "other"}:
            err(f"{path}:{r['_line']}: bad kind {r['kind']!r}")
        check_country(path, r)
        check_sector(path, r, allow_empty=True)
        check_dates(path, r)
        if not r["name"] or not r["source"]:
            err(f"{path}:{r['_line']}: empty name or source")
        by_id[r["org_id"]].append(r)
    for oid, rs in by_id.items():
        if len({r["name"] for r in rs}) > 1:
            err(f"{path}: org_id {oid} has several names")
        spans = sorted((r["start"] or "0000", r["end"] or "9999", r["country"], r["sector"]) for r in rs)
        for a, b in zip(spans, spans[1:], strict=False):
            if a[:2] == b[:2] and a[2:] != b[2:]:
                err(f"{path}: org_id {oid} has two codes for the same period {a[:2]}")

    # agents
    path = os.path.join(d, "agents.tsv")
    phrases = {}
    for r in load(path, ["phrase", "sector", "role", "source"]):
        check_sector(path, r, allow_empty=False)
        if r["phrase"] != r["phrase"].lower():
            err(f"{path}:{r['_line']}: phrase not lower-case")
        if r["phrase"] in phrases and phrases[r["phrase"]] != r["sector"]:
            err(f"{path}:{r['_line']}: phrase {r['phrase']!r} with conflicting codes")
        elif r["phrase"] in phrases:
            err(f"{path}:{r['_line']}: duplicate phrase {r['phrase']!r}")
        phrases[r["phrase"]] = r["sector"]
        if r["source"] not in ("communique", "phoenix:Phoenix.agents.txt"):
            err(f"{path}:{r['_line']}: bad source {r['source']!r}")

    # people
    path = os.path.join(d, "people", "phoenix.tsv")
    names = {}
    for r in load(path, ["person_id", "name", "aliases", "gender", "country", "sector", "role",
                         "start", "end", "source"]):
        if not re.fullmatch(r"[a-z0-9_]+_phx", r["person_id"]):
            err(f"{path}:{r['_line']}: bad person_id {r['person_id']!r}")
        if names.setdefault(r["person_id"], r["name"]) != r["name"]:
            err(f"{path}:{r['_line']}: person_id {r['person_id']} with two names")
        check_country(path, r)
        check_sector(path, r, allow_empty=False)
        check_dates(path, r)
        if r["gender"] not in ("", "m", "f"):
            err(f"{path}:{r['_line']}: bad gender")
        if not r["source"].startswith("phoenix:"):
            err(f"{path}:{r['_line']}: bad source")
        for a in r["aliases"].split("|"):
            if a and len(a.split()) < 2:
                err(f"{path}:{r['_line']}: one-word alias {a!r}")

    for e in ERRORS[:200]:
        print("ERROR", e)
    print(f"validate_kb: {len(ERRORS)} error(s)")
    return 1 if ERRORS else 0


if __name__ == "__main__":
    sys.exit(main())
