"""Web archives (WARC, WARC.gz, and the older ARC): CC-NEWS and any crawler's output, record by record.

The archive is streamed with warcio: one record in memory at a time (a page is read up to the
size limit, the rest of an oversized record is skipped unread), so a multi-gigabyte file is read
with flat memory. Only successful (2xx) HTML responses become articles; the origin of each is
``file.warc.gz@OFFSET``, the byte offset of its record, which is stable: a record's rejection is
keyed by it, and a resumed ingest skips every record whose origin the store already holds
(``ReadOptions.done_origins``) before extracting anything.

What is not a page is told apart without extraction and never silently: request, metadata and
warcinfo records are counted (``warc:other-records``), revisits too; responses with a non-2xx
status or a non-HTML content type, truncated records, corrupt regions and a file that ends in the
middle of a record each become a ``Rejected`` with the offset and the reason. After a corrupt
region the reader resynchronises at the next record (the next gzip member or ``WARC/1.x`` line),
so the rest of the file is still read.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Article, Rejected
from .html import PageContext, page_to_article
from .options import ReadOptions

Item = Article | Rejected
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml")
_WARC_START = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_CHUNK = 1 << 20


def is_warc_name(name: str) -> bool:
    n = name.lower()
    return n.endswith((".warc", ".warc.gz", ".arc", ".arc.gz", ".warc.wet.gz")) or n.endswith(".warc.zst")


def _content_type(rec) -> str | None:
    if rec.http_headers is not None:
        ct = rec.http_headers.get_header("Content-Type")
        if ct:
            return ct
    return rec.rec_headers.get_header("WARC-Identified-Payload-Type") or rec.rec_headers.get_header("Content-Type")


def _is_html(content_type: str | None) -> bool:
    return content_type is None or content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _read_limited(stream, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit + 1`` bytes of the payload, and whether there was more."""
    data = stream.read(limit + 1)
    return data, len(data) > limit


def _resync(fh: BinaryIO, start: int, gz: bool) -> int | None:
    """Offset of the next record boundary at or after ``start`` (None at the end of the file)."""
    marker = _GZIP_MEMBER if gz else None
    pos = start
    tail = b""
    fh.seek(start)
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return None
        buf = tail + chunk
        base = pos - len(tail)
        if marker is not None:
            i = buf.find(marker)
            while i >= 0:
                try:   # a real gzip member decompresses to the start of a WARC record
                    head = zlib.decompressobj(31).decompress(buf[i:i + 4096], 64)
                except zlib.error:
                    head = b""
                if head.startswith((b"WARC/", b"filedesc://")) or (head[:1].isdigit() and b" " in head[:40]):
                    return base + i
                i = buf.find(marker, i + 1)
        else:
            m = _WARC_START.search(buf)
            if m:
                return base + m.start()
        tail = buf[-4096:]
        pos += len(chunk)


