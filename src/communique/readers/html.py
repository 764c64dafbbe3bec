"""Web pages: the article's main text and metadata, extracted with trafilatura.

``page_to_article`` is the one path from a page's bytes to an ``Article`` (or a ``Rejected`` saying
why not) for every web input: ``.html`` files, HTML in JSON Lines fields and CSV columns, WARC
records and fetched URLs. It

- refuses what is not a page: binary data (images, PDFs), pages over the size limit, text without
  any HTML tag;
- decodes the bytes, trusting valid UTF-8 over a charset the page declares wrongly (a page that says
  ``iso-8859-1`` but is UTF-8 would otherwise become "JosÃ©"), the declared charset otherwise, and
  saying so in a warning whenever the declaration and the bytes disagree;
- extracts the main text with trafilatura (navigation, comments, advertisements, scripts removed),
  one paragraph per block with a blank line between paragraphs, so that character offsets and
  sentence breaks stay sensible, then trims leftover chrome at the edges (a repeated headline,
  "Media contact: ..." lines, a trailing "Sources" list);
- takes title, publication date (the page's date wins over the container's: a WARC's crawl date, a
  feed's entry date, a date column), author, site name and canonical URL from the page;
- identifies the language with py3langid and skips pages outside the languages asked for
  (``--lang``), with the reason.

trafilatura and py3langid load lazily (about 0.8 s and 2 s), so that ``communique --help`` and
plain-text inputs never pay for them.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ..records import Article, Rejected
from ._decode import _guess_encoding, looks_binary
from .options import ReadOptions

MIN_WORDS = 25             # fewer words after extraction: an index, gallery or error page, not an article
_LANG_CHARS = 2000         # language identification reads the start of the text
_LANG_MIN_CONFIDENCE = 0.5

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_LANG = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""", re.I)
_TAG = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|p|div|article|main|section|span|a|br|table|h[1-6])\b",
                  re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Section headings after which a page has only lists of links and notes, not the story.
_TAIL = re.compile(r"^(?:sources?|references|related(?: articles| stories| coverage| topics)?|see also|"
                   r"external links|read more|more on this story|share this(?: article| story)?|comments?|"
                   r"tags?|topics)\s*:?$", re.I)
_SENTENCE_END = ('.', '!', '?', '"', '\u201d', '\u2019', "'", ')', '\u00bb', ':', ';')
_MAGIC = ((b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
          (b"\x1f\x8b", "gzip-compressed data"), (b"RIFF", "a RIFF file (WebP image, audio or video)"),
          (b"\x00\x00\x00", "a video or binary file"), (b"ID3", "an MP3 file"), (b"OggS", "an Ogg file"),
          (b"wOFF", "a web font"), (b"\xd0\xcf\x11\xe0", "an old Office document"))
# WHATWG: pages labelled Latin-1 or ASCII are decoded as Windows-1252 by every browser.
_ENCODING_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
                     "iso8859-11": "cp874", "gb2312": "gb18030", "gbk": "gb18030"}


@dataclass
class PageContext:
    """What the container of a page knows about it (file, WARC record, HTTP response, feed entry, row)."""

    url: str | None = None            # where the page was found (after redirects)
    fetched_url: str | None = None    # the URL asked for, when it differs
    id: str | None = None
    title: str | None = None
    source: str | None = None
    date: str | None = None           # a fallback date: the input's, the feed entry's, the crawl's
    date_from: str = "input"          # "input" | "feed" | "crawl"
    content_type: str | None = None   # HTTP Content-Type (its charset, when given, is a declaration too)
    input: str = "html"               # "html" | "warc" | "web" | "feed"
    extra: dict = field(default_factory=dict)   # more Extraction fields: http_status, fetched_at, ...
    warnings: list[str] = field(default_factory=list)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _trafilatura():
    import trafilatura

    return trafilatura


