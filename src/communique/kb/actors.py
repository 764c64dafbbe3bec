"""The actor knowledge base: countries, metonyms, organisations, role nouns and people.

Everything here is loaded from the versioned tables in ``kb/data`` (columns and
conventions in ``docs/KB.md``) plus any user overlay files, into one phrase index
that the actor stage matches against token sequences. Lookups are time-aware: a
person's or an organisation's code depends on the article date.

Load order: ``countries.tsv``, ``metonyms.tsv``, ``organizations.tsv``,
``agents.tsv``, the curated ``people/*.tsv``, ``people/phoenix.tsv``; then the
shipped corrections (``*_extra.tsv`` and ``people/corrections.tsv``) and finally
the user's overlays. Corrections and overlays have the header of the table they
extend, and their rows win (see ``ActorKB.add_table``).

``actor_discards.tsv`` (and a user overlay with its header ``phrase kind ref``)
removes phrases that must not match. Loading parses ~40,000 rows; the result is
cached as a pickle keyed by the sizes and modification times of the tables
(``cache_dir()``), so a worker starts quickly after the first run.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KnowledgeBaseError
from ._text import actor_key as canon
from ._text import split_multi
from .tables import Table, check_date, data_path, date_end, date_start, read_table

SECTORS = {
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "PTY", "MED", "BUS", "EDU", "CVL", "LAB",
    "REF", "HLH", "REL", "SPY", "IGO", "NGO", "AGR", "CRM", "PRM", "UAF", "ELI", "JRN", "HRI",
    "ENV", "DEV", "MNC", "IMG", "SOC", "UNK", "JNK", "BUD", "CHR", "MOS", "SEP", "INS", "RAD",
    "PRE", "SPO", "TOU", "ETH", "NON",
}

# Codes the tables may use for one of ours: JRN (journalists, media) is CAMEO's MED,
# which is what records carry ("state news agency BELTA" is BLRMED); health is HLH.
SECTOR_ALIASES = {"JRN": "MED"}

PEOPLE_COLUMNS = ("person_id", "name", "aliases", "gender", "country", "sector", "role",
                  "start", "end", "source")
ORG_COLUMNS = ("org_id", "name", "aliases", "kind", "country", "sector", "start", "end", "source")
AGENT_COLUMNS = ("phrase", "sector", "role")
COUNTRY_COLUMNS = ("iso3", "name", "aliases", "adjectives", "capital")
METONYM_COLUMNS = ("phrase", "country", "sector")

# Codes in the country slot that are not countries: organisations' own codes.
NON_STATE = {"UNO", "EUR", "IGO", "NGO", "MNC", "IMG", "AFR", "ASA", "EEU", "WST", "MEA", "SAM",
             "NAM", "CAU", "BLK", "CAS", "SAS", "SEA", "EAF", "WAF", "NAF", "SAF", "CAF", "LAM",
             "CRB", "PGS", "BAL", "NMR", "EUROPE"}


# "Now" for undated texts: after every dated tenure, inside every open one.
PRESENT = "9999-12-30"


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    capital: str
    lat: float | None
    lon: float | None
    start: str = ""
    end: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Tenure:
    country: str
    sector: str
    role: str
    start: str
    end: str
    source: str
    origin: str = ""   # "people/europe.tsv:123"
    # An open end in a frozen table (the Phoenix conversion) only says "in office on the
    # table's coverage date": the tenure is taken to end there (``until``).
    until: str = ""
    read: str = ""     # the day the row's source was read ("# read:" or a ``read`` column)
    maintained: bool = True  # from a table kept up to date (curated tables, overlays)

    @property
    def last_day(self) -> str:
        return date_end(self.end or self.until)

    def active(self, day: str) -> bool:
        return date_start(self.start) <= day <= self.last_day


_ROLE_RANK = {
    "Supreme Leader": 10, "President": 9, "Monarch": 9, "General Secretary": 9, "Chairman": 8,
    "Prime Minister": 8, "Chancellor": 8, "Head of State": 8, "Head of Government": 8,
    "Secretary-General": 7, "Vice President": 6, "Deputy Prime Minister": 5, "Foreign Minister": 5,
    "Defence Minister": 5, "Interior Minister": 4, "Finance Minister": 4, "Minister": 4,
    "Speaker": 4, "Chief of Staff": 4, "Governor": 3, "Intelligence Chief": 3, "Commander": 3,
    "Opposition Leader": 3, "Party Leader": 3, "Rebel Leader": 3, "Judge": 3, "Legislator": 2,
    # "Other" (deputy secretaries, chief ministers, ministers of state ...) ties with a seat in the
    # legislature that the same person usually holds at the time; the GOV office then decides.
    "Other": 2,
}
# Roles that make someone the face of their state ("the Belarusian leader").
LEADER_ROLES = {"Supreme Leader", "President", "Monarch", "General Secretary", "Chairman",
                "Prime Minister", "Chancellor", "Head of State", "Head of Government"}

# Offices after which a person is, by the CAMEO convention, an elder statesman (ELI) for
# life: the maintained tables record every later office such a person takes (a former
# prime minister who becomes foreign minister has that row), so out of office means former.
# Lesser offices are not followed that way: a defence minister who leaves the tables may
# be serving in an office they do not track, so nothing is claimed beyond the country.
# Heads of international organisations are not among them: they often go back to national
# office (a NATO secretary-general became Norway's finance minister).
_FORMER_FOR_LIFE = LEADER_ROLES | {"Vice President"}


def later_life_known(last: Tenure) -> bool:
    """Whether the end of ``last`` (the person's latest tenure before the day) makes them
    "former" (ELI): an explicit ELI row of the source (Phoenix records elder-statesman
    spans up to a death or its coverage date), or a head of state or government in a
    maintained table. A tenure of a frozen table that ran into its coverage date says
    nothing about what came after."""
    if last.until and not last.end:
        return False  # the source stops, not the tenure
    if last.sector == "ELI":
        return True
    return last.maintained and last.role in _FORMER_FOR_LIFE


@dataclass
class Person:
    id: str
    name: str
    gender: str = ""
    tenures: list[Tenure] = field(default_factory=list)
    curated: bool = True  # from the hand-built tables, not converted from Phoenix
    overlay: bool = False
    origin: str = ""

    def status_on(self, day: str | None) -> tuple[Tenure | None, str]:
        """The tenure that decides the code on ``day`` and how it applies.

        Returns ``(tenure, status)`` with status ``"current"`` (an office held on the day),
        ``"former"`` (out of office and the later life is known: see ``later_life_known``),
        ``"unknown"`` (the last known office ended, or its source stops, before the day and
        nothing says what the person did next: code the country only), ``"future"`` or
        ``"undated"`` (no tenures). An undated text is coded as of the knowledge base's
        present (``PRESENT``): an office with no end is current, one that ended is former.
        That depends on the tables' version, never on the day the code runs.
        """
        if not self.tenures:
            return None, "undated"
        ordered = sorted(self.tenures, key=lambda t: (date_start(t.start), t.last_day))
        if day is None:
            day = PRESENT
        active = [t for t in ordered if t.active(day)]
        if active:
            # Prefer the most senior office when several overlap (a president who is
            # also party chairman is coded GOV).
            return max(active, key=lambda t: (_ROLE_RANK.get(t.role, 0), t.sector == "GOV",
                                              date_start(t.start))), "current"
        past = [t for t in ordered if t.last_day < day]
        if past:
            last = max(past, key=lambda t: t.last_day)
            if later_life_known(last):
                return last, "former"
            # A former head of state or government who then held a lesser office the tables
            # follow (Sunak: prime minister, then opposition leader) is still a former leader.
            led = [t for t in past if t.maintained and t.role in _FORMER_FOR_LIFE and not t.until]
            if led and not (last.until and not last.end):
                return max(led, key=lambda t: t.last_day), "former"
            return last, "unknown"
        return ordered[0], "future"

    def rank_on(self, day: str | None) -> int:
        tenure, status = self.status_on(day)
        if tenure is None or status != "current":
            return 0
        return _ROLE_RANK.get(tenure.role, 1)


@dataclass(frozen=True)
class OrgCode:
    org_id: str
    name: str
    kind: str
    country: str
    sector: str
    start: str
    end: str
    source: str = ""
    origin: str = ""

    def active(self, day: str) -> bool:
        return date_start(self.start) <= day <= date_end(self.end)


@dataclass(frozen=True)
class Agent:
    phrase: str
    sector: str
    role: str
    kind: str = ""      # person | group | org ("" = guess from the role)
    origin: str = ""


@dataclass(frozen=True)
class Metonym:
    phrase: str
    country: str
    sector: str
    kind: str           # capital | seat
    note: str = ""
    source: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Entry:
    """What a phrase in the index stands for."""

    kind: str  # country | adjective | metonym | org | person | agent
    ref: str   # iso3, org_id, person_id, agent phrase or metonym phrase key
    sector: str = ""  # metonyms: the sector they stand for
    acronym: bool = field(default=False, compare=False)  # written as an acronym: case matters
    overlay: bool = field(default=False, compare=False)  # from a correction or user overlay
    origin: str = field(default="", compare=False)


# Priority when one phrase names several things: a person beats an organisation
# beats a country name beats a capital used as metonym beats a demonym beats a role noun.
KIND_PRIORITY = {"person": 6, "org": 5, "country": 4, "metonym": 3, "adjective": 2, "agent": 1}

# Name order "family given" (Xi Jinping, Kim Jong Un): the first word is the surname.
_FAMILY_FIRST = {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "SGP"}


def is_acronym(alias: str) -> bool:
    """"NATO", "U.N.", "DfID": written with capitals inside a word, so "Who" is not "WHO"."""
    letters = [c for c in alias if c.isalpha()]
    if len(letters) < 2 or " " in alias.strip():
        return False
    return sum(c.isupper() for c in letters) >= 2


def acronym_ok(surface: str) -> bool:
    """Whether text may stand for an acronym alias: "NATO", "U.N." and "Nato" yes, "Who", "us" no."""
    letters = [c for c in surface if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if upper >= 2:
        return True
    # "Nato", "Opec", "Asean": newspaper style for long acronyms spoken as words
    return len(letters) >= 4 and upper == 1 and letters[0].isupper()


class ActorKB:
    """All actor knowledge, indexed by ``canon`` phrase keys."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.people: dict[str, Person] = {}
        self.orgs: dict[str, list[OrgCode]] = defaultdict(list)
        self.agents: dict[str, Agent] = {}
        self.metonyms: dict[str, Metonym] = {}
        self.phrases: dict[str, list[Entry]] = defaultdict(list)
        self.max_words: dict[str, int] = defaultdict(int)  # first word -> longest phrase (words)
        self.surnames: dict[str, set[str]] = defaultdict(set)
        self.first_names: dict[str, str] = {}  # given name -> "m" | "f" where the KB agrees
        self.famous_surnames: set[str] = set()  # surnames of people in the curated tables
        self.versions: dict[str, str] = {}
        self.files: dict[str, str] = {}       # table name -> path
        self.discards: list[tuple[str, str, str, str]] = []  # (phrase key, kind, ref, origin)
        self._surname_buckets: dict[tuple[str, int], list[str]] | None = None

    # -- building -----------------------------------------------------------------
    def _add_phrase(self, phrase: str, entry: Entry) -> None:
        key = canon(phrase)
        if not key:
            return
        entries = self.phrases[key]
        for i, old in enumerate(entries):
            if old == entry:
                if entry.overlay and not old.overlay:
                    entries[i] = entry
                elif entry.acronym != old.acronym and not entry.acronym:
                    entries[i] = entry  # also written in full: no case restriction
                break
        else:
            if entry.overlay:
                entries.insert(0, entry)
            else:
                entries.append(entry)
        words = key.split(" ")
        if len(words) > self.max_words[words[0]]:
            self.max_words[words[0]] = len(words)

    def add_table(self, table: Table, name: str | None = None, overlay: bool = False) -> None:
        """Add one table; ``overlay`` rows win over rows already loaded (docs/KB.md)."""
        header = set(table.header)
        name = name or Path(table.path).name
        if {"person_id", "name", "country", "sector"} <= header:
            self._load_people(table, name, overlay)
        elif {"org_id", "name", "country", "sector"} <= header:
            self._load_orgs(table, name, overlay)
        elif {"iso3", "name", "adjectives"} <= header:
            self._load_countries(table, name, overlay)
        elif {"phrase", "country", "sector"} <= header:
            self._load_metonyms(table, name, overlay)
        elif {"phrase", "kind", "ref"} <= header:
            self._load_discards(table, name)
        elif {"phrase", "sector"} <= header:
            self._load_agents(table, name, overlay)
        else:
            raise KnowledgeBaseError(
                f"cannot tell which table this is (columns: {', '.join(table.header)})", table.path,
                "use the header of the people, organizations, agents, countries, metonyms or discards table "
                "(see docs/KB.md)")
        self.versions[name] = table.version
        self.files[name] = table.path

    def _load_countries(self, table: Table, name: str, overlay: bool) -> None:
        for lineno, row in table:
            iso3 = row["iso3"].upper()
            where = f"{table.path}:{lineno}"
            if len(iso3) != 3:
                raise KnowledgeBaseError(f"iso3 {iso3!r} is not a 3-letter code", where, "use ISO 3166-1 alpha-3")
            origin = f"{name}:{lineno}"
            lat, lon = _float(row.get("lat", "")), _float(row.get("lon", ""))
            old = self.countries.get(iso3)
            self.countries[iso3] = Country(
                iso3, row["name"] or (old.name if old else iso3), row.get("capital", "") or (old.capital if old else ""),
                lat if lat is not None else (old.lat if old else None),
                lon if lon is not None else (old.lon if old else None),
                check_date(row.get("start", ""), where) or (old.start if old else ""),
                check_date(row.get("end", ""), where) or (old.end if old else ""), origin)
            for phrase in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add_phrase(phrase, Entry("country", iso3, acronym=is_acronym(phrase), overlay=overlay,
                                               origin=origin))
            for phrase in split_multi(row.get("adjectives", "")):
                self._add_phrase(phrase, Entry("adjective", iso3, acronym=is_acronym(phrase), overlay=overlay,
                                               origin=origin))

    def _load_metonyms(self, table: Table, name: str, overlay: bool) -> None:
        for lineno, row in table:
            where = f"{table.path}:{lineno}"
            sector = _sector(row, where)
            key = canon(row["phrase"])
            if not key:
                continue
            if key in self.metonyms and not overlay:
                continue  # a phrase appears once; the first row wins
            origin = f"{name}:{lineno}"
            self.metonyms[key] = Metonym(row["phrase"], row["country"].upper(), sector,
                                         row.get("kind", "") or "capital", row.get("note", ""),
                                         row.get("source", ""), origin)
            if overlay:  # a correction replaces the phrase's earlier metonym entry
                self.phrases[key] = [e for e in self.phrases.get(key, []) if e.kind != "metonym"]
            self._add_phrase(row["phrase"], Entry("metonym", key, sector, acronym=is_acronym(row["phrase"]),
                                                  overlay=overlay, origin=origin))

    def _load_orgs(self, table: Table, name: str, overlay: bool) -> None:
        for lineno, row in table:
            where = f"{table.path}:{lineno}"
            sector = _sector(row, where)
            org_id = row["org_id"] or canon(f"{row.get('country', '')} {row['name']}").replace(" ", "_")
            if not org_id or not row["name"]:
                raise KnowledgeBaseError("org_id and name are required", where, "fill both columns")
            origin = f"{name}:{lineno}"
            code = OrgCode(org_id, row["name"], row.get("kind", ""), row.get("country", "").upper(),
                           sector, check_date(row.get("start", ""), where),
                           check_date(row.get("end", ""), where), row.get("source", ""), origin)
            codes = self.orgs[org_id]
            if overlay:
                # A row with the same start replaces the loaded one (fix a code or an end date).
                codes[:] = [c for c in codes if c.start != code.start or c.origin.startswith(name + ":")]
            if all((c.country, c.sector, c.start, c.end) != (code.country, code.sector, code.start, code.end)
                   for c in codes):
                codes.append(code)
            for phrase in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add_phrase(phrase, Entry("org", org_id, acronym=is_acronym(phrase), overlay=overlay,
                                               origin=origin))

    def _load_agents(self, table: Table, name: str, overlay: bool) -> None:
        for lineno, row in table:
            sector = _sector(row, f"{table.path}:{lineno}")
            key = canon(row["phrase"])
            if not key or (key in self.agents and not overlay):
                continue
            self.agents[key] = Agent(key, sector, row.get("role", ""), row.get("kind", ""),
                                     f"{name}:{lineno}")
            self._add_phrase(key, Entry("agent", key, overlay=overlay, origin=f"{name}:{lineno}"))

    def _load_discards(self, table: Table, name: str) -> None:
        kinds = set(KIND_PRIORITY)
        for lineno, row in table:
            where = f"{table.path}:{lineno}"
            if row["kind"] not in kinds:
                raise KnowledgeBaseError(f"unknown kind {row['kind']!r}", where,
                                         f"use one of {', '.join(sorted(kinds))}")
            if not canon(row["phrase"]):
                raise KnowledgeBaseError("phrase is empty", where, "give the phrase to stop matching")
            self.discards.append((canon(row["phrase"]), row["kind"], row.get("ref", ""), f"{name}:{lineno}"))

    def _apply_discards(self) -> None:
        """Drop index entries a discards table names: a phrase that must not match (a common
        word converted as an alias, "Organization" for the Tanzim)."""
        for key, kind, ref, _origin in self.discards:
            entries = self.phrases.get(key)
            if entries:
                self.phrases[key] = [e for e in entries if not (e.kind == kind and (not ref or e.ref == ref))]
                if not self.phrases[key]:
                    del self.phrases[key]

    def _load_people(self, table: Table, name: str, overlay: bool) -> None:
        curated = "phoenix" not in Path(table.path).name
        until = table.coverage if table.frozen else ""
        touched: set[str] = set()
        for lineno, row in table:
            where = f"{table.path}:{lineno}"
            pid = row["person_id"]
            if not pid or not row["name"]:
                raise KnowledgeBaseError("person_id and name are required", where, "fill both columns")
            sector = _sector(row, where)
            origin = f"{name}:{lineno}"
            person = self.people.get(pid)
            if person is None:
                person = self.people[pid] = Person(pid, row["name"], row.get("gender", ""), curated=curated,
                                                   overlay=overlay, origin=origin)
            elif overlay and pid not in touched:
                person.name = row["name"]
                person.overlay = True
                person.curated = True
            touched.add(pid)
            if row.get("gender") and (not person.gender or overlay):
                person.gender = row["gender"]
            if row.get("country"):
                end = check_date(row.get("end", ""), where)
                tenure = Tenure(row["country"].upper(), sector, row.get("role", ""),
                                check_date(row.get("start", ""), where), end,
                                row.get("source", ""), origin, "" if end else until,
                                check_date(row.get("read", ""), where) or table.read, not table.frozen)
                if overlay:
                    # Same office and start: the overlay row replaces it (e.g. to add an end date).
                    person.tenures = [t for t in person.tenures
                                      if (t.country, t.role, t.start) != (tenure.country, tenure.role, tenure.start)
                                      or t.origin.startswith(name + ":")]
                if tenure not in person.tenures:
                    person.tenures.append(tenure)
            for phrase in [row["name"], *split_multi(row.get("aliases", ""))]:
                self._add_phrase(phrase, Entry("person", pid, acronym=is_acronym(phrase), overlay=overlay,
                                               origin=origin))

    def finalize(self) -> None:
        """Derived indexes: discards applied, Phoenix duplicates merged, surnames, given-name genders."""
        self._apply_discards()
        self._merge_converted()
        self.surnames = defaultdict(set)
        genders: dict[str, Counter] = defaultdict(Counter)
        keys_by_person: dict[str, set[str]] = defaultdict(set)
        for key, entries in self.phrases.items():
            for e in entries:
                if e.kind == "person":
                    keys_by_person[e.ref].add(key)
        for pid, person in self.people.items():
            countries = {t.country for t in person.tenures}
            for key in keys_by_person.get(pid, ()):
                words = key.split(" ")
                if len(words) < 2:
                    continue
                self.surnames[words[-1]].add(pid)
                if countries & _FAMILY_FIRST:
                    self.surnames[words[0]].add(pid)
            if person.gender in ("m", "f"):
                words = canon(person.name).split(" ")
                if len(words) >= 2 and len(words[0]) > 1:
                    genders[words[0]][person.gender] += 1
        self.famous_surnames = {k for k, pids in self.surnames.items()
                                if any(self.people[p].curated for p in pids) and len(k) > 2}
        self.first_names = {}
        for first, counts in genders.items():
            (g, n), = counts.most_common(1)
            if n >= 0.9 * sum(counts.values()):
                self.first_names[first] = g

    def _merge_converted(self) -> None:
        """A person converted from Phoenix who is also in a curated table is one person.

        The curated rows decide; Phoenix rows that ended before the first curated
        office are kept (Putin's 1998-1999 FSB directorship, pre-office ELI spans),
        the rest, whose open ends only mean "still in office in 2015", are dropped.
        """
        merged: dict[str, str] = {}
        for pid, person in self.people.items():
            if person.curated:
                continue
            key = canon(person.name)
            targets = {e.ref for e in self.phrases.get(key, ()) if e.kind == "person" and e.ref in self.people
                       and self.people[e.ref].curated}
            if len(targets) != 1:
                continue
            target = self.people[targets.pop()]
            if not target.tenures:
                continue
            first = min(date_start(t.start) for t in target.tenures)
            for t in person.tenures:
                if t.end and date_end(t.end) <= first and t not in target.tenures:
                    target.tenures.append(t)
            merged[pid] = target.id
        if not merged:
            return
        for key, entries in self.phrases.items():
            if any(e.kind == "person" and e.ref in merged for e in entries):
                out: list[Entry] = []
                for e in entries:
                    if e.kind == "person" and e.ref in merged:
                        e = Entry("person", merged[e.ref], e.sector, e.acronym, e.overlay, e.origin)
                    if e not in out:
                        out.append(e)
                self.phrases[key] = out
        for pid in merged:
            del self.people[pid]

    # -- lookups ------------------------------------------------------------------
    def lookup(self, phrase: str) -> list[Entry]:
        """Entries for a phrase, best first: overlay rows, then by kind priority."""
        return sorted(self.phrases.get(canon(phrase), []), key=lambda e: (not e.overlay, -KIND_PRIORITY[e.kind]))

    def org_code(self, org_id: str, day: str | None) -> OrgCode | None:
        codes = self.orgs.get(org_id)
        if not codes:
            return None
        if day is None:  # undated: the latest code
            current = [c for c in codes if not c.end]
            return current[-1] if current else max(codes, key=lambda c: date_end(c.end))
        active = [c for c in codes if c.active(day)]
        if active:
            return active[-1]
        # Outside every dated row: the last one that ended before the day, else the first.
        past = [c for c in codes if date_end(c.end) < day]
        if past:
            return max(past, key=lambda c: date_end(c.end))
        return min(codes, key=lambda c: date_start(c.start))

    def org_name(self, org_id: str) -> str:
        codes = self.orgs.get(org_id)
        return codes[0].name if codes else org_id

    def surname_candidates(self, surname: str, day: str | None) -> list[Person]:
        """People with this surname who hold office on ``day`` (undated: now)."""
        return [self.people[pid] for pid in self.surnames.get(canon(surname), ())
                if self.people[pid].rank_on(day) > 0]

    def resolve_surname(self, surname: str, day: str | None) -> Person | None:
        """The one person a bare surname ("Putin", "Museveni") means on ``day``, if unambiguous.

        Candidates are the people of the curated tables with that surname (Phoenix's
        thousands of converted names are too many, and their open tenures too stale,
        to decide a bare surname). One holding office on the day wins when the others
        do not, or when it is a head of state or government and the others hold lesser
        offices; a surname borne by one curated person means that person even out of
        office ("Trump" in 2022 is the former president).
        """
        people = [self.people[p] for p in self.surnames.get(canon(surname), ()) if self.people[p].curated]
        if not people:
            return None
        current = [p for p in people if p.rank_on(day) > 0]
        if len(current) == 1:
            return current[0]
        if len(current) > 1:
            ranked = sorted(current, key=lambda p: -p.rank_on(day))
            if ranked[0].rank_on(day) >= 8 > ranked[1].rank_on(day):
                return ranked[0]
            return None
        if len(people) == 1:
            tenure, status = people[0].status_on(day)
            if tenure is not None and status != "future":
                return people[0]
        return None

    def surname_country(self, surname: str, day: str | None) -> str | None:
        """The country of a bare surname: its one bearer's, or the one country all (at most
        five) curated bearers share ("Bush" -> USA)."""
        person = self.resolve_surname(surname, day)
        if person is not None:
            tenure, _ = person.status_on(day)
            return tenure.country if tenure else None
        pids = [p for p in self.surnames.get(canon(surname), ()) if self.people[p].curated]
        if not pids or len(pids) > 5:
            return None
        countries = set()
        for pid in pids:
            countries |= {t.country for t in self.people[pid].tenures}
        return countries.pop() if len(countries) == 1 else None

    def resolve_titled(self, words: list[str], day: str | None, role: str | None, sector: str | None,
                       fuzzy: bool = True) -> Person | None:
        """The person a titled name the tables do not list verbatim stands for: "President
        Reagan", "President Francois Mitterand" (sic), "President Abdelaziz Bouteflicka" (sic).

        The surname (or, with ``fuzzy``, a surname one or two letters off) must be borne by
        exactly one person whose offices fit the title and whose given name agrees with
        the text's; curated people are preferred, then the one in office on the day.
        """
        if not words:
            return None
        surname, given = words[-1], (words[0] if len(words) > 1 else "")
        pids = set(self.surnames.get(surname, ()))
        if not pids and fuzzy and len(surname) >= 6 and role in _LEADER_TITLES:
            pids = {p for key in self._near_surnames(surname) for p in self.surnames[key]}
        if not pids:
            return None
        people = [self.people[p] for p in pids]
        if given:
            people = [p for p in people if _given_agrees(given, p.name)]
        people = [p for p in people if _title_fits(p, role, sector)]
        for pool in ([p for p in people if p.curated], [p for p in people if not p.curated]):
            if len(pool) == 1:
                return pool[0]
            if len(pool) > 1:
                current = [p for p in pool if p.rank_on(day) > 0]
                return current[0] if len(current) == 1 else None
        return None

    def _near_surnames(self, word: str) -> list[str]:
        """Surnames one (two, for long words) edits away that share the first two letters."""
        if self._surname_buckets is None:
            buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
            for key in self.surnames:
                buckets[(key[:2], len(key))].append(key)
            self._surname_buckets = buckets
        limit = 1 if len(word) < 8 else 2
        out = []
        for n in range(len(word) - limit, len(word) + limit + 1):
            for key in self._surname_buckets.get((word[:2], n), ()):
                if _edit_distance(word, key, limit) <= limit:
                    out.append(key)
        return out

    def choose_person(self, entries: list[Entry], day: str | None) -> Person | None:
        """Among several people sharing a name, the one the article most likely means."""
        people = [self.people[e.ref] for e in entries if e.kind == "person" and e.ref in self.people]
        if not people:
            return None
        if len(people) == 1:
            return people[0]

        def score(p: Person) -> tuple:
            tenure, status = p.status_on(day)
            return (p.overlay, p.curated, status == "current", p.rank_on(day),
                    tenure.last_day if tenure is not None else "")

        return max(people, key=score)

    def gender_of_name(self, name: str) -> str:
        words = canon(name).split(" ")
        return self.first_names.get(words[0], "") if len(words) >= 2 else ""

    # -- explanations (communique actors lookup) ---------------------------------
    def explain(self, phrase: str, day: str | None) -> list[dict]:
        """Every knowledge-base entry for ``phrase`` and what it means on ``day``."""
        day_ = day
        out = []
        for e in self.lookup(phrase):
            item: dict = {"kind": e.kind, "ref": e.ref, "table": e.origin, "overlay": e.overlay,
                          "acronym": e.acronym}
            if e.kind == "person":
                p = self.people[e.ref]
                pc = code_person(p, day_)
                tenure = pc.tenure
                item.update(name=p.name, gender=p.gender, status=pc.status, curated=p.curated,
                            country=pc.country, sector=pc.sector, role=pc.role,
                            tenure=(f"{tenure.start or '…'} to {_shown_end(tenure)}" if tenure else None),
                            row=tenure.origin if tenure else p.origin, source=tenure.source if tenure else "",
                            read=tenure.read if tenure else "",
                            tenures=[{"country": t.country, "sector": t.sector, "role": t.role, "start": t.start,
                                      "end": t.end, "until": t.until, "read": t.read, "row": t.origin,
                                      "source": t.source} for t in
                                     sorted(p.tenures, key=lambda t: date_start(t.start))])
            elif e.kind == "org":
                c = self.org_code(e.ref, day_)
                item.update(name=c.name if c else e.ref, country=c.country if c else None,
                            sector=(c.sector or None) if c else None, org_kind=c.kind if c else "",
                            tenure=(f"{c.start or '…'} to {c.end or 'present'}" if c else None),
                            row=c.origin if c else "", source=c.source if c else "",
                            codes=[{"country": x.country, "sector": x.sector, "start": x.start, "end": x.end,
                                    "row": x.origin} for x in self.orgs.get(e.ref, [])])
            elif e.kind in ("country", "adjective"):
                c = self.countries.get(e.ref)
                item.update(name=c.name if c else e.ref, country=e.ref, sector=None, row=e.origin)
            elif e.kind == "metonym":
                m = self.metonyms.get(e.ref)
                item.update(name=m.phrase if m else e.ref, country=m.country if m else None,
                            sector=(m.sector or None) if m else None, metonym_kind=m.kind if m else "",
                            note=m.note if m else "", source=m.source if m else "", row=e.origin)
            elif e.kind == "agent":
                a = self.agents[e.ref]
                item.update(name=a.phrase, country=None, sector=a.sector or None, role=a.role or None,
                            row=a.origin)
            item["code"] = f"{item.get('country') or ''}{item.get('sector') or ''}"
            out.append(item)
        return out


def _shown_end(t: Tenure) -> str:
    if t.end:
        return t.end
    return f"at least {t.until} (its source stops there)" if t.until else "present"


@dataclass(frozen=True)
class PersonCode:
    """How one mention of a known person is coded on a day (``code_person``)."""

    country: str | None
    sector: str | None
    role: str | None
    status: str          # current | former | unknown | future | undated | title (the text's title decided)
    confidence: float
    tenure: Tenure | None = None  # the row the code comes from (None: from the text alone)


def _is_state(country: str | None) -> bool:
    return bool(country) and country not in NON_STATE


def _title_tenure(person: Person, role: str | None, sector: str | None, day: str) -> Tenure | None:
    """The person's tenure the text's title names: same role, else same sector; the one
    nearest the day."""
    for fits in ((lambda t: bool(role) and t.role == role), (lambda t: bool(sector) and t.sector == sector)):
        found = [t for t in person.tenures if fits(t)]
        if found:
            return min(found, key=lambda t: (not t.active(day), abs(_days(t.last_day if t.last_day < day
                                                                              else date_start(t.start)) - _days(day))))
    return None


def _days(iso: str) -> int:
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    return y * 372 + m * 31 + d  # an order-preserving day count is all that is needed


def home_country(person: Person, near: Tenure | None = None) -> str | None:
    """The state a person belongs to: ``near``'s country when it is a state, else the state of
    their most recent tenure in one (not the code of an international organisation)."""
    if near is not None and _is_state(near.country):
        return near.country
    states = [t for t in person.tenures if _is_state(t.country)]
    return max(states, key=lambda t: t.last_day).country if states else None


def code_person(person: Person, day: str | None, *, title_sector: str | None = None,
                title_role: str | None = None, text_country: str | None = None, former: bool = False,
                then: bool = False) -> PersonCode:
    """The code of one mention of ``person`` on ``day``, given what the text says about it.

    ``title_sector``/``title_role``: the title the text gives ("Senator", "Foreign Minister");
    ``text_country``: a country the text attaches ("the Portuguese ..."); ``former``: the text
    says "former"/"ex-"; ``then``: it says "then-" (the office held at the time told of).

    Rules (docs/KB.md, "Time"):

    * in office on the day: that office's code; a title in the text that names a different
      sector overrides it for this mention ("Senator X" when the tables have X as a minister);
    * "former" in the text, or out of office with the later life known (``later_life_known``):
      ELI, unless the text gives another title;
    * out of office and the later life unknown (a minister who left the tables, anyone known
      only from a frozen source past its coverage date): the country alone, or the text's title;
    * the code's country and sector always come from one source: the tenure the code is taken
      from, or the text (its title, with the text's country, the country of the person's office
      of that kind, or their home state), never an international post's code with a national
      title's sector.
    """
    d = day or PRESENT
    tenure, status = person.status_on(day)

    def from_title(conf: float) -> PersonCode:
        t = _title_tenure(person, title_role, title_sector, d)
        country = text_country or (t.country if t is not None else None) or home_country(person, tenure)
        return PersonCode(country, title_sector, title_role, "title", conf, t)

    if tenure is None:
        return PersonCode(text_country, title_sector, title_role, "undated", 0.5)
    if former:
        t = _title_tenure(person, title_role, title_sector, d) if (title_role or title_sector) else None
        t = t or tenure
        country = text_country if _is_state(text_country) else t.country if title_sector or title_role \
            else home_country(person, t) or t.country
        return PersonCode(country, "ELI", title_role, "former", 0.9, t)
    if status == "current":
        held = [t for t in person.tenures if t.active(d)]
        # The text's title overrides the office on the day only when the tables know nothing
        # against it: a national office of the title's sector that they record as ended before
        # the day means the title is the past one ("Chief Minister X" a year after X stood down;
        # a former general's rank in front of a minister's name), and the maintained tables win.
        # A national title in front of someone the tables place in an international post wins.
        stale = _is_state(tenure.country) and any(t.sector == title_sector and t.last_day < d
                                                  for t in person.tenures)
        if title_sector and title_sector != "ELI" and all(t.sector != title_sector for t in held) \
                and not (title_role and any(t.role == title_role for t in held)) and not stale:
            return from_title(0.85)
        role = title_role if title_role in {t.role for t in held} else (tenure.role or title_role or None)
        return PersonCode(tenure.country, tenure.sector or title_sector or None, role, "current", 0.95, tenure)
    if then and status in ("former", "unknown"):
        return PersonCode(tenure.country, tenure.sector or None, title_role, status, 0.85, tenure)
    if title_sector:
        # The text may name an office the knowledge base does not know ("Senator X").
        return from_title(0.85 if status != "future" else 0.6)
    if status == "former":
        # a former official of an international organisation is an elder of their own state
        # (a former NATO secretary-general is NORELI, not "IGOELI")
        return PersonCode(home_country(person, tenure) or tenure.country, "ELI", title_role, "former", 0.85,
                          tenure)
    if status == "unknown":
        return PersonCode(home_country(person, tenure), None, None, "unknown", 0.7, tenure)
    return PersonCode(home_country(person, tenure) if not _is_state(tenure.country) else tenure.country, None,
                      title_role, "future", 0.6, tenure)


def _given_agrees(given: str, name: str) -> bool:
    first = canon(name).split(" ")[0]
    return first == given or (len(given) == 1 and first.startswith(given)) or (
        len(given) >= 4 and _edit_distance(given, first, 1) <= 1)


_LEADER_TITLES = {"President", "Prime Minister", "Chancellor", "Monarch", "Head of State", "Head of Government",
                  "Chairman", "General Secretary", "Supreme Leader"}


def other_office_fits(person: Person, role: str | None, sector: str | None) -> bool:
    """A tenure recorded with the catch-all role ``Other`` (deputy secretaries, chief ministers,
    ministers of state ...) fits any title that is not a leader's, in the same sector:
    "Deputy Secretary Hicks", "Chief Minister Thakur"."""
    return bool(role) and role not in _LEADER_TITLES and role not in LEADER_ROLES and any(
        t.role == "Other" and (not sector or t.sector == sector) for t in person.tenures)


def _title_fits(person: Person, role: str | None, sector: str | None) -> bool:
    if role:
        roles = {t.role for t in person.tenures if t.role}
        if roles:
            return role in roles or other_office_fits(person, role, sector) or bool(
                role in _LEADER_TITLES and roles & _LEADER_TITLES and role in (
                    "President", "Head of State") and roles & {"President", "Head of State"})
        return sector is None or any(t.sector == sector for t in person.tenures)
    if sector:
        return any(t.sector == sector for t in person.tenures)
    return True


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), stopping early above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _sector(row: dict[str, str], where: str, column: str = "sector") -> str:
    """The row's sector code, checked and with aliases mapped (JRN -> MED)."""
    sector = row.get(column, "")
    _check_sector(sector, where)
    return SECTOR_ALIASES.get(sector, sector)


