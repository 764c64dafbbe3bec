"""Text with marked spans, as segments a template renders (the template escapes every segment).

Nothing here builds HTML: ``segments`` cuts the text into ``(text, role)`` pieces and the
Jinja templates (autoescaping on) wrap the marked ones in ``<mark class="hl hl-ROLE">``. So an
article containing ``<script>`` shows it as text, wherever it is shown.
"""

from __future__ import annotations

ROLES = ("source", "target", "trigger", "place", "time", "quote", "speaker", "cue", "actor", "event")


def segments(text: str, spans: list[dict], start_key: str = "start", end_key: str = "end") -> list[dict]:
    """Cut ``text`` at the spans (offsets into ``text``); overlapping spans keep the first (longest)."""
    marks = sorted((s for s in spans if s.get(start_key) is not None and s.get(end_key) is not None
                    and 0 <= s[start_key] < s[end_key] <= len(text)),
                   key=lambda s: (s[start_key], -s[end_key]))
    out: list[dict] = []
    pos = 0
    for s in marks:
        a, b = s[start_key], s[end_key]
        if a < pos:
            continue
        if a > pos:
            out.append({"text": text[pos:a], "role": None})
        role = s.get("role") if s.get("role") in ROLES else "event"
        out.append({"text": text[a:b], "role": role, "title": s.get("title") or role, "href": s.get("href")})
        pos = b
    if pos < len(text):
        out.append({"text": text[pos:], "role": None})
    return out


def safe_url(url: str | None) -> str | None:
    """A link target only for http(s) URLs: ``javascript:`` and friends are shown, never linked."""
    if not url:
        return None
    low = url.strip().lower()
    return url.strip() if low.startswith(("http://", "https://")) else None
