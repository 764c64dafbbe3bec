"""The actor knowledge base: countries, metonyms, organisations, role nouns and people.

Everything here is loaded from the versioned tables in ``kb/data`` (formats in
``kb/data/README.md``) plus any user overlay files, into one phrase index that the
actor stage matches against token sequences. Lookups are time-aware: a person's
or an organisation's code depends on the article date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KnowledgeBaseError
from ._text import canon, split_multi
from .tables import Table, check_date, data_path, date_end, date_start, read_table

SECTORS = {
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "PTY", "MED", "BUS", "EDU", "CVL", "LAB",
    "REF", "HLH", "REL", "SPY", "IGO", "NGO", "AGR", "CRM", "PRM", "UAF", "ELI", "JRN", "HRI",
    "ENV", "DEV", "MNC", "IMG", "SOC", "UNK", "JNK", "BUD", "CHR", "MOS", "SEP", "INS", "RAD",
}

PEOPLE_COLUMNS = ("person_id", "name", "aliases", "gender", "country", "sector", "role",
                  "start", "end", "source")
ORG_COLUMNS = ("org_id", "name", "aliases", "kind", "country", "sector", "start", "end", "source")
AGENT_COLUMNS = ("phrase", "sector", "role")
COUNTRY_COLUMNS = ("iso3", "name", "aliases", "adjectives", "capital")
METONYM_COLUMNS = ("phrase", "country", "sector")


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    capital: str
    lat: float | None
    lon: float | None
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class Tenure:
    country: str
    sector: str
    role: str
    start: str
    end: str
    source: str

    def active(self, day: str) -> bool:
        return date_start(self.start) <= day <= date_end(self.end)


@dataclass
class Person:
    id: str
    name: str
    gender: str = ""
    tenures: list[Tenure] = field(default_factory=list)
    curated: bool = True  # from the hand-built tables, not converted from Phoenix

    def status_on(self, day: str | None) -> tuple[Tenure | None, str]:
        """The tenure that decides the code on ``day`` and how it applies.

        Returns ``(tenure, "current"|"former"|"future"|"undated")``. Without a
        date the most recent tenure is used, as news is usually about the present.
        """
        if not self.tenures:
            return None, "undated"
        ordered = sorted(self.tenures, key=lambda t: (date_start(t.start), date_end(t.end)))
        if day is None:
            current = [t for t in ordered if not t.end]
            return (current[-1] if current else ordered[-1]), "undated"
        active = [t for t in ordered if t.active(day)]
        if active:
            # Prefer the most senior office when several overlap (a president who is
            # also party chairman is coded GOV).
            return max(active, key=lambda t: (_ROLE_RANK.get(t.role, 0), t.sector == "GOV",
                                              date_start(t.start))), "current"
        past = [t for t in ordered if date_end(t.end) < day]
        if past:
            return past[-1], "former"
        return ordered[0], "future"


_ROLE_RANK = {
    "President": 9, "Monarch": 9, "Supreme Leader": 10, "General Secretary": 9, "Chairman": 8,
    "Prime Minister": 8, "Chancellor": 8, "Head of State": 8, "Head of Government": 8,
    "Vice President": 6, "Deputy Prime Minister": 5, "Foreign Minister": 5, "Defence Minister": 5,
    "Secretary-General": 7,
}


@dataclass(frozen=True)
class OrgCode:
    org_id: str
    name: str
    kind: str
    country: str
    sector: str
    start: str
    end: str

    def active(self, day: str) -> bool:
        return date_start(self.start) <= day <= date_end(self.end)


@dataclass(frozen=True)
class Agent:
    phrase: str
    sector: str
    role: str


@dataclass(frozen=True)
class Entry:
    """What a phrase in the index stands for."""

    kind: str  # country | adjective | metonym | org | person | agent
    ref: str   # iso3, org_id, person_id or agent phrase
    sector: str = ""  # metonyms: the sector they stand for


# Priority when one phrase names several things: a person beats an organisation
# beats a country name beats a capital used as metonym beats a demonym beats a role noun.
KIND_PRIORITY = {"person": 6, "org": 5, "country": 4, "metonym": 3, "adjective": 2, "agent": 1}


class ActorKB:
    """All actor knowledge, indexed by ``canon`` phrase keys."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.people: dict[str, Person] = {}
        self.orgs: dict[str, list[OrgCode]] = defaultdict(list)
        self.agents: dict[str, Agent] = {}
        self.phrases: dict[str, list[Entry]] = defaultdict(list)
        self.max_words: dict[str, int] = defaultdict(int)  # first word -> longest phrase (words)
        self.surnames: dict[str, set[str]] = defaultdict(set)
        self.versions: dict[str, str] = {}

    # -- building -----------------------------------------------------------------
    def _add_phrase(self, phrase: str, entry: Entry) -> None:
        key = canon(phrase)
        if not key:
            return
        entries = self.phrases[key]
        if entry not in entries:
            entries.append(entry)
        words = key.split(" ")
        if len(words) > self.max_words[words[0]]:
            self.max_words[words[0]] = len(words)

    def add_table(self, table: Table, name: str | None = None) -> None:
        header = set(table.header)
        if {"person_id", "name", "country", "sector"} <= header:
            self._load_people(table)
        elif {"org_id", "name", "country", "sector"} <= header:
            self._load_orgs(table)
        elif {"iso3", "name", "adjectives"} <= header:
            self._load_countries(table)
        elif {"phrase", "country", "sector"} <= header:
            self._load_metonyms(table)
        elif {"phrase", "sector"} <= header:
            self._load_agents(table)
        else:
            raise KnowledgeBaseError(
                f"cannot tell which table this is (columns: {', '.join(table.header)})", table.path,
                "use the header of the people, organizations, agents, countries or metonyms table "
                "(see docs/KB.md)")
        self.versions[name or Path(table.path).name] = table.version

    def _load_countries(self, table: Table) -> None:
        for lineno, row in table:
            iso3 = row["iso3"].upper()
            where = f"{table.path}:{lineno}"
            if len(iso3) != 3:
                raise KnowledgeBaseError(f"iso3 {iso3!r} is not a 3-letter code", where, "use ISO 3166-1 alpha-3")
            lat, lon = _float(row.get("lat", "")), _float(row.get("lon", ""))
            self.countries[iso3] = Country(iso3, row["name"], row.get("capital", ""), lat, lon,
                                           check_date(row.get("start", ""), where),
                                           check_date(row.get("end", ""), where))
            for phrase in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add_phrase(phrase, Entry("country", iso3))
            for phrase in split_multi(row.get("adjectives", "")):
                self._add_phrase(phrase, Entry("adjective", iso3))

    def _load_metonyms(self, table: Table) -> None:
        for lineno, row in table:
            sector = row.get("sector", "")
            _check_sector(sector, f"{table.path}:{lineno}")
            self._add_phrase(row["phrase"], Entry("metonym", row["country"].upper(), sector))

    def _load_orgs(self, table: Table) -> None:
        for lineno, row in table:
            where = f"{table.path}:{lineno}"
            _check_sector(row.get("sector", ""), where)
            code = OrgCode(row["org_id"], row["name"], row.get("kind", ""), row.get("country", "").upper(),
                           row.get("sector", ""), check_date(row.get("start", ""), where),
                           check_date(row.get("end", ""), where))
            if code not in self.orgs[code.org_id]:
                self.orgs[code.org_id].append(code)
            for phrase in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add_phrase(phrase, Entry("org", code.org_id))

    def _load_agents(self, table: Table) -> None:
        for lineno, row in table:
            _check_sector(row["sector"], f"{table.path}:{lineno}")
            key = canon(row["phrase"])
            if key and key not in self.agents:
                self.agents[key] = Agent(key, row["sector"], row.get("role", ""))
                self._add_phrase(key, Entry("agent", key))

    def _load_people(self, table: Table) -> None:
        curated = "phoenix" not in Path(table.path).name
        for lineno, row in table:
            where = f"{table.path}:{lineno}"
            pid = row["person_id"]
            if not pid or not row["name"]:
                raise KnowledgeBaseError("person_id and name are required", where, "fill both columns")
            _check_sector(row.get("sector", ""), where)
            person = self.people.get(pid)
            if person is None:
                person = self.people[pid] = Person(pid, row["name"], row.get("gender", ""), curated=curated)
            if row.get("gender") and not person.gender:
                person.gender = row["gender"]
            if row.get("country"):
                person.tenures.append(Tenure(row["country"].upper(), row.get("sector", ""), row.get("role", ""),
                                             check_date(row.get("start", ""), where),
                                             check_date(row.get("end", ""), where), row.get("source", "")))
            for phrase in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add_phrase(phrase, Entry("person", pid))
                words = canon(phrase).split(" ")
                if len(words) >= 2 and curated:
                    self.surnames[words[-1]].add(pid)

    # -- lookups ------------------------------------------------------------------
    def lookup(self, phrase: str) -> list[Entry]:
        return sorted(self.phrases.get(canon(phrase), []), key=lambda e: -KIND_PRIORITY[e.kind])

    def org_code(self, org_id: str, day: str | None) -> OrgCode | None:
        codes = self.orgs.get(org_id)
        if not codes:
            return None
        if day is not None:
            active = [c for c in codes if c.active(day)]
            if active:
                return active[-1]
        current = [c for c in codes if not c.end]
        return current[-1] if current else codes[-1]

    def surname_candidates(self, surname: str, day: str | None) -> list[Person]:
        """Curated people with this surname who hold office on ``day`` (or ever, undated)."""
        out = []
        for pid in self.surnames.get(canon(surname), ()):
            person = self.people[pid]
            tenure, status = person.status_on(day)
            if tenure is not None and status in ("current", "undated"):
                out.append(person)
        return out


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _check_sector(sector: str, where: str) -> None:
    if sector and sector not in SECTORS:
        raise KnowledgeBaseError(f"unknown sector code {sector!r}", where,
                                 f"use one of {', '.join(sorted(SECTORS))}")