@lru_cache(maxsize=1)
def extractor_name() -> str:
    from importlib.metadata import version

    return f"trafilatura {version('trafilatura')}"


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence (0..1) of ``text``; ``(None, p)`` when too unsure."""
    sample = text[:_LANG_CHARS]
    if not sample.strip():
        return None, 0.0
    with _lock:   # the identifier keeps per-call buffers: one thread at a time
        lang, conf = _identifier().classify(sample)
    conf = float(conf)
    return (lang if conf >= _LANG_MIN_CONFIDENCE else None), round(conf, 4)


def what_binary(data: bytes) -> str | None:
    """A name for binary data (``"a PDF document"``), or None when ``data`` looks like text."""
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if looks_binary(data[:8192]):
        return "binary data"
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
    return _ENCODING_ALIASES.get(name, name)


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, str, str | None]:
    """``(text, encoding, warning)``: valid UTF-8 wins over a wrong declaration; see the module doc."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode("utf-8-sig" if enc == "utf-8" else enc, errors="replace"), enc, None
    m = _META_CHARSET.search(data[:16384])
    label = http_charset or (m.group(1).decode("ascii", "replace") if m else None)
    declared = _codec(label)
    warning = None
    if label and declared is None:
        warning = f"the page declares an unknown charset {label!r}"
    try:
        text = data.decode("utf-8")
        if declared not in (None, "utf-8") and not data.isascii():
            warning = (f"the page declares {label} but its bytes are valid UTF-8; decoded as UTF-8 "
                       "(the declaration is wrong)")
        return text, "utf-8", warning
    except UnicodeDecodeError as err:
        first_bad = err.start
    if declared not in (None, "utf-8"):
        try:
            return data.decode(declared), declared, warning
        except (UnicodeDecodeError, LookupError):
            guess = _guess_encoding(data)
            return data.decode(guess, errors="replace"), guess, (
                f"the page declares {label} but its bytes are not {label}; decoded as {guess}")
    guess = _guess_encoding(data)
    if declared == "utf-8":
        warning = (f"the page declares UTF-8 but is not valid UTF-8 (first bad byte at {first_bad}); "
                   f"decoded as {guess}")
    else:
        warning = warning or f"the page declares no charset and is not UTF-8; decoded as {guess}"
    return data.decode(guess, errors="replace"), guess, warning


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text[:65536]))


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def _is_chrome(line: str) -> bool:
    """A line at the edge of the text that is not part of the story: a menu ("Home | About"), a
    dateline, "Media contact: ...", "###" (anything short that does not end like a sentence)."""
    if line.count("|") >= 1 and all(len(part.split()) <= 5 for part in line.split("|")):
        return True
    return len(line.split()) < 15 and not line.rstrip().endswith(_SENTENCE_END)