def _check_sector(sector: str, where: str) -> None:
    if sector and sector not in SECTORS and sector not in SECTOR_ALIASES:
        raise KnowledgeBaseError(f"unknown sector code {sector!r}", where,
                                 f"use one of {', '.join(sorted(SECTORS))}")


SHIPPED_TABLES = ("countries.tsv", "metonyms.tsv", "organizations.tsv", "agents.tsv")


def shipped_files() -> list[tuple[str, Path, bool]]:
    """``(name, path, is_correction)`` of every shipped actor table, in load order."""
    out: list[tuple[str, Path, bool]] = []
    for name in SHIPPED_TABLES:
        path = data_path(name)
        if path.exists():
            out.append((name, path, False))
    people_dir = data_path("people")
    corrections: list[tuple[str, Path, bool]] = []
    if people_dir.exists():
        # Curated tables first so their names, genders and ids win over Phoenix's.
        files = sorted(people_dir.glob("*.tsv"), key=lambda p: (p.name.startswith("phoenix"), p.name))
        for path in files:
            if path.name.startswith("corrections"):
                corrections.append((f"people/{path.name}", path, True))
            else:
                out.append((f"people/{path.name}", path, False))
    data_dir = data_path()
    if data_dir.exists():
        for path in sorted(data_dir.glob("*_extra.tsv"), reverse=True):
            corrections.insert(0, (path.name, path, True))
        if (data_dir / "actor_discards.tsv").exists():
            corrections.append(("actor_discards.tsv", data_dir / "actor_discards.tsv", True))
    return out + corrections


