"""A small store for the web tests: hand-built records through the store writer (no spaCy), and the
de-duplication tables of the store contract (stories, story_articles, copies, changes, the new
events/articles columns) written in the contract's shape, as issue 11's writer will.

``build_store(root, contract=True)`` returns facts the tests check against.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

import _store_records as R  # noqa: E402

from communique.records import Acled, Time  # noqa: E402
from communique.store import Store  # noqa: E402
from communique.store.catalog import DEDUP, current_generation, write_json_atomic  # noqa: E402

# Extra actors and places for the synthetic articles (added to the shared test tables: keys are new).
R.PEOPLE.update({
    "Volodymyr Zelensky": ("UKRGOV", "UKR", "GOV"),
    "Russian troops": ("RUSMIL", "RUS", "MIL"),
    "Emmanuel Macron": ("FRAGOV", "FRA", "GOV"),
    "Belarus": ("BLR", "BLR", None),
})
R.PLACES.update({
    "Kyiv": ("UKR", 50.45, 30.52, 703448, "city"),
    "Moscow": ("RUS", 55.75, 37.62, 524901, "city"),
    "Paris": ("FRA", 48.85, 2.35, 2988507, "city"),
})

EVIL_TITLE = '<img src=x onerror="alert(1)"> Kyiv & <b>Moscow</b>'
EVIL_TEXT = ('Volodymyr Zelensky accused Russia of shelling Kyiv <script>alert("pwned")</script> on Monday.\n'
             'Zelensky said: "<b>We will not</b> <i>surrender</i> & we will win."')


def _with_time(pair, phrase: str, value: str):
    """Add a time expression (TIMEX3 value) for ``phrase`` to a hand-built record."""
    art, rec = pair
    i = art.text.index(phrase)
    rec.times.append(Time(id=f"t{len(rec.times) + 1}", span=R.Span(start=i, end=i + len(phrase), text=phrase),
                          value=value, type="DATE"))
    return art, rec


def reports() -> list:
    out = list(R.meeting_reports())
    out[0] = _with_time(out[0], "Friday", "2025-08-29")
    months = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"]
    for i, m in enumerate(months):
        d = f"{m}-1{i % 9 + 1}"
        t = (f"Russian troops shelled Kharkiv in Ukraine on {d}, officials said.\n"
             f"Volodymyr Zelensky accused Russia of war crimes.\n")
        out.append(_with_time(R.report(
            t, date=d, source="Kyiv Independent" if i % 2 else "Ukrinform", id=f"kh-{m}",
            url=f"https://example.org/kharkiv/{m}", tone=-4.0,
            events=[("Russian troops", "190", "Ukraine", "shelled", "Kharkiv", d),
                    ("Volodymyr Zelensky", "111", "Russia", "accused", None, d)],
        ), d, d))
        # the shelling is typed for ACLED users and carries PLOVER's extra modes (issue 17 columns)
        shelling = out[-1][1].events[0]
        shelling.acled = Acled(event_type="Explosions/Remote violence",
                               sub_event_type="Shelling/artillery/missile attack", rule="test")
        shelling.plover.modes, shelling.plover.contexts = ["heavy-weapons"], ["military"]
        # the conflict grows in the last month: more reports of new attacks
        if m == "2025-09":
            for k in range(4):
                dd = f"2025-09-2{k}"
                t2 = f"Russian troops attacked Kyiv in Ukraine on {dd} (report {k}).\n"
                out.append(R.report(t2, date=dd, source="Ukrinform", id=f"kyiv-{k}", tone=-5.0,
                                    events=[("Russian troops", "190", "Ukraine", "attacked", "Kyiv", dd)]))
        t3 = f"Vladimir Putin met Xi Jinping in Moscow ({m}).\nPutin said: \"Our partnership is strong.\"\n"
        out.append(R.report(t3, date=f"{m}-05", source="TASS", id=f"ru-cn-{m}", tone=2.0,
                            events=[("Vladimir Putin", "042", "Xi Jinping", "met", "Moscow", f"{m}-05")],
                            quotes=[("Vladimir Putin", "Our partnership is strong.", "said")]))
    t4 = 'Emmanuel Macron praised Alexander Lukashenko in Paris.\nEmmanuel Macron said: "Belarus deserves a free vote."\n'
    art, rec = R.report(t4, date="2025-07-14", source="AFP", id="fra-blr",
                        events=[("Emmanuel Macron", "036", "Alexander Lukashenko", "praised", "Paris", "2025-07-14")],
                        quotes=[("Emmanuel Macron", "Belarus deserves a free vote.", "said")])
    # an actor named inside the quote (for the quotes' "actor mentioned" filter)
    i = t4.index("Belarus deserves")
    rec.actors.append(R.Actor(id=f"a{len(rec.actors) + 1}", span=R.Span(start=i, end=i + 7, text="Belarus"),
                              name="Belarus", code="BLR", country="BLR", kind="country"))
    out.append((art, rec))
    out.append(R.report(EVIL_TEXT, date="2025-09-01", source="<i>Evil</i> Wire", id="evil-1",
                        url="javascript:alert(1)",
                        events=[("Volodymyr Zelensky", "111", "Russia", "accused", "Kyiv", "2025-09-01")],
                        quotes=[("Volodymyr Zelensky", "<b>We will not</b> <i>surrender</i> & we will win.",
                                 "said")]))
    out[-1][0].title = EVIL_TITLE
    out[-1][1].article.title = EVIL_TITLE
    return out


def _rewrite(path: Path, add: dict) -> None:
    """Set columns (name -> function(table) -> array) of one Parquet file in place: replaced where the
    writer already has the column (newer stores), appended where it does not."""
    t = pq.read_table(path, partitioning=None)
    for name, fn in add.items():
        i = t.schema.get_field_index(name)
        t = t.set_column(i, name, fn(t)) if i >= 0 else t.append_column(name, fn(t))
    pq.write_table(t, path, compression="zstd")


def _reseal(root: Path) -> None:
    """Record the rewritten files' new sizes and checksums in every manifest that lists them, as a
    writer of these tables would at commit (otherwise the store rightly reports them damaged)."""
    from communique.store.catalog import file_digest

    for mpath in [*root.glob("_manifests/*.json"), *root.glob(f"{DEDUP}/*/manifest.json")]:
        m = json.loads(mpath.read_text())
        sums = m.get("checksums")
        if not sums:
            continue
        m["checksums"] = {rel: (file_digest(root / rel) if (root / rel).exists() else d) for rel, d in sums.items()}
        write_json_atomic(mpath, m)


def add_contract_tables(store: Store) -> dict:
    """Write the de-duplication tables of STORE-CONTRACT.md into the current generation."""
    root = store.root
    gen = current_generation(root)
    mpath = root / DEDUP / gen / "manifest.json"
    manifest = json.loads(mpath.read_text())
    arts = store.sql("SELECT article_key, article_id, source, url, date, ingested_at FROM articles")
    by_id = dict(zip(arts.article_id, arts.article_key, strict=True))
    st_tianjin = "st-tianjin01"
    st_kharkiv = "st-kharkiv01"
    story_of = {by_id["belta-1"]: st_tianjin, by_id["xinhua-1"]: st_tianjin}
    story_of.update({k: st_kharkiv for i, k in by_id.items() if i.startswith("kh-")})
    domain = {"BELTA": ("belta.by", "BLR"), "Xinhua": ("xinhuanet.com", "CHN"), "TASS": ("tass.ru", "RUS"),
              "Ukrinform": ("ukrinform.net", "UKR")}
    for rel in store.catalog.live()["articles"]:
        _rewrite(root / rel, {
            "copy_of": lambda t: pa.nulls(t.num_rows, pa.string()),
            "story_id": lambda t: pa.array([story_of.get(k) for k in t["article_key"].to_pylist()], pa.string()),
            "source_domain": lambda t: pa.array([domain.get(s, (None,))[0] for s in t["source"].to_pylist()],
                                                pa.string()),
            "source_country": lambda t: pa.array([domain.get(s, (None, None))[1] for s in t["source"].to_pylist()],
                                                 pa.string()),
        })
    ev = store.sql("SELECT event_id, first_article_key FROM events ORDER BY event_id")
    ev_story = {e: story_of.get(a) for e, a in zip(ev.event_id, ev.first_article_key, strict=True)}
    seq_of = {e: 1 + i % 2 for i, e in enumerate(ev.event_id)}   # half the events changed in seq 2
    for rel in manifest["files"]["events"]:
        _rewrite(root / rel, {
            "story_id": lambda t: pa.array([ev_story[e] for e in t["event_id"].to_pylist()], pa.string()),
            "why": lambda t: pc.if_else(pc.greater(t["num_articles"], 1),
                                        pa.scalar("same source and target, 042, same day, Tianjin"),
                                        pa.scalar(None, pa.string())),
            "merge_confidence": lambda t: pc.if_else(pc.greater(t["num_articles"], 1), 0.93, 1.0),
            "updated_seq": lambda t: pa.array([seq_of[e] for e in t["event_id"].to_pylist()], pa.int64()),
        })
    gdir = root / DEDUP / gen
    at = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
    tables = {
        "stories": pa.table({
            "story_id": [st_tianjin, st_kharkiv],
            "title": ["Xi Jinping met Alexander Lukashenko in Tianjin", "Russian troops shelled Kharkiv"],
            "first_seen": pa.array([date(2025, 8, 29), date(2025, 3, 11)], pa.date32()),
            "last_seen": pa.array([date(2025, 8, 30), date(2025, 9, 17)], pa.date32()),
            "num_articles": pa.array([2, 7], pa.int32()), "num_sources": pa.array([2, 2], pa.int32()),
            "sources": pa.array([["BELTA", "Xinhua"], ["Kyiv Independent", "Ukrinform"]], pa.list_(pa.string())),
            "actors": pa.array([["CHNGOV", "BLRGOV"], ["RUSMIL", "UKR"]], pa.list_(pa.string())),
            "places": pa.array([["Tianjin"], ["Kharkiv"]], pa.list_(pa.string())),
            "why": ["2 articles share 61% of their words and the actors CHNGOV, BLRGOV",
                    "7 articles about the shelling of Kharkiv, linked day by day"],
            "updated_seq": pa.array([1, 2], pa.int64()),
        }),
        "story_articles": pa.table({
            "story_id": [story_of[k] for k in sorted(story_of)], "article_key": sorted(story_of),
            "similarity": [0.61] * len(story_of), "why": ["shared words and actors"] * len(story_of),
        }),
        "copies": pa.table({
            "article_key": ["sha1-copyofbelta1"], "copy_of": [by_id["belta-1"]], "similarity": [0.98],
            "method": ["near"], "source": ["Sputnik"], "url": ["https://sputnik.example/1"],
            "article_date": pa.array([date(2025, 8, 29)], pa.date32()), "ingested_at": pa.array([at]),
        }),
        "changes": pa.table({
            "seq": pa.array([seq_of[e] for e in ev.event_id] + [1, 2, 2], pa.int64()),
            "kind": ["event"] * len(ev) + ["story", "story", "event"],
            "id": list(ev.event_id) + [st_tianjin, st_kharkiv, "ev-deleted000001"],
            "op": ["created" if seq_of[e] == 1 else "updated" for e in ev.event_id] + ["created", "created",
                                                                                       "deleted"],
            "at": pa.array([at] * (len(ev) + 3)),
        }),
    }
    for name, t in tables.items():
        rel = f"{DEDUP}/{gen}/{name}/part.parquet"
        (gdir / name).mkdir(parents=True, exist_ok=True)
        pq.write_table(t, root / rel)
        manifest["files"][name] = [rel]
    write_json_atomic(mpath, manifest)
    _reseal(root)
    return {"stories": [st_tianjin, st_kharkiv], "seq_max": 2, "events": len(ev)}


def strip_to_old_store(root: Path) -> None:
    """Make ``root`` look like a store written before de-duplication layers and outlets existed:
    no stories, story_articles or copies tables, and none of their columns (the web must answer
    such a store with empty results and a note, never an error)."""
    gen = current_generation(root)
    mpath = root / DEDUP / gen / "manifest.json"
    m = json.loads(mpath.read_text())
    for name in ("stories", "story_articles", "copies", "signatures"):
        for rel in m.get("files", {}).pop(name, []):
            p = root / rel
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        shutil.rmtree(root / DEDUP / gen / name, ignore_errors=True)
        m["checksums"] = {rel: d for rel, d in m.get("checksums", {}).items() if f"/{name}/" not in rel}
    write_json_atomic(mpath, m)

    def drop(path: Path, names: tuple[str, ...]) -> None:
        t = pq.read_table(path, partitioning=None)
        t = t.drop_columns([n for n in names if n in t.column_names])
        pq.write_table(t, path, compression="zstd")

    for path in (root / DEDUP / gen / "events").rglob("*.parquet"):
        drop(path, ("story_id", "why", "merge_confidence", "num_stories"))
    for path in (root / "articles").rglob("*.parquet"):
        drop(path, ("copy_of", "story_id", "source_domain", "source_country"))
    # an old writer recorded no schema fingerprint for these files, so readers unify them by name
    for mp in root.glob("_manifests/*.json"):
        man = json.loads(mp.read_text())
        if (man.get("schemas") or {}).pop("articles", None) is not None:
            write_json_atomic(mp, man)
    _reseal(root)


def build_store(root: Path, contract: bool = True) -> dict:
    s = Store(root)
    items = reports()
    res = s.add(items)
    assert res["added"] == len(items), res
    facts = {"articles": len(items)}
    if contract:
        facts.update(add_contract_tables(s))
    s.close()
    if not contract:
        strip_to_old_store(root)
    return facts
