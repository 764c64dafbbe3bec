"""Plots of a store (matplotlib, no display needed): dyad timeline, actor network, event codes.

Each function writes a PNG or SVG (chosen by the file suffix) and returns the path.
They take query results (pandas DataFrames) or a ``Store``; they never print.

    >>> from communique import open_store
    >>> from communique import plots
    >>> s = open_store("communique-data")
    >>> plots.dyad_timeline(s.dyad("CHN", "BLR"), "CHN", "BLR", "chn-blr.png")
    >>> plots.actor_network(s, "network.svg", top=15)
    >>> plots.code_distribution(s, "codes.png")
"""

from __future__ import annotations

import math
from pathlib import Path

from .errors import StoreError

QUADS = [("verbal_coop", "verbal cooperation", "#4c9a2a"), ("material_coop", "material cooperation", "#1f6f8b"),
         ("verbal_conflict", "verbal conflict", "#e69f00"), ("material_conflict", "material conflict", "#c0392b")]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise StoreError(f"cannot tell the image format of {path.name!r}", str(path), "name the file .png or .svg")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130, bbox_inches="tight")
    _plt().close(fig)
    return path


def dyad_timeline(df, a: str, b: str, path: str | Path, freq: str = "month") -> Path:
    """Event counts per quad class in each direction, and mean Goldstein score, per period."""
    plt = _plt()
    fig, axes = plt.subplots(3, 1, figsize=(10, 8), sharex=True, gridspec_kw={"height_ratios": [2, 2, 1.3]})
    directions = [(a, b), (b, a)]
    width_days = {"day": 0.8, "week": 5, "month": 25, "year": 300}.get(freq, 25)
    for ax, (src, tgt) in zip(axes[:2], directions, strict=True):
        sub = df[(df.source == src) & (df.target == tgt)] if len(df) else df
        bottom = None
        for col, label, color in QUADS:
            vals = sub[col].to_numpy() if len(sub) else []
            if len(sub):
                ax.bar(sub.period, vals, width=width_days, bottom=bottom, color=color, label=label)
                bottom = vals if bottom is None else bottom + vals
        ax.set_ylabel("events")
        ax.set_title(f"{src} → {tgt}", loc="left", fontsize=10)
        if not len(sub):
            ax.text(0.5, 0.5, "no events", transform=ax.transAxes, ha="center", va="center", color="grey")
    handles, labels = axes[0].get_legend_handles_labels() or axes[1].get_legend_handles_labels()
    if not handles:
        handles, labels = axes[1].get_legend_handles_labels()
    if handles:
        axes[0].legend(handles, labels, fontsize=8, ncols=4, loc="upper left", frameon=False)
    ax = axes[2]
    for (src, tgt), style in zip(directions, ("-o", "--s"), strict=True):
        sub = df[(df.source == src) & (df.target == tgt)] if len(df) else df
        if len(sub):
            ax.plot(sub.period, sub.mean_goldstein, style, label=f"{src} → {tgt}", markersize=4)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylim(-10.5, 10.5)
    ax.set_ylabel("mean Goldstein")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, frameon=False)
    fig.suptitle(f"{a} and {b}: de-duplicated events per {freq}")
    fig.autofmt_xdate()
    return _save(fig, path)


def network_edges(store, top: int = 15, level: str = "country"):
    """Edges (source, target, events, mean Goldstein) among the ``top`` most active actors.

    ``level``: "country" (actor countries) or "actor" (actor names)."""
    a, b = ("source_country", "target_country") if level == "country" else ("source_name", "target_name")
    return store.sql(f"""
        WITH e AS (SELECT {a} AS s, {b} AS t, goldstein FROM events
                   WHERE {a} IS NOT NULL AND {b} IS NOT NULL AND {a} <> {b}),
        top AS (SELECT x, count(*) AS n FROM (SELECT s AS x FROM e UNION ALL SELECT t FROM e)
                GROUP BY x ORDER BY n DESC, x LIMIT {int(top)})
        SELECT s AS source, t AS target, count(*) AS events, avg(goldstein) AS mean_goldstein
        FROM e WHERE s IN (SELECT x FROM top) AND t IN (SELECT x FROM top)
        GROUP BY ALL ORDER BY events DESC, source, target""")


