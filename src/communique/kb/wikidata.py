"""Refreshing the actor tables from Wikidata (``communique kb update``; docs/KB.md, "Refreshing").

The user downloads one of:

* a Wikidata JSON dump (``latest-all.json.gz`` or a filtered part of it): one entity per
  line inside ``[`` ... ``]`` with trailing commas, or line-delimited entities, or a plain
  JSON array (gzip/bz2 compressed or not);
* the JSON result of the SPARQL queries printed in docs/KB.md (``{"head": ..., "results": ...}``).

From people's "position held" (P39) statements with their start (P580) and end (P582)
qualifiers, and organisations' types (P31), this writes overlay tables with the headers of
``people/*.tsv`` and ``organizations.tsv`` and compares them with the knowledge base in use:
every row is reported as ``added``, ``ended`` (the tables had it open, Wikidata gives an
end), ``changed`` (another end, sector or country) or, when nothing differs, counted as
``same``. Which positions and organisation types count, and the code each gets, is data:
``kb/data/wikidata_map.tsv``.

Nothing here touches the network: the files are read as downloaded.
"""

from __future__ import annotations

import bz2
import datetime as _dt
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KnowledgeBaseError
from ._text import actor_key as canon
from .actors import ORG_COLUMNS, PEOPLE_COLUMNS, ActorKB, is_acronym
from .tables import data_path, date_end, date_start, read_table

__all__ = ["Change", "UpdateResult", "load_map", "read_entities", "update_from_files", "write_overlays"]

_GENDERS = {"Q6581097": "m", "Q6581072": "f", "Q2449503": "m", "Q1052281": "f"}  # male, female, trans m/f
_HUMAN = "Q5"
_QID = re.compile(r"(Q\d+)$")


@dataclass(frozen=True)
class MapRow:
    match: str
    kind: str
    sector: str
    role: str
    country: str
    pattern: re.Pattern | None


def load_map(extra: Iterable[str | Path] = ()) -> list[MapRow]:
    """``wikidata_map.tsv`` (and the user's rows with its header, checked first)."""
    rows: list[MapRow] = []
    for path in [*extra, data_path("wikidata_map.tsv")]:
        table = read_table(path, ("match", "kind", "sector", "role", "country"))
        for lineno, r in table:
            where = f"{table.path}:{lineno}"
            if r["kind"] not in ("position", "org", "jurisdiction"):
                raise KnowledgeBaseError(f"kind {r['kind']!r} is not position, org or jurisdiction", where,
                                         "use one of position, org, jurisdiction")
            pattern = None
            if r["match"].startswith("re:"):
                try:
                    pattern = re.compile(r["match"][3:], re.IGNORECASE)
                except re.error as err:
                    raise KnowledgeBaseError(f"bad regular expression ({err})", where, "fix the pattern") from err
            elif not re.fullmatch(r"Q\d+", r["match"]):
                raise KnowledgeBaseError(f"match {r['match']!r} is neither a Q-id nor re:PATTERN", where,
                                         "write Q12345 or re:^president of")
            rows.append(MapRow(r["match"], r["kind"], r["sector"], r["role"], r["country"].upper(), pattern))
    return rows


# -- reading ----------------------------------------------------------------------------
def _open_text(path: Path):
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rt", encoding="utf-8")
        if path.suffix == ".bz2":
            return bz2.open(path, "rt", encoding="utf-8")
        return open(path, encoding="utf-8")
    except OSError as err:
        raise KnowledgeBaseError(f"cannot open ({err.strerror})", str(path), "check the path") from err