def read_warc(path: str | os.PathLike[str], origin: str | None = None,
              options: ReadOptions | None = None) -> Iterator[Item]:
    """Articles (and rejections) from the HTML responses of a WARC/ARC file, in file order."""
    from warcio.archiveiterator import ArchiveIterator

    opts = options or ReadOptions()
    name = origin or str(path)
    done = opts.done_origins(f"{name}@") if opts.done_origins else set()
    try:
        size = os.path.getsize(path)
        fh = open(path, "rb")
    except OSError as err:
        yield Rejected(name, f"cannot read file ({err.strerror})", "check the path and permissions")
        return
    head = fh.read(4096)
    gz = head[:2] == b"\x1f\x8b"
    if gz:
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            head = b""
    fh.seek(0)
    if size and not head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://")):
        fh.close()
        shown = head[:20].decode("ascii", "replace").encode("unicode_escape").decode("ascii")
        yield Rejected(name, f"not a WARC or ARC file (it starts with {shown!r})",
                       "pass a .warc, .warc.gz or .arc.gz file written by a crawler")
        return
    records = 0
    with fh:
        start: int | None = 0
        while start is not None and start < size:
            fh.seek(start)
            it = ArchiveIterator(fh, arc2warc=True, ensure_http_headers=False)
            end = start
            try:
                for rec in it:
                    offset = it.offset          # where this record starts (absolute: fh was positioned)
                    records += 1
                    where = f"{name}@{offset}"
                    if rec.rec_type is None:
                        # headers that end before they are complete: the file stops inside this record
                        end = offset + it.get_record_length()
                        opts.stats["warc:truncated-file"] += 1
                        yield Rejected(where, f"the file ends in the middle of a record ({size - offset} bytes "
                                       f"after the last complete record; {records - 1} records read)",
                                       "the file is truncated: download it again to read the rest")
                        continue
                    if where in done:
                        opts.stats["warc:already-stored"] += 1
                        item = None             # not extracted again: resuming costs only the reading
                    else:
                        item = _record(rec, where, opts)
                    end = offset + it.get_record_length()   # reads the rest of the record
                    missing = getattr(rec.raw_stream, "limit", 0)
                    if missing and missing > 0:
                        # the block is shorter than its Content-Length: the file stops inside it
                        opts.stats["warc:truncated-record"] += 1
                        item = Rejected(where, f"record truncated: {missing} bytes of its content are missing",
                                        "the file is truncated or damaged here: download it again")
                    if item is not None:
                        yield item
                start = None
                if end < size:
                    opts.stats["warc:truncated-file"] += 1
                    yield Rejected(f"{name}@{end}", f"the file ends in the middle of a record ({size - end} bytes "
                                   f"after the last complete record; {records} records read)",
                                   "the file is truncated: download it again to read the rest")
            except Exception as err:  # noqa: BLE001 - warcio fails in many ways on damaged data (AttributeError too)
                opts.stats["warc:corrupt"] += 1
                nxt = _resync(fh, end + 1, gz)
                skipped = (nxt if nxt is not None else size) - end
                yield Rejected(f"{name}@{end}", f"corrupt WARC data ({type(err).__name__}: {_short(err)}); "
                               f"{skipped} bytes skipped" + ("" if nxt is not None else " to the end of the file"),
                               "the rest of the file is still read; download the file again to recover the "
                               "skipped records")
                start = nxt
    opts.stats["warc:records"] += records


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else ""
    # warcio quotes the bad bytes after "first line:"; they make the reason unreadable
    text = text.split(", first line", 1)[0].split(" first line", 1)[0]
    return re.sub(r"[^\x20-\x7e]", "?", text)[:80]


def _record(rec, where: str, opts: ReadOptions) -> Item | None:
    """The article (or rejection) of one record; None for records that are not pages (not errors)."""
    kind = rec.rec_type
    if kind == "revisit":
        opts.stats["warc:revisits"] += 1
        return None
    if kind not in ("response", "resource"):
        opts.stats["warc:other-records"] += 1
        return None
    h = rec.rec_headers
    url = h.get_header("WARC-Target-URI")
    status = None
    if kind == "response" and rec.http_headers is not None:
        try:
            status = int(rec.http_headers.get_statuscode() or 0)
        except ValueError:
            status = 0
        if not 200 <= status < 300:
            opts.stats[f"http-status:{status}"] += 1
            return Rejected(where, f"HTTP {status} response for {url}, not a page (only 2xx responses are coded)",
                            "nothing to do: redirects and errors have no article")
    elif kind == "response":
        opts.stats["warc:not-http"] += 1
        return None     # a DNS or other non-HTTP response
    ctype = _content_type(rec)
    if not _is_html(ctype):
        opts.stats["not-html"] += 1
        return Rejected(where, f"not an HTML page: {ctype.split(';')[0].strip()} ({url})",
                        "only web pages (HTML) can be coded")
    payload, over = _read_limited(rec.content_stream(), opts.max_page_bytes)
    if over:
        opts.stats["too-large"] += 1
        return Rejected(where, f"page is over the {opts.max_page_bytes / 2**20:.0f} MB limit for one article ({url})",
                        "this is not a news article page")
    declared = rec.http_headers.get_header("Content-Length") if rec.http_headers is not None else None
    warnings = []
    if declared and declared.isdigit() and len(payload) < int(declared) and not rec.http_headers.get_header(
            "Content-Encoding") and "chunked" not in (rec.http_headers.get_header("Transfer-Encoding") or ""):
        opts.stats["warc:truncated-record"] += 1
        return Rejected(where, f"record truncated: {len(payload)} of {declared} bytes of {url}",
                        "the archive is damaged here; download it again")
    if h.get_header("WARC-Truncated"):
        warnings.append(f"{where}: the crawler truncated this page ({h.get_header('WARC-Truncated')}); "
                        "the end of the article may be missing")
    wdate = h.get_header("WARC-Date")
    ctx = PageContext(url=url, date=wdate[:10] if wdate else None, date_from="crawl", content_type=ctype,
                      input="warc", warnings=warnings,
                      extra={"http_status": status, "fetched_at": wdate, "warc_record_id": h.get_header("WARC-Record-ID")})
    return page_to_article(payload, where, ctx, opts)
