"""Human-readable summaries of coded records (for `code --format summary` and the demo)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..records import Record


def _who(p) -> str:
    if p is None:
        return "-"
    code = f" [{p.code}]" if p.code else ""
    return f"{p.name}{code}"


def render_record(rec: Record, console: Console, max_rows: int = 40) -> None:
    a = rec.article
    console.rule(f"[bold]{a.id}[/bold]  {a.date or 'no date'}  {a.title or ''}")
    actors = {}
    for act in rec.actors:
        key = (act.name, act.code)
        actors.setdefault(key, [0, act.kind, act.role])[0] += 1
    if actors:
        t = Table(title="Actors", show_edge=False, expand=False)
        for col in ("name", "code", "kind", "role", "mentions"):
            t.add_column(col)
        for (name, code), (n, kind, role) in sorted(actors.items(), key=lambda kv: -kv[1][0])[:max_rows]:
            t.add_row(name, code or "-", kind, role or "", str(n))
        console.print(t)
    if rec.events:
        places = {p.id: p for p in rec.places}
        t = Table(title="Events", show_edge=False)
        for col in ("source", "→ target", "CAMEO", "PLOVER", "trigger", "modality", "date", "where"):
            t.add_column(col)
        for e in sorted(rec.events, key=lambda e: -e.confidence)[:max_rows]:
            where = places[e.location.place].name if e.location and e.location.place in places else ""
            mod = e.modality + (" NEG" if e.negated else "")
            t.add_row(_who(e.source), _who(e.target), e.cameo, e.plover.event, e.trigger.text, mod,
                      e.date or "", where)
        console.print(t)
    if rec.quotes:
        t = Table(title="Quotes", show_edge=False)
        for col in ("speaker", "type", "cue", "quote"):
            t.add_column(col)
        for q in rec.quotes[:max_rows]:
            text = q.span.text if len(q.span.text) < 90 else q.span.text[:87] + "..."
            sp = q.speaker.name or "?"
            if q.speaker.code:
                sp += f" [{q.speaker.code}]"
            t.add_row(sp, q.type, q.cue.text if q.cue else "", text)
        console.print(t)
    if rec.places:
        seen = {}
        for p in rec.places:
            seen.setdefault((p.name, p.country, p.lat, p.lon, p.feature), 0)
            seen[(p.name, p.country, p.lat, p.lon, p.feature)] += 1
        console.print("[bold]Places:[/bold] " + "; ".join(
            f"{n} ({c}, {lat:.2f},{lon:.2f}, {f})" if lat is not None else f"{n} ({c})"
            for (n, c, lat, lon, f) in list(seen)[:max_rows]))
    if rec.times:
        console.print("[bold]Times:[/bold] " + "; ".join(f"{t.span.text} = {t.value}" for t in rec.times[:max_rows]))
    console.print(f"[bold]Tone:[/bold] {rec.tone.tone:+.2f} (positive {rec.tone.positive:.1f}%, "
                  f"negative {rec.tone.negative:.1f}%, {rec.tone.words} words)")
    for w in rec.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}", highlight=False)
