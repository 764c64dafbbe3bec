"""`communique plot ...`: dyad timeline, actor network and event-code distribution (PNG or SVG)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail
from ._frames import STORE_OPT, open_store_or_fail

plot_app = typer.Typer(help="Draw a store: dyad timeline, actor network, event codes (.png or .svg).",
                       no_args_is_help=True)
app.add_typer(plot_app, name="plot")



@plot_app.command("dyad")
def plot_dyad(a: str = typer.Argument(...), b: str = typer.Argument(...), output: Path = typer.Argument(...),
              freq: str = typer.Option("month", "--freq", help="day, week, month or year."),
              store: Path = STORE_OPT) -> None:
    """Events between A and B per period (both directions) and mean Goldstein score."""
    from ..plots import dyad_timeline

    s = open_store_or_fail(store, events=True)
    try:
        dyad_timeline(s.dyad(a, b, freq), a.upper(), b.upper(), output, freq=freq)
    except CommuniqueError as e:
        fail(e)
    err.print(f"wrote {output}")


@plot_app.command("network")
def plot_network(output: Path = typer.Argument(...), top: int = typer.Option(15, "--top", min=2),
                 level: str = typer.Option("country", "--level", help="country or actor."),
                 store: Path = STORE_OPT) -> None:
    """Interaction network of the most active countries (or actors)."""
    from ..plots import actor_network

    try:
        s = open_store_or_fail(store, events=True)
        with s.guard():
            actor_network(s, output, top=top, level=level)
    except CommuniqueError as e:
        fail(e)
    err.print(f"wrote {output}")


@plot_app.command("codes")
def plot_codes(output: Path = typer.Argument(...), store: Path = STORE_OPT) -> None:
    """De-duplicated events per CAMEO root code."""
    from ..plots import code_distribution

    try:
        s = open_store_or_fail(store, events=True)
        with s.guard():
            code_distribution(s, output)
    except CommuniqueError as e:
        fail(e)
    err.print(f"wrote {output}")
