"""The typer application and the helpers every command shares."""

from __future__ import annotations

import sys
from enum import Enum

import typer
from rich.console import Console

from .._version import __version__
from ..errors import CommuniqueError

app = typer.Typer(
    name="communique",
    help="Turn news articles into political event data: actors, CAMEO/PLOVER events, speaker-attributed "
         "quotes, places, dates and tone, each with its evidence span.\n\n"
         "Start with [bold]communique code ARTICLE.txt[/bold] or [bold]communique demo[/bold].",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"communique {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """communique: news articles in, political event data out."""


def fail(error: CommuniqueError | str, code: int = 2) -> None:
    """Print an error that says what to do, and exit."""
    # soft_wrap: a path or command in the message must stay on one line to be copied
    err.print(f"[bold red]error:[/bold red] {error}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {message}", highlight=False, soft_wrap=True)


def show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


class InFormat(str, Enum):
    """How to read inputs (``--input-format``); ``auto`` goes by the file suffix."""

    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    html = "html"
    warc = "warc"
    urls = "urls"
    feeds = "feeds"
