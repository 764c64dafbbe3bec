"""`communique query ...`: dyads, events, quotes, actors, outlets, full-text search, errors and SQL."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail
from ._frames import STORE_OPT, TableFormat, open_store_or_fail, print_frame

query_app = typer.Typer(help="Ask the store: dyads, events, quotes, actors, full-text search, errors, SQL.",
                        no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(query_app, name="query")

FMT_OPT = typer.Option(TableFormat.table, "--format", "-f", help="table, csv, tsv, json or jsonl.")
# --source/--target name the acting sides of events (CAMEO's source actor); the news outlet is --outlet
OUTLET_OPT = typer.Option(None, "--outlet", help="Only events reported by this outlet: its domain (bbc.co.uk, "
                          "GDELT's SourceCommonName) or the source name given with the articles.")
OUTLET_COUNTRY_OPT = typer.Option(None, "--outlet-country", help="Only events reported by outlets of this "
                                  "country (ISO alpha-3 of the outlet, e.g. RUS).")
OUT_OPT = typer.Option(None, "--output", "-o", help="Write csv/json here instead of stdout.")


class Freq(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


@query_app.command("dyad")
def dyad_cmd(
    a: str = typer.Argument(..., help="Country (ISO alpha-3, e.g. CHN) or actor code (CHNGOV)."),
    b: str = typer.Argument(..., help="The other side."),
    freq: Freq = typer.Option(Freq.month, "--freq", help="Period: day, week, month or year."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Up to this date."),
    one_way: bool = typer.Option(False, "--one-way", help="Only A acting on B (default: both directions)."),
    plot: Path | None = typer.Option(None, "--plot", help="Also draw the timeline (.png or .svg)."),
    outlet: str | None = OUTLET_OPT, outlet_country: str | None = OUTLET_COUNTRY_OPT,
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Events between two actors per period: counts per quad class and mean Goldstein, both directions.

    Example: communique query dyad CHN BLR --freq month --plot chn-blr.png

    As reported by one country's outlets: communique query dyad CHN BLR --outlet-country RUS
    """
    s = open_store_or_fail(store, events=True)
    try:
        df = s.dyad(a, b, freq.value, since, until, both=not one_way, outlet=outlet, outlet_country=outlet_country)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, title=f"{a.upper()} ↔ {b.upper()} per {freq.value} (de-duplicated events)", output=output,
                headers={"verbal_coop": "vcoop", "material_coop": "mcoop", "source": "src", "target": "tgt",
                         "verbal_conflict": "vconf", "material_conflict": "mconf", "articles": "arts",
                         "mean_goldstein": "gold", "mentions": "ments"})
    if plot is not None:
        from ..plots import dyad_timeline

        try:
            dyad_timeline(df, a.upper(), b.upper(), plot, freq=freq.value)
        except CommuniqueError as e:
            fail(e)
        err.print(f"plot written to {plot}")