def actor_network(store_or_edges, path: str | Path, top: int = 15, level: str = "country") -> Path:
    """The interaction network of the most active actors: edge width = events, colour = mean Goldstein."""
    plt = _plt()
    from matplotlib import cm, colors

    edges = network_edges(store_or_edges, top, level) if hasattr(store_or_edges, "sql") else store_or_edges
    fig, ax = plt.subplots(figsize=(8, 8))
    ax.set_axis_off()
    nodes: dict[str, int] = {}
    for r in edges.itertuples():
        nodes[r.source] = nodes.get(r.source, 0) + int(r.events)
        nodes[r.target] = nodes.get(r.target, 0) + int(r.events)
    if not nodes:
        ax.text(0.5, 0.5, "no interactions between known actors", ha="center", va="center", color="grey")
        return _save(fig, path)
    order = sorted(nodes, key=lambda n: (-nodes[n], n))
    pos = {n: (math.cos(2 * math.pi * i / len(order)), math.sin(2 * math.pi * i / len(order)))
           for i, n in enumerate(order)}
    norm = colors.Normalize(vmin=-10, vmax=10)
    cmap = plt.get_cmap("RdYlGn")
    wmax = max(int(r.events) for r in edges.itertuples())
    for r in edges.itertuples():
        (x1, y1), (x2, y2) = pos[r.source], pos[r.target]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops={"arrowstyle": "-|>", "color": cmap(norm(r.mean_goldstein)), "alpha": 0.8,
                                "lw": 0.8 + 5 * int(r.events) / wmax, "shrinkA": 12, "shrinkB": 12,
                                "connectionstyle": "arc3,rad=0.12"})
    nmax = max(nodes.values())
    for n, (x, y) in pos.items():
        ax.scatter([x], [y], s=200 + 1200 * nodes[n] / nmax, color="#dde6f0", edgecolors="#34495e", zorder=3)
        ax.text(x, y, n, ha="center", va="center", fontsize=8, zorder=4)
    sm = cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, fraction=0.04, pad=0.02, label="mean Goldstein (conflict … cooperation)")
    ax.set_title(f"Interactions among the {len(nodes)} most active {'countries' if level == 'country' else 'actors'}")
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    return _save(fig, path)


def code_distribution(store_or_df, path: str | Path) -> Path:
    """De-duplicated events per CAMEO root code, coloured by quad class."""
    plt = _plt()
    if hasattr(store_or_df, "sql"):
        df = store_or_df.sql("SELECT cameo_root AS root, any_value(quad_class) AS quad_class, count(*) AS events, "
                             "sum(num_mentions) AS mentions FROM events GROUP BY 1 ORDER BY 1")
    else:
        df = store_or_df
    names = {}
    try:
        from .kb import get_codebook

        cb = get_codebook()
        names = {r: cb.get(r).name.title() for r in df.root if cb.get(r) is not None}
    except Exception:  # noqa: BLE001 - names are a nicety
        pass
    fig, ax = plt.subplots(figsize=(10, 5))
    qcolor = {i + 1: c for i, (_, _, c) in enumerate(QUADS)}
    labels = [f"{r} {names.get(r, '')}".strip() for r in df.root]
    ax.barh(labels, df.events, color=[qcolor.get(int(q), "grey") for q in df.quad_class])
    ax.invert_yaxis()
    ax.set_xlabel("de-duplicated events")
    ax.set_title("Events by CAMEO root code")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=c, label=label) for _, label, c in QUADS], fontsize=8, frameon=False,
              loc="lower right")
    return _save(fig, path)
