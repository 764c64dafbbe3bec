"""Bytes to text: UTF-8 first, a guessed encoding with a warning otherwise, binary refused."""

from __future__ import annotations

import re
from datetime import date as _date

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class BinaryInput(ValueError):
    """The bytes are not text in any encoding we should guess."""


def looks_binary(sample: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters."""
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, enc in _BOMS if enc == "utf-16"):
        return False
    if b"\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(4, len(sample) // 20)


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode ``data``; return the text and a warning when it was not UTF-8.

    Raises ``BinaryInput`` for data that is not text, so that a PDF or an image
    handed to the coder is reported instead of producing mojibake events.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), None
            except UnicodeDecodeError:
                break
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
        return None, f"date {value!r} is not a string; coded without an article date"
    m = _ISO_DATE.match(value)
    if m:
        try:
            return _date(int(m[1]), int(m[2]), int(m[3])).isoformat(), None
        except ValueError:
            pass
    return None, (
        f"date {value!r} is not a date in YYYY-MM-DD form; coded without an article date, "
        "so relative times (\"Friday\", \"last week\") stay unresolved"
    )