@query_app.command("events")
def events_cmd(
    actor: str | None = typer.Option(None, "--actor", help="Actor name (part of it) or actor code."),
    country: str | None = typer.Option(None, "--country", help="Either side's country (ISO alpha-3)."),
    sector: str | None = typer.Option(None, "--sector", help="Either side's sector: GOV, MIL, OPP, ..."),
    code: str | None = typer.Option(None, "--code", help="CAMEO code or prefix (04, 042, 0421)."),
    root: str | None = typer.Option(None, "--root", help="CAMEO root code (01-20)."),
    since: str | None = typer.Option(None, "--since", help="From this event date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Up to this event date."),
    location: str | None = typer.Option(None, "--location", help="Place name (part of it) or its country."),
    text: str | None = typer.Option(None, "--text", help="Words that must occur in a reporting sentence."),
    source: str | None = typer.Option(None, "--source", help="Acting side (country or code)."),
    target: str | None = typer.Option(None, "--target", help="Side acted upon (country or code)."),
    min_articles: int = typer.Option(1, "--min-articles", min=1, help="Reported by at least N articles."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="At most N events (newest first)."),
    min_confidence: float | None = typer.Option(None, "--min-confidence", min=0.0, max=1.0,
                                                help="Only events coded right with at least this probability "
                                                     "(calibrated: of events at 0.8, about 80% are right)."),
    story: str | None = typer.Option(None, "--story", help="Only events reported in this story (a story_id "
                                     "from `communique query stories`)."),
    outlet: str | None = OUTLET_OPT, outlet_country: str | None = OUTLET_COUNTRY_OPT,
    acled: str | None = typer.Option(None, "--acled-type", help="ACLED event type or sub-event type of a "
                                     "mention: Battles, Protests, 'Peaceful protest', 'Air/drone strike', ..."),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """De-duplicated events matching all the filters given, newest first.

    Example: communique query events --acled-type "Excessive force against protesters" --country KEN
    """
    from ..store import EventFilter

    s = open_store_or_fail(store, events=True)
    f = EventFilter(actor=actor, country=country, sector=sector, code=code, root=root, since=since, until=until,
                    location=location, text=text, source=source, target=target, min_articles=min_articles,
                    limit=limit, outlet=outlet, outlet_country=outlet_country, min_confidence=min_confidence,
                    acled=acled, story=story)
    try:
        df = s.events(f)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, title="Events", output=output, max_width=14,
                columns=["date", "source_name", "cameo", "target_name", "place_name",
                         "num_articles", "evidence"],
                headers={"source_name": "source", "target_name": "target", "plover_event": "plover",
                         "place_name": "place", "num_articles": "arts"})


@query_app.command("stories")
def stories_cmd(
    actor: str | None = typer.Option(None, "--actor", help="An event of the story has this actor (name or code)."),
    country: str | None = typer.Option(None, "--country", help="An event of the story involves this country."),
    sector: str | None = typer.Option(None, "--sector", help="Either side's sector: GOV, MIL, OPP, ..."),
    code: str | None = typer.Option(None, "--code", help="An event of the story has this CAMEO code or prefix."),
    root: str | None = typer.Option(None, "--root", help="CAMEO root code (01-20)."),
    since: str | None = typer.Option(None, "--since", help="Stories seen on or after this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Stories that began on or before this date."),
    location: str | None = typer.Option(None, "--location", help="Place name (part of it) or its country."),
    text: str | None = typer.Option(None, "--text", help="Words that must occur in a reporting sentence."),
    source: str | None = typer.Option(None, "--source", help="Acting side (country or code)."),
    target: str | None = typer.Option(None, "--target", help="Side acted upon (country or code)."),
    min_articles: int = typer.Option(1, "--min-articles", min=1, help="Stories of at least N articles."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="At most N stories (newest first)."),
    outlet: str | None = OUTLET_OPT, outlet_country: str | None = OUTLET_COUNTRY_OPT,
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Stories: articles about the same happening, with why they were grouped. The event filters
    keep the stories with at least one matching event.

    Example: communique query stories --country BLR --format jsonl
    Then:    communique query events --story ST-ID
    """
    from ..store import EventFilter

    s = open_store_or_fail(store, events=True)
    f = EventFilter(actor=actor, country=country, sector=sector, code=code, root=root, since=since, until=until,
                    location=location, text=text, source=source, target=target, min_articles=min_articles,
                    limit=limit, outlet=outlet, outlet_country=outlet_country)
    try:
        df = s.stories(f)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, title="Stories", output=output, max_width=24,
                columns=["story_id", "first_seen", "last_seen", "n_articles", "n_sources", "title"],
                headers={"n_articles": "arts", "n_sources": "srcs"})


@query_app.command("quotes")
def quotes_cmd(
    speaker: str | None = typer.Option(None, "--speaker", help="Speaker name (part of it) or actor code."),
    contains: str | None = typer.Option(None, "--contains", help="Words that must all occur in the quote."),
    since: str | None = typer.Option(None, "--since"), until: str | None = typer.Option(None, "--until"),
    limit: int = typer.Option(50, "--limit", "-n", min=1),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Quotes by speaker and content. Example: communique query quotes --speaker Lukashenko --contains China"""
    s = open_store_or_fail(store)
    try:
        df = s.quotes(speaker, contains, since, until, limit)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, title="Quotes", output=output, max_width=24,
                columns=["date", "speaker", "cue", "quote"])


