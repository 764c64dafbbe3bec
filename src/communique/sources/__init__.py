"""Where an article comes from: its outlet (registrable domain, GDELT's SourceCommonName) and the
outlet's country.

``source_of(url)`` gives ``("bbc.co.uk", "GBR")``. The domain is the URL's registrable domain under
the Public Suffix List that the ``tld`` package ships (no network access): ``www.bbc.co.uk`` and
``news.bbc.co.uk`` are both ``bbc.co.uk``, ``example.blogspot.com`` stays itself. The country comes
from ``data/outlets.tsv`` (well-known outlets, the most specific host first, so ``abcnews.go.com``
can differ from ``go.com``), else from the country-code top-level domain (``data/cctld.tsv``:
``.de`` is DEU, while ``.io``, ``.tv`` and other ccTLDs sold as generic names say nothing), else
None. Both tables are versioned; ``versions()`` lists them for the record's ``coder.kb``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["Outlet", "domain_of", "country_of", "outlet", "source_of", "versions"]

_HOSTNAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,62}\.)*[a-z0-9_-]{1,63}$|^[0-9a-f:]+$")


@dataclass(frozen=True)
class Outlet:
    domain: str
    country: str
    name: str
    kind: str
    state: bool


def _data(name: str) -> Path:
    return Path(str(resources.files("communique.sources").joinpath("data", name)))


def _read(name: str) -> tuple[str, list[dict[str, str]]]:
    version = "unversioned"
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    with open(_data(name), encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("#"):
                if line.lower().startswith("# version:") and header is None:
                    version = line.split(":", 1)[1].strip()
                continue
            if not line.strip():
                continue
            parts = line.split("\t")
            if header is None:
                header = parts
                continue
            rows.append(dict(zip(header, parts + [""] * (len(header) - len(parts)), strict=True)))
    return version, rows


@lru_cache(maxsize=1)
def _outlets() -> tuple[str, dict[str, Outlet]]:
    version, rows = _read("outlets.tsv")
    return version, {r["domain"]: Outlet(r["domain"], r["country"], r["name"], r["kind"], r["state"] == "yes")
                     for r in rows}


@lru_cache(maxsize=1)
def _cctlds() -> tuple[str, dict[str, str]]:
    version, rows = _read("cctld.tsv")
    return version, {r["tld"]: r["country"] for r in rows}


def versions() -> dict[str, str]:
    """Versions of the source tables, for ``record.coder.kb``."""
    return {"sources/outlets.tsv": _outlets()[0], "sources/cctld.tsv": _cctlds()[0]}


def _host(url: str | None) -> str | None:
    if not url:
        return None
    text = url.strip()
    if "://" not in text:
        text = "http://" + text   # "bbc.co.uk/news" as people write it
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    return host if _HOSTNAME.match(host) else None


@lru_cache(maxsize=65536)
def _domain_of_host(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        return host                      # an IP address is its own source
    except ValueError:
        pass
    from tld import get_fld

    fld = get_fld(host, fix_protocol=True, fail_silently=True)
    # hosts under no public suffix (localhost, intranet names) are their own source
    return str(fld).lower() if fld else host


def domain_of(url: str | None) -> str | None:
    """The registrable domain of ``url`` (``https://www.bbc.co.uk/news`` -> ``bbc.co.uk``), or None."""
    host = _host(url)
    return _domain_of_host(host) if host else None


def outlet(url: str | None) -> Outlet | None:
    """The well-known outlet ``url`` belongs to, the most specific host first."""
    host = _host(url)
    if not host:
        return None
    table = _outlets()[1]
    labels = host.split(".")
    for i in range(len(labels) - 1):
        hit = table.get(".".join(labels[i:]))
        if hit is not None:
            return hit
    return None


def country_of(url: str | None) -> str | None:
    """ISO alpha-3 country of the outlet of ``url``: the outlets table, else the ccTLD, else None."""
    hit = outlet(url)
    if hit is not None:
        return hit.country
    host = _host(url)
    if not host or "." not in host:
        return None
    return _cctlds()[1].get(host.rsplit(".", 1)[1])


def source_of(url: str | None) -> tuple[str | None, str | None]:
    """``(source_domain, source_country)`` of ``url``."""
    return domain_of(url), country_of(url)