def read_entities(path: str | Path) -> Iterator[dict]:
    """The JSON objects of a dump (array with one entity per line, line-delimited, or one
    JSON document), or the single document of a SPARQL result."""
    path = Path(path)
    with _open_text(path) as fh:
        first = ""
        for line in fh:
            if line.strip():
                first = line.strip()
                break
        if not first:
            return
        if first == "[" or (first.startswith("{") and _whole_object(first)):
            # the dump format: "[", then one entity per line, each but the last ending in ","
            lines: Iterable[str] = ([] if first == "[" else [first])
            for n, line in enumerate(_chain(lines, fh), start=1):
                text = line.strip().rstrip(",")
                if not text or text in ("[", "]"):
                    continue
                try:
                    yield json.loads(text)
                except json.JSONDecodeError as err:
                    raise KnowledgeBaseError(f"line is not a JSON entity ({err.msg})", f"{path}: entity {n}",
                                             "give the dump as downloaded (one entity per line)") from err
            return
        rest = first + fh.read()
    try:
        doc = json.loads(rest)
    except json.JSONDecodeError as err:
        raise KnowledgeBaseError(f"not JSON ({err.msg} at line {err.lineno})", str(path),
                                 "give a Wikidata JSON dump or a SPARQL JSON result") from err
    if isinstance(doc, list):
        yield from (d for d in doc if isinstance(d, dict))
    elif isinstance(doc, dict):
        yield doc


def _whole_object(line: str) -> bool:
    try:
        json.loads(line.rstrip(","))
        return True
    except json.JSONDecodeError:
        return False


def _chain(first: Iterable[str], rest: Iterable[str]) -> Iterator[str]:
    yield from first
    yield from rest


# -- Wikidata values ----------------------------------------------------------------------
def wd_date(value: str, precision: int | None = None) -> str:
    """"+2019-05-20T00:00:00Z" at day (11), month (10) or year (9) precision -> ISO text; "" when
    unusable (BCE, coarser than a year)."""
    m = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m or value.startswith("-"):
        return ""
    y, mo, d = m.groups()
    if precision is None:  # SPARQL without precision: trust only non-default parts
        precision = 11 if d != "01" else 10 if mo != "01" else 9
    if precision >= 11 and mo != "00" and d != "00":
        return f"{y}-{mo}-{d}"
    if precision == 10 and mo != "00":
        return f"{y}-{mo}"
    if precision == 9:
        return y
    return ""


def _label(entity: dict) -> str:
    lab = entity.get("labels", {}).get("en")
    return lab.get("value", "") if isinstance(lab, dict) else ""


def _aliases(entity: dict) -> list[str]:
    return [a.get("value", "") for a in entity.get("aliases", {}).get("en", []) if a.get("value")]


def _claims(entity: dict, prop: str) -> list[dict]:
    return [c for c in entity.get("claims", {}).get(prop, []) if c.get("rank") != "deprecated"]


def _item_value(claim: dict) -> str:
    dv = claim.get("mainsnak", {}).get("datavalue", {})
    v = dv.get("value")
    return v.get("id", "") if isinstance(v, dict) else ""


def _string_value(claim: dict) -> str:
    v = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
    return v if isinstance(v, str) else ""


def _time_value(snak: dict) -> str:
    v = snak.get("datavalue", {}).get("value")
    if not isinstance(v, dict):
        return ""
    return wd_date(v.get("time", ""), v.get("precision"))


def _qualifier_date(claim: dict, prop: str) -> str:
    for q in claim.get("qualifiers", {}).get(prop, []):
        d = _time_value(q)
        if d:
            return d
    return ""


# -- the model both input forms are reduced to ----------------------------------------
@dataclass
class Item:
    qid: str
    label: str = ""
    aliases: list[str] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)       # P31 and P279 values
    instance_of: set[str] = field(default_factory=set)   # P31 values
    iso3: str = ""                                       # P298
    jurisdiction: str = ""                               # P1001, else P17
    gender: str = ""
    human: bool = False
    positions: list[tuple[str, str, str]] = field(default_factory=list)  # (position qid, start, end)
    inception: str = ""
    dissolved: str = ""


