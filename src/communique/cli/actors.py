"""`communique actors lookup`: how a name resolves against the actor knowledge base, and why."""

from __future__ import annotations

import datetime as _dt
import json
from enum import Enum

import typer

from ..errors import CommuniqueError
from ._app import app, fail, out

actors_app = typer.Typer(help="The actor knowledge base: look names up, see how they resolve and why.",
                         no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(actors_app, name="actors")


class LookupFormat(str, Enum):
    text = "text"
    json = "json"


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        fail(f"--date {value!r} is not a date. Try: --date YYYY-MM-DD")
    return None


def lookup(name: str, day: str | None, overlays: tuple[str, ...] = (), parse: bool = True) -> dict:
    """Everything ``actors lookup`` shows, as plain data (also used by tests)."""
    from ..kb import get_actor_kb
    from ..kb._text import actor_key

    kb = get_actor_kb(overlays)
    result: dict = {"name": name, "date": day, "key": actor_key(name),
                    "entries": kb.explain(name, day), "surname": None, "mentions": []}
    words = actor_key(name).split(" ")
    if not result["entries"] and len(words) == 1 and words[0]:
        person = kb.resolve_surname(words[0], day)
        if person is not None:
            result["surname"] = {"person_id": person.id, "name": person.name,
                                 "entries": kb.explain(person.name, day)}
        else:
            bearers = sorted(kb.surnames.get(words[0], ()))
            if bearers:
                result["surname"] = {"person_id": None, "ambiguous": bearers[:12],
                                     "country": kb.surname_country(words[0], day)}
    if parse:
        result["mentions"] = _mentions(name, day, overlays)
    result["versions"] = {k: v for k, v in kb.versions.items()}
    return result


def _mentions(text: str, day: str | None, overlays: tuple[str, ...]) -> list[dict]:
    """The name coded as a one-line article: the actor stage's mentions and the units behind them.

    ``confidence`` is the calibrated probability a record would carry (``calibration.py``), not
    the actor stage's raw score, which is shown as ``stage_score``."""
    from ..calibration import calibrate
    from ..pipeline import get_pipeline
    from ..stages._state import assemble, get_state

    pipe = get_pipeline(kb_overlays=overlays)
    nlp = pipe.nlp
    doc = nlp.make_doc(text)
    doc.user_data["communique_date"] = day
    for pname, proc in nlp.pipeline:
        doc = proc(doc)
        if pname == "communique_actors":
            break
    state = get_state(doc)
    units = nlp.get_pipe("communique_actors").units(doc)
    # the record's actors, confidence calibrated as in a coded record (depends on the actor alone)
    actors = assemble(state)["actors"]
    raw = [a.confidence for a in actors]
    actors = calibrate({"actors": actors}, pipe.calibration)["actors"]
    out_: list[dict] = []
    for i, m in enumerate(state.actors):
        ref = m.resolved(state.actors)
        parts = []
        for u in units:
            if m.start <= u.start and u.end <= m.end:
                e = u.entry
                parts.append({"text": doc[u.start:u.end].text, "kind": u.kind,
                              "ref": u.ref or None, "table": e.origin if e is not None and e.origin else None})
        out_.append({"id": f"a{i + 1}", "text": m.text, "name": ref.name, "code": ref.code,
                     "country": ref.country, "sector": ref.sector, "kind": m.kind, "role": m.role or ref.role,
                     "kb_id": ref.kb_id, "refers_to": f"a{m.refers_to + 1}" if m.refers_to is not None else None,
                     "confidence": round(actors[i].confidence, 2), "calibrated": pipe.calibration is not None,
                     "stage_score": raw[i], "units": parts})
    doc._.set("communique", None)
    return out_


@actors_app.command("lookup")
def lookup_cmd(
    name: str = typer.Argument(..., help="A name or phrase: 'Lukashenko', 'the Kremlin', 'Belarusian military'."),
    date: str | None = typer.Option(None, "--date", "-d",
                                    help="Resolve as of this day (YYYY-MM-DD); default: the knowledge base's present."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s) to add (see docs/KB.md)."),
    parse: bool = typer.Option(True, "--parse/--no-parse",
                               help="Also code the name as a sentence with the full pipeline (loads the model)."),
    fmt: LookupFormat = typer.Option(LookupFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Show each knowledge-base match for NAME, its tenure on the date, the resulting code, and why
    (table, row and source).

    Examples:

      communique actors lookup "Lukashenka" --date 2025-08-29

      communique actors lookup "Angela Merkel" --date 2022-01-10

      communique actors lookup "Taliban" --date 2002-05-01 --no-parse

      communique actors lookup "Jane Doe" --kb my_overlay.tsv
    """
    day = _check_date(date)
    try:
        res = lookup(name, day, tuple(kb), parse)
    except CommuniqueError as e:
        fail(e)
        return
    if fmt is LookupFormat.json:
        out.print_json(json.dumps(res, ensure_ascii=False))
        return
    _render(res)


def _render(res: dict) -> None:
    when = res["date"] or "the knowledge base's present (undated)"
    out.print(f"[bold]{res['name']}[/bold]  (key {res['key']!r}, as of {when})", highlight=False)
    entries = res["entries"]
    if not entries:
        out.print("  no knowledge-base entry for this exact phrase", highlight=False)
    for e in entries:
        _render_entry(e)
    sur = res.get("surname")
    if sur:
        if sur.get("person_id"):
            out.print(f"\n[bold]As a bare surname[/bold]: {sur['name']} ({sur['person_id']}), the one bearer "
                      "holding office on the date or the only one in the curated tables", highlight=False)
            for e in sur["entries"][:1]:
                _render_entry(e)
        else:
            out.print(f"\n[bold]As a bare surname[/bold]: ambiguous between {', '.join(sur['ambiguous'])}"
                      + (f"; all {sur['country']}" if sur.get("country") else ""), highlight=False)
    if res["mentions"]:
        out.print("\n[bold]Coded as a sentence[/bold] (the actor stage on the name alone):", highlight=False)
        for m in res["mentions"]:
            who = f"{m['name']} ({m['kb_id']})" if m["kb_id"] else m["name"]
            line = (f"  {m['id']} {m['text']!r} -> [bold]{m['code'] or '-'}[/bold] {m['kind']}"
                    + (f", role {m['role']}" if m["role"] else "") + f": {who}"
                    + (f", refers to {m['refers_to']}" if m["refers_to"] else ""))
            how = "calibrated probability" if m["calibrated"] else "uncalibrated: calibration.enabled=false"
            line += f"; confidence {m['confidence']:.2f} ({how}; actor stage score {m['stage_score']:.2f})"
            out.print(line, highlight=False, soft_wrap=True)
            built = "; ".join(f"{u['text']!r} {u['kind']}" + (f" ({u['table']})" if u["table"] else "")
                              for u in m["units"])
            if built:
                out.print(f"     built from: {built}", highlight=False, soft_wrap=True)


def _render_entry(e: dict) -> None:
    code = e.get("code") or "-"
    head = f"\n[bold]{e['kind']}[/bold] {e.get('name', e['ref'])} -> [bold]{code}[/bold]"
    if e["kind"] == "person":
        status = e.get("status")
        why = {"current": "holds this office on the date", "former": "out of office on the date: ELI (former)",
               "future": "not yet in office on the date", "undated": "no tenure rows"}.get(status, status)
        head += f"  ({e.get('role') or 'no role'}, {e.get('tenure')}: {why})"
    elif e["kind"] == "org" and e.get("tenure"):
        head += f"  (code valid {e['tenure']})"
    elif e["kind"] == "metonym":
        head += f"  ({e.get('metonym_kind')}; an actor only where it acts: subject, object, 'by'-agent)"
    elif e["kind"] == "adjective":
        head += "  (demonym: gives the country of the role noun or name it modifies)"
    elif e["kind"] == "agent":
        head += "  (role noun: gives the sector; the country comes from its modifiers)"
    out.print(head, highlight=False, soft_wrap=True)
    out.print(f"    entry: {e.get('table') or '?'}" + ("  [overlay]" if e.get("overlay") else "")
              + ("  [acronym: matches capitals only]" if e.get("acronym") else ""), highlight=False)
    if e.get("row") and e.get("row") != e.get("table"):
        out.print(f"    deciding row: {e['row']}", highlight=False)
    if e.get("source"):
        out.print(f"    source: {e['source']}", highlight=False)
    for t in e.get("tenures", []) if e["kind"] == "person" else []:
        out.print(f"      {t['start'] or '…':>10} .. {t['end'] or 'present':<10} {t['country']}{t['sector']:<4} "
                  f"{t['role'] or '':<20} {t['row']}", highlight=False, soft_wrap=True)
    for c in e.get("codes", []) if e["kind"] == "org" and len(e.get("codes", [])) > 1 else []:
        out.print(f"      {c['start'] or '…':>10} .. {c['end'] or 'present':<10} {c['country']}{c['sector']:<4} "
                  f"{c['row']}", highlight=False)