SHIPPED_TABLES = ("countries.tsv", "metonyms.tsv", "organizations.tsv", "agents.tsv")


def load_actor_kb(overlays: tuple[str, ...] = ()) -> ActorKB:
    """The shipped actor tables, then the user's overlays (which win on conflicts)."""
    kb = ActorKB()
    for name in SHIPPED_TABLES:
        path = data_path(name)
        if path.exists():
            kb.add_table(read_table(path), name)
    people_dir = data_path("people")
    if people_dir.exists():
        # Curated tables first so their names, genders and ids win over Phoenix's.
        files = sorted(people_dir.glob("*.tsv"), key=lambda p: (p.name.startswith("phoenix"), p.name))
        for path in files:
            kb.add_table(read_table(path), f"people/{path.name}")
    for overlay in overlays:
        _apply_overlay(kb, overlay)
    return kb


def _apply_overlay(kb: ActorKB, path: str) -> None:
    if not Path(path).exists():
        raise KnowledgeBaseError("overlay file not found", path, "check the --kb path")
    table = read_table(path)
    # Overlay rows take precedence: put their phrases first in each index list.
    before = {k: list(v) for k, v in kb.phrases.items()}
    kb.add_table(table, f"overlay:{Path(path).name}")
    for key, entries in kb.phrases.items():
        old = before.get(key, [])
        new = [e for e in entries if e not in old]
        if new:
            kb.phrases[key] = new + old