def items_from_entities(entities: Iterable[dict]) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for e in entities:
        qid = e.get("id", "")
        if not re.fullmatch(r"Q\d+", qid or ""):
            continue
        it = Item(qid, _label(e), _aliases(e))
        for prop in ("P31", "P279"):
            it.classes |= {v for v in (_item_value(c) for c in _claims(e, prop)) if v}
        it.instance_of = {v for v in (_item_value(c) for c in _claims(e, "P31")) if v}
        it.human = _HUMAN in it.instance_of
        iso = [_string_value(c) for c in _claims(e, "P298")]
        it.iso3 = next((v.upper() for v in iso if len(v) == 3), "")
        jur = [_item_value(c) for c in _claims(e, "P1001")] or [_item_value(c) for c in _claims(e, "P17")]
        it.jurisdiction = next((j for j in jur if j), "")
        it.gender = next((_GENDERS[v] for v in (_item_value(c) for c in _claims(e, "P21")) if v in _GENDERS), "")
        for c in _claims(e, "P39"):
            pos = _item_value(c)
            if pos:
                it.positions.append((pos, _qualifier_date(c, "P580"), _qualifier_date(c, "P582")))
        it.inception = next((d for d in (_time_value(c.get("mainsnak", {})) for c in _claims(e, "P571")) if d), "")
        it.dissolved = next((d for d in (_time_value(c.get("mainsnak", {})) for c in _claims(e, "P576")) if d), "")
        items[qid] = it
    return items


def _qid(binding: dict, var: str) -> str:
    v = binding.get(var, {}).get("value", "")
    m = _QID.search(v)
    return m.group(1) if m else ""


def _val(binding: dict, var: str) -> str:
    return binding.get(var, {}).get("value", "")


def items_from_sparql(doc: dict) -> dict[str, Item]:
    """Rows of the documented queries: people (?person ?position ...) or organisations (?org ?type ...)."""
    items: dict[str, Item] = {}

    def item(qid: str) -> Item:
        if qid not in items:
            items[qid] = Item(qid)
        return items[qid]

    for b in doc.get("results", {}).get("bindings", []):
        if "person" in b:
            pid, pos = _qid(b, "person"), _qid(b, "position")
            if not pid or not pos:
                continue
            p = item(pid)
            p.human = True
            p.label = p.label or _val(b, "personLabel")
            for a in _val(b, "personAltLabel").split(", "):
                if a and a not in p.aliases:
                    p.aliases.append(a)
            p.gender = p.gender or _GENDERS.get(_qid(b, "gender"), "")
            start = wd_date(_val(b, "start"), int(_val(b, "startPrecision") or 0) or None)
            end = wd_date(_val(b, "end"), int(_val(b, "endPrecision") or 0) or None)
            if (pos, start, end) not in p.positions:
                p.positions.append((pos, start, end))
            po = item(pos)
            po.label = po.label or _val(b, "positionLabel")
            if _qid(b, "class"):
                po.classes.add(_qid(b, "class"))
            _jurisdiction(item, po, b)
        elif "org" in b:
            o = item(_qid(b, "org"))
            if not o.qid:
                continue
            o.label = o.label or _val(b, "orgLabel")
            for a in _val(b, "orgAltLabel").split(", "):
                if a and a not in o.aliases:
                    o.aliases.append(a)
            t = _qid(b, "type")
            if t:
                o.classes.add(t)
                o.instance_of.add(t)
                item(t).label = item(t).label or _val(b, "typeLabel")
            _jurisdiction(item, o, b)
            o.inception = o.inception or wd_date(_val(b, "inception"))
            o.dissolved = o.dissolved or wd_date(_val(b, "dissolved"))
    return items


def _jurisdiction(item, it: Item, b: dict) -> None:
    j = _qid(b, "jurisdiction") or _qid(b, "country")
    if j:
        it.jurisdiction = it.jurisdiction or j
        if _val(b, "iso3"):
            item(j).iso3 = _val(b, "iso3").upper()


# -- mapping ---------------------------------------------------------------------------------
def _ancestors(items: dict[str, Item], qid: str, depth: int = 4) -> list[str]:
    out, frontier, seen = [qid], [qid], {qid}
    for _ in range(depth):
        nxt = []
        for q in frontier:
            for c in items.get(q, Item(q)).classes:
                if c not in seen:
                    seen.add(c)
                    out.append(c)
                    nxt.append(c)
        frontier = nxt
    return out