def load_actor_kb(overlays: tuple[str, ...] = (), use_cache: bool = True) -> ActorKB:
    """The shipped actor tables, then the user's overlays (which win on conflicts)."""
    files = shipped_files()
    for overlay in overlays:
        if not Path(overlay).exists():
            raise KnowledgeBaseError("overlay file not found", overlay, "check the --kb path")
    if use_cache and not os.environ.get("COMMUNIQUE_NO_KB_CACHE"):
        return _cached(files, overlays)
    return _build(files, overlays)


def _build(files: list[tuple[str, Path, bool]], overlays: tuple[str, ...]) -> ActorKB:
    kb = ActorKB()
    with _no_gc():
        for name, path, correction in files:
            kb.add_table(read_table(path), name, overlay=correction)
        for overlay in overlays:
            kb.add_table(read_table(overlay), f"overlay:{Path(overlay).name}", overlay=True)
        kb.finalize()
    return kb


# -- cache ------------------------------------------------------------------------------
# Bump when the pickled classes change shape.
_CACHE_FORMAT = "actors-kb-2"


def cache_dir() -> Path:
    """``$COMMUNIQUE_CACHE_DIR``, else ``$XDG_CACHE_HOME/communique``, else ``~/.cache/communique``."""
    env = os.environ.get("COMMUNIQUE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "communique"


def _cache_key(files: list[tuple[str, Path, bool]], overlays: tuple[str, ...]) -> str:
    from .._version import __version__

    h = hashlib.sha256(f"{_CACHE_FORMAT}|{__version__}|{Path(__file__).stat().st_mtime_ns}".encode())
    for name, path, correction in files:
        st = path.stat()
        h.update(f"|{name}|{path}|{st.st_size}|{st.st_mtime_ns}|{correction}".encode())
    for overlay in overlays:
        p = Path(overlay).resolve()
        st = p.stat()
        h.update(f"|overlay|{p}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _cached(files: list[tuple[str, Path, bool]], overlays: tuple[str, ...]) -> ActorKB:
    """The knowledge base from the pickle cache when the tables are unchanged, else built and cached.

    The key covers each table's path, size and modification time, the package version
    and this module, so editing a table or an overlay rebuilds it. Any cache problem
    (read-only home, a corrupt file) falls back to building from the tables.
    """
    try:
        path = cache_dir() / f"actors-{_cache_key(files, overlays)}.pickle"
    except OSError:
        return _build(files, overlays)
    try:
        with open(path, "rb") as fh, _no_gc():
            kb = pickle.load(fh)
        if isinstance(kb, ActorKB):
            return kb
    except Exception:  # noqa: BLE001  (a missing or stale cache just means: build)
        pass
    kb = _build(files, overlays)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(kb, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        # keep the few newest caches (other overlays, other versions); drop the rest
        old = sorted(path.parent.glob("actors-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
    return kb


_CACHE_KEEP = 6


@contextmanager
def _no_gc():
    """The cyclic garbage collector off while ~100,000 objects are created at once
    (it would otherwise scan them over and over: 2 s instead of 0.3 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
