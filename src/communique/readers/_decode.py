"""Bytes to text: UTF-8 first, a guessed encoding with a warning otherwise, binary refused.

UTF-16 and UTF-32 (with a byte-order mark, or UTF-16 without one when every other byte of
mostly-ASCII text is NUL) are recognised in every format: ``utf8_stream`` turns such a stream
into UTF-8 before the text, JSON Lines and CSV readers see it, so a file saved as "Unicode"
by Windows tools reads like any other instead of looking binary.
"""

from __future__ import annotations

import io
import re
from datetime import date as _date
from typing import BinaryIO

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_WIDE = ("utf-16", "utf-32", "utf-16-le", "utf-16-be")
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogate code points (JSON ``"\\ud800"`` escapes decode to them; they are not
    characters, cannot be encoded and break every later step) with U+FFFD, one for one so that
    offsets hold. Returns the text and how many were replaced."""
    return _SURROGATE.subn("\ufffd", text) if _SURROGATE.search(text) else (text, 0)


def wide_encoding(head: bytes) -> str | None:
    """``utf-16``/``utf-32`` (byte-order mark) or ``utf-16-le``/``-be`` (no mark, but the NUL bytes of
    mostly-ASCII UTF-16 text) for the first bytes of a stream; None for anything else."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc if enc in _WIDE else None
    sample = head[: len(head) - len(head) % 2]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        half = len(sample) // 2
        if odd.count(0) >= half * 0.6 and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) >= half * 0.6 and odd.count(0) == 0:
            return "utf-16-be"
    return None


class _Utf8Reader(io.RawIOBase):
    """A byte stream of UTF-8, read from a stream in another encoding (decoded as it is read)."""

    def __init__(self, raw: BinaryIO, encoding: str):
        self._text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")  # type: ignore[arg-type]
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._buf:
            chunk = self._text.read(65536)
            if not chunk:
                return 0
            self._buf = chunk.encode("utf-8", "replace")
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def utf8_stream(fh: BinaryIO) -> BinaryIO:
    """``fh`` itself, or, when it holds UTF-16/32, a stream of the same text as UTF-8."""
    if not hasattr(fh, "peek"):
        fh = io.BufferedReader(fh)  # type: ignore[arg-type]
    head = fh.peek(4096)[:4096]  # type: ignore[attr-defined]
    enc = wide_encoding(head)
    if enc is None:
        return fh
    return io.BufferedReader(_Utf8Reader(fh, enc), buffer_size=65536)  # type: ignore[return-value]


class BinaryInput(ValueError):
    """The bytes are not text in any encoding we should guess."""


def looks_binary(sample: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters."""
    if not sample:
        return False
    if wide_encoding(sample) is not None:
        return False
    if b"\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(4, len(sample) // 20)


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode ``data``; return the text and a warning when it was not UTF-8.

    Raises ``BinaryInput`` for data that is not text, so that a PDF or an image
    handed to the coder is reported instead of producing mojibake events.
    """
    enc = wide_encoding(data[:4096])
    for bom, bom_enc in _BOMS:
        if data.startswith(bom):
            enc = bom_enc
            break
    if enc is not None:
        try:
            # a declared UTF-16/32 file with a broken character keeps the rest (U+FFFD in its place)
            return data.decode(enc, errors="replace" if enc in _WIDE else "strict"), None
        except UnicodeDecodeError:
            pass
    if looks_binary(data[:8192]):
        raise BinaryInput("binary data (NUL or control bytes), not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        first_bad = err.start
    guess = _guess_encoding(data)
    text = data.decode(guess, errors="replace")
    return text, (
        f"not valid UTF-8 (first bad byte at offset {first_bad}); decoded as {guess}: "
        "check the characters, or convert the file to UTF-8"
    )


def _guess_encoding(data: bytes) -> str:
    # Mostly-ASCII text with a few accented letters is almost always Windows-1252
    # (detectors guess wildly on short samples); text that is mostly non-ASCII
    # (Cyrillic, Greek ...) needs the detector.
    sample = data[:65536]
    high = sum(1 for b in sample if b >= 0x80)
    if high <= len(sample) * 0.3:
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        if best is not None and best.encoding:
            return best.encoding
    except Exception:  # noqa: BLE001 - a detector failure must not stop reading
        pass
    return "cp1252"


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?\s*$")


def normalise_date(value: object) -> tuple[str | None, str | None]:
    """Return ``(YYYY-MM-DD, None)`` or ``(None, warning)`` for an article date."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        try:
            shown = repr(value)
        except RecursionError:
            shown = "(a nested value)"
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return None, f"date {shown} is not a string; coded without an article date"
    m = _ISO_DATE.match(value)
    if m:
        try:
            return _date(int(m[1]), int(m[2]), int(m[3])).isoformat(), None
        except ValueError:
            pass
    shown = repr(value) if len(value) <= 60 else repr(value[:57]) + "..."
    return None, (
        f"date {shown} is not a date in YYYY-MM-DD form; coded without an article date, "
        "so relative times (\"Friday\", \"last week\") stay unresolved"
    )