def classify(items: dict[str, Item], qid: str, kind: str, mapping: list[MapRow]) -> MapRow | None:
    """The first mapping row of ``kind`` that the item, its classes or their labels match. An
    organisation is classified by what it is an instance of (not by its own label, so that
    the class item "political party" is not taken for a party)."""
    if kind == "org":
        chain: list[str] = []
        for t in sorted(items.get(qid, Item(qid)).instance_of):
            chain += [q for q in _ancestors(items, t) if q not in chain]
    else:
        chain = _ancestors(items, qid)
    labels = [items[q].label for q in chain if q in items and items[q].label]
    for row in mapping:
        if row.kind != kind:
            continue
        if row.pattern is not None:
            if any(row.pattern.search(lab) for lab in labels):
                return row
        elif row.match in chain:
            return row
    return None


def country_code(items: dict[str, Item], qid: str, mapping: list[MapRow]) -> str:
    """ISO alpha-3 of a jurisdiction item, or the code a ``jurisdiction`` mapping row gives it."""
    if not qid:
        return ""
    for row in mapping:
        if row.kind == "jurisdiction" and row.match == qid:
            return row.country
    it = items.get(qid)
    return it.iso3 if it is not None else ""


# -- comparing with the knowledge base ---------------------------------------------------
@dataclass(frozen=True)
class Change:
    change: str            # added | ended | changed | same
    table: str             # people | organizations
    id: str
    name: str
    country: str
    sector: str
    role: str
    start: str
    end: str
    was: str = ""          # the row it replaces: "COUNTRY SECTOR start..end (table:line)"
    source: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("change", "table", "id", "name", "country", "sector", "role",
                                              "start", "end", "was", "source")}


@dataclass
class UpdateResult:
    people: list[dict[str, str]]
    organizations: list[dict[str, str]]
    changes: list[Change]
    read: str
    skipped: dict[str, int]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.change] = out.get(c.change, 0) + 1
        return out


def _slug(text: str) -> str:
    return canon(text).replace(" ", "_") or "x"


def _near(a: str, b: str, days: int = 45) -> bool:
    """Two starts that are the same date written at different precision or a few weeks apart
    (sources differ on inauguration vs election day)."""
    if not a or not b:
        return a == b
    try:
        da = _dt.date.fromisoformat(date_start(a))
        db = _dt.date.fromisoformat(date_start(b))
    except ValueError:
        return False
    if len(a) < 10 or len(b) < 10:  # a partial date: the same month or year
        n = min(len(a), len(b))
        return a[:n] == b[:n]
    return abs((da - db).days) <= days


def _kb_person(kb: ActorKB, names: list[str]) -> str | None:
    """The knowledge base's person with this name (a curated person, else a unique converted one)."""
    for name in names:
        pids = {e.ref for e in kb.phrases.get(canon(name), ()) if e.kind == "person" and e.ref in kb.people}
        curated = {p for p in pids if kb.people[p].curated}
        pool = curated or pids
        if len(pool) == 1:
            return pool.pop()
    return None


def _kb_org(kb: ActorKB, names: list[str]) -> str | None:
    """The knowledge base's organisation with this name (``names[0]``, Wikidata's label) or alias.
    Acronym aliases are not used to match: "ELF" is several organisations."""
    for i, name in enumerate(names):
        if i > 0 and (is_acronym(name) or len(canon(name)) < 5):
            continue
        oids = {e.ref for e in kb.phrases.get(canon(name), ()) if e.kind == "org" and e.ref in kb.orgs}
        if len(oids) == 1:
            return oids.pop()
    return None


