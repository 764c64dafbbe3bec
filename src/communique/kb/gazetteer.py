"""The offline gazetteer: place names to GeoNames entries with coordinates.

Source tables: ``kb/data/gazetteer/places.tsv.gz`` (175k places built from GeoNames-derived
tables, see that folder's README) and, if present, ``kb/data/gazetteer/overrides.tsv`` (hand
corrections, which win). Without the gazetteer file the country table alone is used.

Parsing and name-indexing 175k rows takes seconds, and every worker process needs the
gazetteer, so the index is compiled once into a compact binary file and memory-mapped:

* the file lives in the user cache directory (``$COMMUNIQUE_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/communique``, else ``~/.cache/communique``), named by a digest of the
  source files' version, size and mtime, of the name-key code and of the index format, so
  a changed table or a changed ``canon`` never reads a stale index;
* it is written to a temporary file and renamed into place, so processes that build it at
  the same time never see a half-written file;
* loading maps the file (pages are shared between worker processes) and decodes an entry
  only when a lookup returns it; if no cache directory is writable the same bytes are kept
  in memory instead.

Names are keyed by ``canon`` (lower-case ASCII word runs). Keys are sorted, so a lookup is a
binary search and ``has_prefix`` tells a caller scanning "New York City" word by word
whether a longer name can still match.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import mmap
import os
import struct
import tempfile
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ._text import _WORD, canon, split_multi
from .tables import data_path, read_table

FEATURES = ("country", "admin1", "city", "region", "other")
_FEATURE_CODE = {f: i for i, f in enumerate(FEATURES)}

INDEX_FORMAT = 2
_MAGIC = b"CQGAZ\x00\x00\x01"


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
    idx: int = -1                  # row in the gazetteer (stable within one index file)

    @property
    def admin1_key(self) -> tuple[str, str] | None:
        """(country, admin1 name) of the first-level division this place is in or is."""
        if self.feature == "admin1":
            return (self.country or "", self.name)
        if self.admin1:
            return (self.country or "", self.admin1)
        return None


# -- name keys -------------------------------------------------------------------------
def name_key(name: str) -> str:
    """``canon(name)``, with a fast path for ASCII names (identical result)."""
    if name.isascii():
        return " ".join(_WORD.findall(name.lower()))
    return canon(name)


ACRONYM = "^"  # key prefix of alternate names written as acronyms


def _is_acronym(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return 2 <= len(letters) <= 5 and all(ch.isupper() for ch in letters) and " " not in name.strip()


# -- building the binary index ---------------------------------------------------------
@dataclass
class _Row:
    gid: int
    name: str
    country: str
    admin1: str
    feature: str
    population: int
    lat: float
    lon: float
    names: list[str]


def _int(v: str) -> int | None:
    try:
        return int(v) if v else None
    except ValueError:
        return None


def _read_rows(places: Path | None, overrides: Path | None) -> tuple[list[_Row], dict[str, str]]:
    rows: list[_Row] = []
    versions: dict[str, str] = {}
    if overrides is not None and overrides.exists():
        table = read_table(overrides)
        versions["gazetteer/overrides.tsv"] = table.version
        for _, r in table:
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except (KeyError, ValueError):
                continue
            rows.append(_Row(_int(r.get("geonames_id", "")) or 0, r["name"], r.get("country", ""),
                             r.get("admin1", ""), r.get("feature", "other") or "other",
                             _int(r.get("population", "")) or 0, lat, lon,
                             [r["name"], *split_multi(r.get("alt_names", ""))]))
    if places is not None and places.exists():
        with gzip.open(places, "rt", encoding="utf-8", newline="") as fh:
            first = fh.readline()
            version = first.split(":", 1)[1].strip() if first.startswith("#") and ":" in first else "unversioned"
            header = (first if not first.startswith("#") else fh.readline()).rstrip("\n").split("\t")
            col = {c: i for i, c in enumerate(header)}
            need = ("geonames_id", "name", "ascii_name", "alt_names", "country", "admin1", "feature",
                    "population", "lat", "lon")
            missing = [c for c in need if c not in col]
            if missing:
                from ..errors import KnowledgeBaseError

                raise KnowledgeBaseError(f"header lacks column(s) {', '.join(missing)}", str(places),
                                         "rebuild it with scripts/gazetteer/build_gazetteer.py")
            ci = [col[c] for c in need]
            for line in fh:
                cells = line.rstrip("\n").split("\t")
                if len(cells) < len(header) or line.startswith("#"):
                    continue
                gid, name, asc, alts, country, admin1, feature, pop, lat, lon = (cells[i] for i in ci)
                try:
                    flat, flon = float(lat), float(lon)
                except ValueError:
                    continue
                names = [name, asc, *alts.split("|")] if alts else [name, asc]
                rows.append(_Row(_int(gid) or 0, name, country, admin1, feature if feature in _FEATURE_CODE
                                 else "other", _int(pop) or 0, flat, flon, names))
        versions["gazetteer/places.tsv.gz"] = version
    return rows, versions


def _countries_only_rows() -> tuple[list[_Row], dict[str, str]]:
    from . import get_actor_kb

    kb = get_actor_kb()
    rows = []
    for iso3, c in kb.countries.items():
        if c.lat is not None and c.lon is not None:
            names = [c.name] + [k for k, es in kb.phrases.items()
                                if any(e.kind == "country" and e.ref == iso3 for e in es)]
            rows.append(_Row(0, c.name, iso3, "", "country", 0, c.lat, c.lon, names))
    return rows, {"gazetteer": "countries-only"}


def _pack_strings(strings: list[str]) -> tuple[bytes, array]:
    offsets = array("I", [0])
    parts = []
    pos = 0
    for s in strings:
        b = s.encode("utf-8")
        parts.append(b)
        pos += len(b)
        offsets.append(pos)
    return b"".join(parts), offsets


def _align(buf: bytearray) -> None:
    buf.extend(b"\x00" * (-len(buf) % 8))


def build_index(rows: list[_Row], versions: dict[str, str]) -> bytes:
    """The binary index of ``rows`` (see ``Gazetteer`` for the layout)."""
    countries = sorted({r.country for r in rows if r.country})
    country_no = {c: i + 1 for i, c in enumerate(countries)}           # 0 = none
    admin1_names = sorted({r.admin1 for r in rows if r.admin1} | {r.name for r in rows if r.feature == "admin1"})
    admin1_no = {a: i + 1 for i, a in enumerate(admin1_names)}         # 0 = none
    n = len(rows)
    gid = array("i", (r.gid for r in rows))
    pop = array("q", (r.population for r in rows))
    lat = array("i", (round(r.lat * 1e5) for r in rows))
    lon = array("i", (round(r.lon * 1e5) for r in rows))
    cty = array("H", (country_no.get(r.country, 0) for r in rows))
    adm = array("H", (admin1_no.get(r.name if r.feature == "admin1" else r.admin1, 0) for r in rows))
    feat = bytes(_FEATURE_CODE[r.feature] for r in rows)
    name_blob, name_off = _pack_strings([r.name for r in rows])
    postings: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        seen = set()
        for k, nm in enumerate(r.names):
            if not nm:
                continue
            key = name_key(nm)
            if key and k > 0 and _is_acronym(nm) and name_key(r.name) != key:
                key = ACRONYM + key  # "ACT", "NSW": matched only by a capitalised "ACT", never by "Act"
            if key and key not in seen:
                seen.add(key)
                postings.setdefault(key, []).append(i)
    keys = sorted(postings, key=lambda k: k.encode("utf-8"))
    key_blob, key_off = _pack_strings(keys)
    post_off = array("I", [0])
    post = array("I")
    for k in keys:
        post.extend(postings[k])
        post_off.append(len(post))
    sections = [("gid", gid.tobytes()), ("pop", pop.tobytes()), ("lat", lat.tobytes()), ("lon", lon.tobytes()),
                ("cty", cty.tobytes()), ("adm", adm.tobytes()), ("feat", feat),
                ("name_off", name_off.tobytes()), ("name_blob", name_blob),
                ("key_off", key_off.tobytes()), ("key_blob", key_blob),
                ("post_off", post_off.tobytes()), ("post", post.tobytes())]
    meta = {"format": INDEX_FORMAT, "rows": n, "keys": len(keys), "versions": versions,
            "countries": countries, "admin1": admin1_names, "sections": {}}
    body = bytearray()
    for name, data in sections:
        _align(body)
        meta["sections"][name] = [len(body), len(data)]  # offsets relative to the body
        body.extend(data)
    head = json.dumps(meta, separators=(",", ":")).encode("utf-8")
    out = bytearray(_MAGIC)
    out.extend(struct.pack("<Q", len(head)))
    out.extend(head)
    _align(out)
    out.extend(body)
    return bytes(out)


# -- the gazetteer -----------------------------------------------------------------------
class _Keys:
    """Sequence view of the sorted key blob, for ``bisect``."""

    __slots__ = ("blob", "off", "n")

    def __init__(self, blob: memoryview, off: memoryview) -> None:
        self.blob, self.off, self.n = blob, off, len(off) - 1

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> bytes:
        return bytes(self.blob[self.off[i]:self.off[i + 1]])


class Gazetteer:
    """Read-only view of a binary index (bytes or a memory map)."""

    def __init__(self, data: bytes | mmap.mmap, source: str = "") -> None:
        if bytes(data[:8]) != _MAGIC:
            raise ValueError("not a communique gazetteer index")
        (hlen,) = struct.unpack_from("<Q", data, 8)
        meta = json.loads(bytes(data[16:16 + hlen]))
        base = 16 + hlen + (-(16 + hlen) % 8)
        if meta.get("format") != INDEX_FORMAT:
            raise ValueError("gazetteer index format mismatch")
        self._data = data
        self.source = source
        self.versions: dict[str, str] = meta["versions"]
        self._countries = [None, *meta["countries"]]
        self._admin1 = ["", *meta["admin1"]]
        view = memoryview(data)
        sec = {k: view[base + o:base + o + n] for k, (o, n) in meta["sections"].items()}
        self._gid = sec["gid"].cast("i")
        self._pop = sec["pop"].cast("q")
        self._lat = sec["lat"].cast("i")
        self._lon = sec["lon"].cast("i")
        self._cty = sec["cty"].cast("H")
        self._adm = sec["adm"].cast("H")
        self._feat = sec["feat"]
        self._name_off = sec["name_off"].cast("I")
        self._name_blob = sec["name_blob"]
        self._keys = _Keys(sec["key_blob"], sec["key_off"].cast("I"))
        self._post_off = sec["post_off"].cast("I")
        self._post = sec["post"].cast("I")
        self.size = meta["rows"]
        self.n_keys = meta["keys"]
        self._entries: dict[int, GazEntry] = {}
        self._found: dict[str, int] = {}
        self._prefixed: dict[str, bool] = {}

    # entries
    def entry(self, i: int) -> GazEntry:
        e = self._entries.get(i)
        if e is None:
            gid = self._gid[i]
            e = GazEntry(gid or None, bytes(self._name_blob[self._name_off[i]:self._name_off[i + 1]]).decode("utf-8"),
                         self._countries[self._cty[i]], self._admin1[self._adm[i]] if self._feat[i] != 1 else "",
                         FEATURES[self._feat[i]], self._pop[i], self._lat[i] / 1e5, self._lon[i] / 1e5, i)
            if len(self._entries) > 20_000:  # bounded: a worker's memory must not creep over millions of articles
                self._entries.clear()
            self._entries[i] = e
        return e

    def __len__(self) -> int:
        return self.size

    # keys: a bisection over the key blob costs ~20 slices; the same few thousand words are
    # looked up in every article, so answers are memoised (bounded, like every per-worker cache)
    def _find(self, key: str) -> int:
        i = self._found.get(key)
        if i is None:
            b = key.encode("utf-8")
            i = bisect.bisect_left(self._keys, b)
            if not (i < self._keys.n and self._keys[i] == b):
                i = -1
            if len(self._found) > 50_000:
                self._found.clear()
            self._found[key] = i
        return i

    def lookup_key(self, key: str) -> list[GazEntry]:
        """Entries whose name has the canonical key ``key`` (see ``name_key``)."""
        i = self._find(key)
        if i < 0:
            return []
        return [self.entry(j) for j in self._post[self._post_off[i]:self._post_off[i + 1]]]

    def has_key(self, key: str) -> bool:
        return bool(key) and self._find(key) >= 0

    def has_prefix(self, key: str) -> bool:
        """Whether some name key starts with ``key + " "`` (a longer name may follow)."""
        hit = self._prefixed.get(key)
        if hit is None:
            b = (key + " ").encode("utf-8")
            i = bisect.bisect_left(self._keys, b)
            hit = i < self._keys.n and self._keys[i].startswith(b)
            if len(self._prefixed) > 50_000:
                self._prefixed.clear()
            self._prefixed[key] = hit
        return hit

    def candidates(self, name: str) -> list[GazEntry]:
        """Entries named ``name``; a name written as an acronym ("ACT") also matches acronym aliases."""
        key = name_key(name)
        found = self.lookup_key(key)
        if _is_acronym(name):
            found = self.lookup_key(ACRONYM + key) + found
        return found

    def __contains__(self, name: str) -> bool:
        key = name_key(name)
        return self.has_key(key) or (_is_acronym(name) and self.has_key(ACRONYM + key))

    def admin1_entry(self, country: str | None, admin1: str) -> GazEntry | None:
        """The admin1 row named ``admin1`` in ``country``."""
        for e in self.lookup_key(name_key(admin1)):
            if e.feature == "admin1" and e.country == country and e.name == admin1:
                return e
        return None


# -- cache ---------------------------------------------------------------------------------
def cache_dir() -> Path:
    env = os.environ.get("COMMUNIQUE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "communique" if xdg else Path.home() / ".cache" / "communique"


def _signature(paths: list[Path]) -> str:
    h = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    h.update(Path(__file__).with_name("_text.py").read_bytes())
    for p in paths:
        if p.exists():
            st = p.stat()
            with open(p, "rb") as fh:
                head = fh.read(256)
            h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
            h.update(head)
        else:
            h.update(f"{p.name}:absent".encode())
    return h.hexdigest()[:20]


def _map_file(path: Path) -> mmap.mmap:
    with open(path, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def load_gazetteer(places: Path | None = None, overrides: Path | None = None,
                   use_cache: bool = True) -> Gazetteer:
    """The gazetteer for the given source files (default: the shipped ones), cached on disk."""
    places = places if places is not None else data_path("gazetteer", "places.tsv.gz")
    overrides = overrides if overrides is not None else data_path("gazetteer", "overrides.tsv")
    if not places.exists():
        rows, versions = _countries_only_rows()
        rows = _read_rows(None, overrides)[0] + rows
        return Gazetteer(build_index(rows, versions), "memory")
    sig = _signature([places, overrides])
    target = cache_dir() / f"gazetteer-{sig}.idx"
    if use_cache and os.environ.get("COMMUNIQUE_NO_CACHE", "") in ("", "0"):
        try:
            if target.exists():
                return Gazetteer(_map_file(target), str(target))
        except (OSError, ValueError):
            pass  # unreadable or corrupt: rebuild below
    data = build_index(*_read_rows(places, overrides))
    if use_cache and os.environ.get("COMMUNIQUE_NO_CACHE", "") in ("", "0"):
        try:
            _write_atomic(target, data)
            _prune(target)
            return Gazetteer(_map_file(target), str(target))
        except OSError:
            pass  # read-only home, full disk ...: keep the index in memory
    return Gazetteer(data, "memory")


def _prune(keep: Path, n: int = 3) -> None:
    """Keep the ``n`` newest index files (other installs may share the directory)."""
    try:
        old = sorted((p for p in keep.parent.glob("gazetteer-*.idx") if p != keep),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for p in old[n - 1:]:
        try:
            p.unlink()  # a process that maps it keeps its pages
        except OSError:
            pass


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    return load_gazetteer()
