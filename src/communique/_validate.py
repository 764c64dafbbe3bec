"""Checks on what callers of the Python API pass in, with the CLI's rules and clear errors.

``code_text(None)``, bytes or a number, or a ``date`` that is neither text nor a date, raise a
``CommuniqueError`` saying what was expected, instead of failing deep inside a stage. A date
may be ``"YYYY-MM-DD"``, an ISO timestamp (``"2025-08-29T10:00:00Z"``, as the readers accept),
a ``datetime.date`` or a ``datetime.datetime``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from .errors import InputError

_NAMES = {type(None): "None", bytes: "bytes", bytearray: "bytes", int: "a number", float: "a number",
          bool: "a boolean", list: "a list", dict: "a dict", tuple: "a tuple"}


def kind_of(value: object) -> str:
    """How to name a value's type in a message (never "NoneType")."""
    return _NAMES.get(type(value), f"a {type(value).__name__}")


def check_text(text: object, where: str = "code_text") -> tuple[str, list[str]]:
    """The article text, with lone surrogates replaced (and a warning saying so)."""
    if isinstance(text, (bytes, bytearray)):
        raise InputError("the text is bytes, not str", where, "decode it first, e.g. text.decode('utf-8')")
    if not isinstance(text, str):
        raise InputError(f"the text must be a str, not {kind_of(text)}", where, "pass the article body as a str")
    if not text.strip():
        raise InputError("the text is empty", where, "pass the article body")
    from .readers._decode import replace_surrogates

    clean, n = replace_surrogates(text)
    return clean, [surrogate_warning(n)] if n else []


def surrogate_warning(n: int) -> str:
    return (f"the text held {n} lone surrogate code point(s) (such as a JSON \\ud800 escape), which are not "
            "characters; each was replaced with U+FFFD")


def check_date(value: object, where: str = "code_text", warnings: list[str] | None = None) -> str | None:
    """``YYYY-MM-DD`` (or None) from a str, ``datetime.date`` or ``datetime.datetime``. A str that is
    not a date raises, unless ``warnings`` is given: then, as the readers do for a row of a file, the
    article is coded without a date and the warning added there."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        from .readers._decode import normalise_date

        day, warning = normalise_date(value)
        if day is None:
            if warnings is not None:
                warnings.append(warning or f"date {value!r} is not a date")
                return None
            raise InputError(f"date {value!r} is not a date", where,
                             "give YYYY-MM-DD, an ISO timestamp, a datetime.date or a datetime.datetime")
        return day
    raise InputError(f"date must be a str, datetime.date or datetime.datetime, not {kind_of(value)}", where,
                     "give YYYY-MM-DD, an ISO timestamp, a datetime.date or a datetime.datetime")


def check_meta(where: str = "code_text", **fields: object) -> dict:
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name} must be a str (or None), not {kind_of(value)}", where, f"pass {name} as text")
    return fields


def check_kb(kb: object, where: str = "code_text") -> tuple[str, ...]:
    """Overlay tables: one path, or an iterable of paths."""
    if kb is None:
        return ()
    if isinstance(kb, str):
        return (kb,)
    if not isinstance(kb, Iterable):
        raise InputError(f"kb must be a path or a list of paths, not {kind_of(kb)}", where,
                         "pass kb=['my-overlay.tsv']")
    out = tuple(str(k) if hasattr(k, "__fspath__") else k for k in kb)
    bad = [k for k in out if not isinstance(k, str)]
    if bad:
        raise InputError(f"kb must hold paths, not {kind_of(bad[0])}", where, "pass kb=['my-overlay.tsv']")
    return out


__all__ = ["check_date", "check_kb", "check_meta", "check_text", "kind_of", "surrogate_warning"]