def update_from_files(paths: Iterable[str | Path], kb: ActorKB, *, since: str = "1990",
                      read: str | None = None, mapping: list[MapRow] | None = None) -> UpdateResult:
    """Overlay rows from the downloaded files and what they change in ``kb``.

    ``since``: tenures that ended before this date are left out (the shipped tables hold
    history). ``read``: the day the files were downloaded (default: the newest ``modified``
    timestamp in a dump, else the files' modification day).
    """
    mapping = mapping if mapping is not None else load_map()
    items, newest, mtimes = _read_items(paths)
    read = read or newest or (max(mtimes) if mtimes else "")
    skipped: dict[str, int] = {}

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    since_day = date_start(since)
    people_rows, changes = _people_rows(items, kb, mapping, since, since_day, skip)
    org_rows, org_changes = _org_rows(items, kb, mapping, since, since_day, skip)
    return UpdateResult(people_rows, org_rows, changes + org_changes, read, skipped)


def _read_items(paths: Iterable[str | Path]) -> tuple[dict[str, Item], str, list[str]]:
    """The items of every file (dump entities or SPARQL results, merged by QID), the newest
    ``modified`` day of a dump and the files' modification days."""
    items: dict[str, Item] = {}
    newest = ""
    mtimes = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise KnowledgeBaseError("file not found", str(path), "give the path of the downloaded dump or result")
        mtimes.append(_dt.date.fromtimestamp(path.stat().st_mtime).isoformat())
        entities = []
        for obj in read_entities(path):
            if "results" in obj and "head" in obj:
                for qid, it in items_from_sparql(obj).items():
                    _merge_item(items, qid, it)
            else:
                entities.append(obj)
                newest = max(newest, str(obj.get("modified", ""))[:10])
        for qid, it in items_from_entities(entities).items():
            _merge_item(items, qid, it)
    return items, newest, mtimes


def _change_kind(old_end: str, end: str, same: bool) -> str:
    if same:
        return "same"
    return "ended" if not old_end and end else "changed"


def _people_rows(items: dict[str, Item], kb: ActorKB, mapping: list[MapRow], since: str, since_day,
                 skip) -> tuple[list[dict[str, str]], list[Change]]:
    """One overlay row per mapped position held by a person, and what each changes."""
    people_rows: list[dict[str, str]] = []
    changes: list[Change] = []
    for it in sorted(items.values(), key=lambda i: int(i.qid[1:])):
        if not it.positions or not it.human:
            continue
        if not it.label:
            skip("person without an English label")
            continue
        pid = _kb_person(kb, [it.label, *it.aliases]) or f"{_slug(it.label)}_{it.qid.lower()}"
        first = True
        for pos, start, end in sorted(it.positions, key=lambda p: date_start(p[1])):
            row = classify(items, pos, "position", mapping)
            if row is None:
                skip("position not in wikidata_map.tsv")
                continue
            if end and date_end(end) < since_day:
                skip(f"ended before {since}")
                continue
            posi = items.get(pos, Item(pos))
            country = country_code(items, posi.jurisdiction, mapping)
            if not country:
                skip("position without a country (P1001/P17 with P298)")
                continue
            sector = row.sector
            # the shipped tenure this row continues, if any: same person, country and role, start near
            old = None
            person = kb.people.get(pid)
            if person is not None:
                old = next((t for t in person.tenures
                            if t.country == country and t.role == row.role and _near(t.start, start)), None)
            if old is not None and old.start:
                start = old.start  # so that the overlay row replaces the shipped one
            out = {"person_id": pid, "name": it.label, "aliases": "|".join(a for a in it.aliases if "|" not in a)
                   if first else "", "gender": it.gender, "country": country, "sector": sector, "role": row.role,
                   "start": start, "end": end, "source": f"https://www.wikidata.org/wiki/{it.qid}"}
            first = False
            people_rows.append(out)
            if old is None:
                kind, was = "added", ""
            else:
                was = _was(old.country, old.sector, old.start, old.end, old.origin)
                kind = _change_kind(old.end, end, (old.end, old.sector) == (end, sector))
            changes.append(Change(kind, "people", pid, it.label, country, sector, row.role, start, end, was,
                                  out["source"]))
    return people_rows, changes