def clean_text(text: str, title: str | None = None) -> str:
    """Paragraphs separated by a blank line, without the chrome that extraction leaves at the edges."""
    lines = [" ".join(ln.split()) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if title:
        # the headline repeated at the top: it and whatever precedes it (site notices, breadcrumbs)
        head = _norm(title)
        for i, ln in enumerate(lines[:3]):
            if _norm(ln) == head and sum(len(x.split()) for x in lines[:i]) <= 40:
                lines = lines[i + 1:]
                break
    for i in range(max(1, len(lines) // 3), len(lines)):
        if _TAIL.match(lines[i]):
            lines = lines[:i]
            break
    while len(lines) > 1 and _is_chrome(lines[0]):
        lines.pop(0)
    while len(lines) > 1 and _is_chrome(lines[-1]):
        lines.pop()
    return "\n\n".join(lines)


def _valid_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        d = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    # a date in the future is a template's or a countdown's, not the publication date
    return d.isoformat() if d <= date.today() + timedelta(days=1) and d.year >= 1990 else None


def _same_site(a: str | None, b: str | None) -> bool:
    from ..sources import domain_of

    return bool(a and b) and domain_of(a) == domain_of(b)


def too_large(size: int, origin: str, opts: ReadOptions, id: str | None = None) -> Rejected:
    opts.stats["too-large"] += 1
    return Rejected(origin, f"page is {size / 2**20:.1f} MB, over the {opts.max_page_bytes / 2**20:.0f} MB "
                    "limit for one article", "this is not a news article page; split it, or code its text "
                    "as a .txt file", id=id)


def page_to_article(data: bytes | str, origin: str, ctx: PageContext | None = None,
                    options: ReadOptions | None = None) -> Article | Rejected:
    """The article on one web page, or why there is none. Never raises for bad input."""
    ctx = ctx or PageContext()
    opts = options or ReadOptions()
    if len(data) > opts.max_page_bytes:
        return too_large(len(data), origin, opts, ctx.id)
    warnings = list(ctx.warnings)
    encoding = None
    if isinstance(data, bytes):
        kind = what_binary(data)
        if kind is not None:
            opts.stats["not-html"] += 1
            return Rejected(origin, f"not an HTML page: {kind}", "only web pages (HTML) can be coded", id=ctx.id)
        text, encoding, warning = decode_html(data, charset_of(ctx.content_type))
        if warning:
            warnings.append(f"{origin}: {warning}")
    else:
        text = data
    if not looks_like_html(text):
        opts.stats["not-html"] += 1
        return Rejected(origin, "not an HTML page: no HTML tags", "plain text belongs in a .txt file or a "
                        "\"text\" field", id=ctx.id)
    text = _XML_DECL.sub("", text, count=1)   # lxml refuses str input with an encoding declaration
    declared_lang = (m.group(1).lower() if (m := _HTML_LANG.search(text[:65536])) else None)
    try:
        doc = _trafilatura().bare_extraction(
            text, url=ctx.url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "outputformat": "%Y-%m-%d"})
    except Exception as err:  # noqa: BLE001 - a page that breaks the extractor must not stop the batch
        opts.stats["extraction-failed"] += 1
        return Rejected(origin, f"the page could not be parsed ({type(err).__name__})",
                        "check that the file is a complete HTML page", id=ctx.id)
    body = clean_text(doc.text or "", doc.title) if doc is not None else ""
    n_words = len(body.split())
    if n_words < MIN_WORDS:
        opts.stats["no-text"] += 1
        return Rejected(origin, f"no article text on the page ({n_words} words left after removing navigation "
                        "and boilerplate)", "an index, gallery, login or error page has no story to code",
                        id=ctx.id)
    bad = body.count("\ufffd")
    if bad > max(5, len(body) // 20):
        opts.stats["undecodable"] += 1
        return Rejected(origin, f"the text cannot be decoded ({bad} undecodable characters, "
                        f"decoded as {encoding})", "check the page's charset", id=ctx.id)
    lang, conf = identify_language(body)
    if not opts.wants(lang):
        opts.stats[f"language:{lang}"] += 1
        return Rejected(origin, f"language {lang}, not {opts.lang_text()} (identified with confidence {conf:.2f})",
                        f"pass --lang {lang} (or --lang any) to code it anyway; the coder reads English",
                        id=ctx.id)
    if lang is None:
        warnings.append(f"{origin}: the language of the page could not be identified (confidence {conf:.2f})")
    page_date = _valid_day(doc.date)
    fallback = _valid_day(ctx.date)
    if page_date:
        adate, date_from = page_date, "page"
        if fallback and fallback != page_date and ctx.date_from == "input":
            warnings.append(f"{origin}: the page is dated {page_date} but the input says {fallback}; the page's "
                            "date is used")
    else:
        adate, date_from = fallback, (ctx.date_from if fallback else None)
        if fallback and ctx.date_from == "crawl":
            warnings.append(f"{origin}: no publication date on the page; the crawl date {fallback} is used")
    canonical = doc.url if doc.url and str(doc.url).startswith(("http://", "https://")) else None
    found = ctx.url or canonical
    # the canonical URL names the article when it is on the same site; a syndicated copy keeps its own
    url = canonical if canonical and (not ctx.url or _same_site(canonical, ctx.url)) else found
    from ..sources import source_of

    domain, country = source_of(found)
    extraction = {
        "extractor": extractor_name(), "input": ctx.input, "canonical_url": canonical,
        "fetched_url": ctx.fetched_url or ctx.url, "final_url": ctx.url,
        "content_type": ctx.content_type, "encoding": encoding, "date_from": date_from, "page_date": page_date,
        "declared_language": declared_lang, "language_confidence": conf,
        "description": doc.description or None, "tags": _tags(doc),
    }
    extraction.update({k: v for k, v in ctx.extra.items() if v is not None})
    return Article(text=body, id=ctx.id, date=adate, title=(doc.title or ctx.title or None),
                   source=ctx.source or domain, url=url, origin=origin, warnings=warnings,
                   source_domain=domain, source_country=country, author=doc.author or None,
                   site_name=doc.sitename or None, language=lang, extraction=extraction)


def _tags(doc) -> list[str]:
    out: list[str] = []
    for value in (doc.categories, doc.tags):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",")]
        for v in value or []:
            if v and v not in out:
                out.append(v)
    return out[:20]


HTML_FIELDS = ("html", "raw_html", "page_html", "content_html")
_WHOLE_PAGE = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


def html_field(row: dict, text_key: str | None = "text") -> str | None:
    """The HTML page of a JSON object or CSV row: an ``html`` field (or ``raw_html`` ...) when there is
    no usable text, or a text field that holds a whole HTML page; else None."""
    text = row.get(text_key) if text_key else None
    if isinstance(text, str) and text.strip():
        return text if _WHOLE_PAGE.match(text[:4096]) else None
    for key in HTML_FIELDS:
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def read_html(data: bytes, origin: str, default_id: str | None = None,
              options: ReadOptions | None = None):
    """One article from the bytes of a saved web page (``.html``, ``.htm``)."""
    if not data.strip():
        yield Rejected(origin, "empty file: no page to code", "check that the file was saved completely")
        return
    yield page_to_article(data, origin, PageContext(id=default_id, input="html"), options)