@query_app.command("actors")
def actors_cmd(
    top: int = typer.Option(20, "--top", "-n", min=1, help="How many."),
    kind: str | None = typer.Option(None, "--kind", help="person, organization, country or group."),
    country: str | None = typer.Option(None, "--country"),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """The most mentioned actors, with how many articles and events they appear in."""
    s = open_store_or_fail(store)
    print_frame(s.actors(top, kind, country), fmt, title=f"Top {top} actors", output=output)


@query_app.command("outlets")
def outlets_cmd(
    by: str = typer.Option("outlet", "--by", help="outlet (one row per domain) or country (per outlet country)."),
    country: str | None = typer.Option(None, "--country", help="Only outlets of this country (ISO alpha-3)."),
    since: str | None = typer.Option(None, "--since", help="Articles from this date."),
    until: str | None = typer.Option(None, "--until", help="Articles up to this date."),
    top: int = typer.Option(50, "--top", "-n", min=1),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Articles, coded event mentions and events per outlet (source domain) or per outlet country.

    Example: communique query outlets --by country
    """
    s = open_store_or_fail(store)
    try:
        df = s.outlets(by, country, since, until, top)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, title="Outlets" if by == "outlet" else "Outlet countries", output=output,
                headers={"event_mentions": "mentions", "first_article": "first", "last_article": "last"})


@query_app.command("search")
def search_cmd(
    words: list[str] = typer.Argument(..., help='Words to find; "quoted phrases" must occur verbatim.'),
    any_term: bool = typer.Option(False, "--any", help="Articles with any of the words (default: all)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Full-text search over article text, best first (BM25)."""
    s = open_store_or_fail(store)
    try:
        df = s.search(" ".join(words), limit, any_term)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, title="Articles", output=output, max_width=30,
                columns=["date", "title", "score", "snippet"])


@query_app.command("errors")
def errors_cmd(
    all_: bool = typer.Option(False, "--all", help="Also errors of articles coded successfully since."),
    limit: int = typer.Option(100, "--limit", "-n", min=1),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Inputs that could not be coded, with the reason and what to do."""
    s = open_store_or_fail(store)
    where = "TRUE" if all_ else "NOT resolved"
    df = s.sql(f"SELECT origin, article_id, stage, reason, hint, ingested_at FROM errors WHERE {where} "
               f"ORDER BY ingested_at, origin LIMIT {int(limit)}")
    print_frame(df, fmt, title="Errors", output=output, max_width=40,
                columns=["origin", "stage", "reason", "hint"])


@query_app.command("sql")
def sql_cmd(
    query: str = typer.Argument(..., help="SQL over the views: articles, events, event_mentions, mentions, "
                                          "actors, quotes, places, times, errors, terms."),
    store: Path = STORE_OPT, fmt: TableFormat = FMT_OPT, output: Path | None = OUT_OPT,
) -> None:
    """Any SQL (DuckDB dialect) against the store.

    DuckDB SQL can read and write any file you can (read_csv, COPY ... TO, ATTACH ...): this
    command is for your own command line only. It is never offered through the web server or
    any other interface that takes SQL from someone else.
    """
    s = open_store_or_fail(store)
    try:
        df = s.sql(query)
    except CommuniqueError as e:
        fail(e)
    print_frame(df, fmt, output=output)