def _org_rows(items: dict[str, Item], kb: ActorKB, mapping: list[MapRow], since: str, since_day,
              skip) -> tuple[list[dict[str, str]], list[Change]]:
    """One overlay row per organisation of a mapped type, and what each changes."""
    org_rows: list[dict[str, str]] = []
    changes: list[Change] = []
    for it in sorted(items.values(), key=lambda i: int(i.qid[1:])):
        if it.human or it.positions or not it.label or not it.instance_of:
            continue
        row = classify(items, it.qid, "org", mapping)
        if row is None:
            continue  # not an organisation we code
        if it.dissolved and date_end(it.dissolved) < since_day:
            skip(f"ended before {since}")
            continue
        country = country_code(items, it.jurisdiction, mapping)
        if row.sector == "IGO" and not country:
            country = "IGO"
        oid = _kb_org(kb, [it.label, *it.aliases]) or f"{_slug(it.label)}_{it.qid.lower()}"
        start, end = it.inception, it.dissolved
        old_codes = kb.orgs.get(oid, [])
        old = next((c for c in old_codes if _near(c.start, start) or not c.start), None)
        if old is not None:
            start = old.start
        out = {"org_id": oid, "name": it.label, "aliases": "|".join(a for a in it.aliases if "|" not in a),
               "kind": "", "country": country, "sector": row.sector, "start": start, "end": end,
               "source": f"https://www.wikidata.org/wiki/{it.qid}"}
        if old is not None:
            # A type (P31) gives a coarse sector and P17 is often missing: for an organisation the
            # tables know, only its dates are taken from Wikidata ("NATO" stays IGOMIL).
            out.update(kind=old.kind, country=old.country, sector=old.sector, name=old.name)
        org_rows.append(out)
        if old is None:
            kind, was = "added", ""
        else:
            was = _was(old.country, old.sector, old.start, old.end, old.origin)
            kind = _change_kind(old.end, end, old.end == end)
        changes.append(Change(kind, "organizations", oid, out["name"], out["country"], out["sector"], "", start,
                              end, was, out["source"]))
    return org_rows, changes


def _was(country: str, sector: str, start: str, end: str, origin: str) -> str:
    return f"{country}{sector} {start or '?'} to {end or 'open'} ({origin})"


def _merge_item(items: dict[str, Item], qid: str, it: Item) -> None:
    old = items.get(qid)
    if old is None:
        items[qid] = it
        return
    old.label = old.label or it.label
    old.aliases += [a for a in it.aliases if a not in old.aliases]
    old.classes |= it.classes
    old.instance_of |= it.instance_of
    old.iso3 = old.iso3 or it.iso3
    old.jurisdiction = old.jurisdiction or it.jurisdiction
    old.gender = old.gender or it.gender
    old.human = old.human or it.human
    old.positions += [p for p in it.positions if p not in old.positions]
    old.inception = old.inception or it.inception
    old.dissolved = old.dissolved or it.dissolved


def write_overlays(result: UpdateResult, out_dir: str | Path, version: str | None = None) -> list[Path]:
    """``wikidata_people.tsv`` and ``wikidata_organizations.tsv`` in ``out_dir`` (overlays for ``--kb``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    read = result.read or _dt.date.today().isoformat()
    version = version or f"wikidata-{read}"
    written = []
    for name, columns, rows, what in (
            ("wikidata_people.tsv", PEOPLE_COLUMNS, result.people, "positions held (P39) with P580/P582"),
            ("wikidata_organizations.tsv", ORG_COLUMNS, result.organizations, "organisations by type (P31)")):
        path = out_dir / name
        lines = [f"# version: {version}", f"# read: {read}", f"# coverage: {read}", "# status: maintained",
                 f"# Written by `communique kb update` from Wikidata ({what}); a row per tenure or code.",
                 "# Pass with --kb; rerun the update to refresh (docs/KB.md, Refreshing from Wikidata).",
                 "\t".join(columns)]
        for r in rows:
            lines.append("\t".join(r.get(c, "").replace("\t", " ") for c in columns))
        tmp = path.with_suffix(".tsv.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
