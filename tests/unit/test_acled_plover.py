"""ACLED types and PLOVER modes/contexts of coded events (issue 17).

Table-driven: hand-built events (pure functions, fast) and hand-built sentences through
the whole pipeline (``slow``: they load the spaCy model), including passive and
lower-case sentences, plus the errors a malformed mapping table must raise.
"""

from __future__ import annotations

import pytest

from communique.errors import KnowledgeBaseError
from communique.kb.acled import ACLED_TYPES, acled_of, get_acled_table, load_acled_table
from communique.kb.describe import describe_event
from communique.kb.plover import PLOVER_CONTEXTS, load_plover_tables, plover_of
from communique.kb.tables import data_path
from communique.records import Event, Participant, Plover, SentenceSpan, Span

CODES = {"173": "COERCE", "175": "ASSAULT", "182": "ASSAULT", "183": "ASSAULT", "190": "ASSAULT",
         "193": "ASSAULT", "195": "ASSAULT", "1821": "ASSAULT", "181": "ASSAULT", "192": "COERCE",
         "141": "PROTEST", "145": "PROTEST", "143": "PROTEST", "0871": "RETREAT", "154": "MOBILIZE",
         "042": "CONSULT", "041": "CONSULT", "051": "SUPPORT", "036": "AGREE", "2041": "ASSAULT",
         "171": "COERCE", "0874": "RETREAT"}


def _who(name: str | None, sector: str | None = None) -> Participant | None:
    if name is None:
        return None
    return Participant(span=Span(start=0, end=len(name), text=name), name=name, sector=sector)


def _event(cameo: str, sentence: str, source=None, target=None, *, mode: str | None = None,
           negated: bool = False, modality: str = "asserted") -> Event:
    return Event(id="e1", sentence=SentenceSpan(start=0, end=len(sentence)),
                 trigger=Span(start=0, end=1, text=sentence[:1]), source=source, target=target,
                 cameo=cameo, cameo_root=cameo[:2], plover=Plover(event=CODES[cameo], mode=mode),
                 goldstein=-5.0, quad_class=4, negated=negated, modality=modality, confidence=0.9)


# (cameo, sentence, source (name, sector), target (name, sector), ACLED type, sub-event type)
ACLED_CASES = [
    ("173", "Police arrested 12 protesters in Nairobi.", ("Police", "COP"), ("12 protesters", "CVL"),
     "Protests", "Protest with intervention"),
    ("173", "police arrested 12 protesters in nairobi.", ("police", "COP"), ("12 protesters", "CVL"),
     "Protests", "Protest with intervention"),
    ("173", "The suspects were arrested by police on Tuesday.", ("police", "COP"), None,
     "Strategic developments", "Arrests"),
    ("182", "Three students were beaten by police during the march.", ("police", "COP"), ("Three students", "EDU"),
     "Protests", "Protest with intervention"),
    ("190", "Security forces killed two protesters in Khartoum.", ("Security forces", "COP"),
     ("two protesters", "CVL"), "Protests", "Excessive force against protesters"),
    ("190", "security forces opened fire on a rally, killing four people.", ("security forces", "COP"),
     ("four people", None), "Protests", "Excessive force against protesters"),
    ("190", "Government troops clashed with rebels near Goma.", ("Government troops", "MIL"), ("rebels", "REB"),
     "Battles", "Armed clash"),
    ("193", "Gunmen killed five villagers in Zamfara.", ("Gunmen", "UAF"), ("five villagers", "CVL"),
     "Violence against civilians", "Attack"),
    ("190", "five villagers were killed by militiamen.", ("militiamen", None), ("five villagers", None),
     "Violence against civilians", "Attack"),
    ("190", "An air strike killed 20 civilians in Idlib.", None, ("20 civilians", "CVL"),
     "Explosions/Remote violence", "Air/drone strike"),
    ("195", "Warplanes bombed the town.", None, None, "Explosions/Remote violence", "Air/drone strike"),
    ("183", "A roadside bomb killed three soldiers.", None, ("three soldiers", "MIL"),
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("190", "Rebels shelled the city overnight.", ("Rebels", "REB"), None,
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("1821", "Soldiers raped women in the village.", ("Soldiers", "MIL"), ("women", None),
     "Violence against civilians", "Sexual violence"),
    ("181", "Gunmen kidnapped 30 pupils from a school.", ("Gunmen", "UAF"), ("30 pupils", None),
     "Violence against civilians", "Abduction/forced disappearance"),
    ("192", "Rebels seized the town of Bunia.", ("Rebels", "REB"), None,
     "Battles", "Non-state actor overtakes territory"),
    ("192", "The army recaptured the town from the rebels.", ("The army", "MIL"), None,
     "Battles", "Government regains territory"),
    ("141", "Thousands of demonstrators rallied in Tunis.", ("demonstrators", "CVL"), None,
     "Protests", "Peaceful protest"),
    ("141", "Police dispersed hundreds of demonstrators with tear gas.", ("demonstrators", "CVL"), None,
     "Protests", "Protest with intervention"),
    ("145", "Protesters rioted in the capital.", ("Protesters", "CVL"), None, "Riots", "Violent demonstration"),
    ("190", "A mob lynched two men accused of theft.", ("A mob", "CVL"), ("two men", None), "Riots", "Mob violence"),
    ("190", "police killed two suspected robbers in lagos.", ("police", "COP"), ("two suspected robbers", "CRM"),
     "Violence against civilians", "Attack"),
    ("175", "the rioters were dispersed by riot police using tear gas.", ("riot police", "COP"),
     ("the rioters", "OPP"), "Riots", "Violent demonstration"),
    ("190", "security personnel opened fire on the mob, killing two.", ("security personnel", "MIL"),
     ("the mob", "CVL"), "Riots", "Mob violence"),
    ("190", "the police opened fire to disperse the mob, killing two.", ("the police", "COP"), None,
     "Riots", "Mob violence"),
    ("182", "Riot police beat a journalist outside the court.", ("Riot police", "COP"), ("a journalist", "JRN"),
     "Violence against civilians", "Attack"),       # "riot police" is not a riot
    ("175", "the police lobbed tear gas shells at the crowd.", ("the police", "COP"), ("the crowd", "CVL"),
     "Protests", "Protest with intervention"),          # tear gas shells are not shelling
    ("175", "Police fired stun grenades at the crowd.", ("Police", "COP"), None,
     "Protests", "Protest with intervention"),
    ("175", "The army used force against the rebels.", ("The army", "MIL"), ("the rebels", "REB"),
     "Battles", "Armed clash"),
    ("190", "Troops shot the opposition lawmaker.", ("Troops", "MIL"), ("the opposition lawmaker", "LEG"),
     "Violence against civilians", "Attack"),
    ("190", "Troops attacked the town.", ("Troops", "MIL"), ("the town", None), "Battles", "Armed clash"),
    ("183", "A suicide bomber blew himself up at a checkpoint.", None, None,
     "Explosions/Remote violence", "Suicide bomb"),
    ("190", "Militants hurled a grenade at a police post.", ("Militants", "REB"), ("a police post", "COP"),
     "Explosions/Remote violence", "Grenade"),
    ("2041", "Government forces used sarin against the town.", ("Government forces", "MIL"), None,
     "Explosions/Remote violence", "Chemical weapon"),
    ("190", "Police defused a bomb near the market.", ("Police", "COP"), None,
     "Strategic developments", "Disrupted weapons use"),
    ("171", "Soldiers looted shops in the market.", ("Soldiers", "MIL"), ("shops", None),
     "Strategic developments", "Looting/property destruction"),
    ("0874", "Rebels withdrew from the town.", ("Rebels", "REB"), None,
     "Strategic developments", "Non-violent transfer of territory"),
    ("0871", "The two sides declared a truce.", ("The two sides", None), None, "Strategic developments", "Agreement"),
    ("036", "Russia and Ukraine agreed to a ceasefire.", ("Russia", None), ("Ukraine", None),
     "Strategic developments", "Agreement"),
    ("154", "The army deployed troops to the border.", ("The army", "MIL"), None,
     "Strategic developments", "Change to group/activity"),
]


@pytest.mark.parametrize(("cameo", "sentence", "source", "target", "etype", "sub"), ACLED_CASES)
def test_acled_type_from_code_participants_and_words(cameo, sentence, source, target, etype, sub):
    modality = "intended" if cameo.startswith("03") else "asserted"
    ev = _event(cameo, sentence, _who(*source) if source else None, _who(*target) if target else None,
                modality=modality)
    got = acled_of(ev, sentence)
    assert got is not None, sentence
    assert (got.event_type, got.sub_event_type) == (etype, sub), got.rule
    assert sub in ACLED_TYPES[etype]


@pytest.mark.parametrize(("cameo", "sentence", "kwargs"), [
    ("042", "Lukashenko visited Beijing.", {}),                                    # cooperation: not ACLED
    ("051", "Macron praised the deal.", {}),
    ("190", "The army did not attack the town.", {"negated": True}),               # did not happen
    ("190", "The army said it would attack the town.", {"modality": "hypothetical"}),
    ("173", "Police will arrest the organisers.", {"modality": "intended"}),        # not yet
])
def test_no_acled_type_for_other_or_unreal_events(cameo, sentence, kwargs):
    assert acled_of(_event(cameo, sentence, **kwargs), sentence) is None


def test_the_deciding_rule_is_named():
    got = acled_of(_event("141", "Protesters marched peacefully."), "Protesters marched peacefully.")
    assert got.rule == "peaceful"
    rules = {r.name for r in get_acled_table().rules}
    assert got.rule in rules


def test_participant_classes_by_name_before_sector():
    table = get_acled_table()
    # agents.tsv files protesters under CVL; the name makes them protesters, and police are state forces
    assert "protester" in table.classes_of(_who("student protesters", "EDU"))
    assert {"state_force", "armed"} <= table.classes_of(_who("riot police", None))
    assert {"nonstate_armed", "armed"} <= table.classes_of(_who("armed men", None))
    assert table.classes_of(None) == frozenset()


# -- PLOVER modes and contexts ------------------------------------------------------------------

# (cameo, CAMEO2PLOVER mode, sentence, expected modes (in order), modes that must be absent)
MODE_CASES = [
    ("190", None, "Riot police fired tear gas and rubber bullets at the crowd.", ["crowd-control"], ["firearms"]),
    ("175", None, "The police lobbed tear gas shells at the crowd.", ["crowd-control"], ["heavy-weapons"]),
    ("183", "suicide-attack", "A roadside bomb killed three soldiers.", ["explosives"], ["suicide-attack"]),
    ("183", "suicide-attack", "A suicide bomber killed three soldiers.", ["suicide-attack"], []),
    ("041", None, "Biden spoke by phone with Scholz.", ["phone"], ["visit"]),
    ("042", "visit", "Lukashenko visited Beijing.", ["visit"], ["phone"]),
    ("143", "boycott", "Workers began a hunger strike.", ["hunger"], ["strike"]),
    ("143", "boycott", "Dock workers went on strike.", ["strike"], ["hunger"]),
    ("173", "arrest", "Police detained the opposition leader.", ["arrest"], []),
    ("182", "beat", "Three students were beaten by police.", ["beat"], []),
    ("193", "firearms", "Gunmen opened fire on the bus.", ["firearms"], []),
]


@pytest.mark.parametrize(("cameo", "mode", "sentence", "expected", "absent"), MODE_CASES)
def test_plover_modes_from_code_and_words(cameo, mode, sentence, expected, absent):
    got = plover_of(_event(cameo, sentence, mode=mode), sentence)
    assert got.modes[:len(expected)] == expected
    for m in absent:
        assert m not in got.modes
    assert got.mode == mode          # the CAMEO2PLOVER mode is kept as it was


def test_types_without_modes_get_none():
    sentence = "Russia and Ukraine agreed to a ceasefire by phone."
    assert plover_of(_event("036", sentence), sentence).modes == []


# (cameo, sentence, source, target, contexts that must be present, contexts that must be absent)
CONTEXT_CASES = [
    ("042", "The foreign minister visited the refugee camp.", None, None, ["diplomatic", "migration"], []),
    ("190", "Police killed two suspected robbers.", ("Police", "COP"), ("robbers", "CRM"), ["crime"], ["military"]),
    ("190", "Troops killed two militants.", ("Troops", "MIL"), ("militants", "REB"), ["military"], []),
    ("141", "Thousands rallied for women's rights before the election.", None, None,
     ["election", "gender", "rights_freedoms"], []),
    ("141", "Workers staged a hunger strike.", None, None, [], ["human_security"]),
    ("195", "Jets bombed a hospital during the cholera outbreak.", None, None, ["health"], []),
]


@pytest.mark.parametrize(("cameo", "sentence", "source", "target", "present", "absent"), CONTEXT_CASES)
def test_plover_contexts_from_code_and_words(cameo, sentence, source, target, present, absent):
    ev = _event(cameo, sentence, _who(*source) if source else None, _who(*target) if target else None)
    got = plover_of(ev, sentence)
    for c in present:
        assert c in got.contexts, got.contexts
    for c in absent:
        assert c not in got.contexts, got.contexts
    assert set(got.contexts) <= set(PLOVER_CONTEXTS) | {"negation", "hypothetical", "future"}


def test_auxiliary_modes_go_to_the_context():
    s = "The army will not attack the town."
    assert "negation" in plover_of(_event("190", s, negated=True), s).contexts
    s = "Merkel will visit Paris next week."
    assert "future" in plover_of(_event("042", s, modality="intended"), s).contexts
    # AGREE already means a future act: the manual wants the single category
    s = "They agreed to meet."
    assert "future" not in plover_of(_event("036", s, modality="intended"), s).contexts


def test_legacy_names_map_to_the_manual():
    tables = load_plover_tables()
    assert tables.mode_alias[("ASSAULT", "massacre")] == "targeted"
    assert tables.mode_alias[("PROTEST", "strike-hun")] == "hunger"
    assert tables.context_alias["refugees"] == "migration"
    assert tables.context_alias["democracy"] == "pro_democracy"


def test_describe_adds_repression_to_force_against_protesters():
    s = "Security forces killed two protesters."
    ev = describe_event(_event("190", s, _who("Security forces", "COP"), _who("two protesters", "CVL")), s)
    assert ev.acled.sub_event_type == "Excessive force against protesters"
    assert "repression" in ev.plover.contexts


# -- loading errors: name the file and line, and say how to fix --------------------------------

HEADER = "rule\tcameo\tsource\ttarget\twords\talso\tunless\tevent_type\tsub_event_type\tnote\n"


@pytest.mark.parametrize(("row", "message", "fix"), [
    ("x\t19\t*\t*\t\t\t\tBattle\tArmed clash\t\n", "unknown ACLED event type 'Battle'", "Battles"),
    ("x\t19\t*\t*\t\t\t\tBattles\tPeaceful protest\t\n", "not a sub-event type of 'Battles'", "Armed clash"),
    ("x\t19\tsoldiers\t*\t\t\t\tBattles\tArmed clash\t\n", "unknown actor class 'soldiers'", "state_force"),
    ("x\tfight\t*\t*\t\t\t\tBattles\tArmed clash\t\n", "bad CAMEO code prefix fight", "2-4 digit"),
    ("x\t19\t*\t*\tkill**\t\t\tBattles\tArmed clash\t\n", "bad word item 'kill**'", "protest*"),
])
def test_bad_acled_rows_are_reported(tmp_path, row, message, fix):
    path = tmp_path / "acled.tsv"
    path.write_text("# version: test\n" + HEADER + row, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_acled_table(path)
    text = str(err.value)
    assert f"{path}:3" in text and message in text and fix in text


def test_missing_column_is_reported(tmp_path):
    path = tmp_path / "acled.tsv"
    path.write_text("rule\tcameo\tevent_type\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="header lacks column") as err:
        load_acled_table(path)
    assert str(path) in str(err.value) and "Try:" in str(err.value)


def test_bad_plover_rows_are_reported(tmp_path):
    modes = tmp_path / "plover_modes.tsv"
    modes.write_text("event\tmode\twords\tunless\tlegacy\nFIGHT\tfirearms\tshot\t\t\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="unknown PLOVER event type 'FIGHT'") as err:
        load_plover_tables(modes)
    assert f"{modes}:2" in str(err.value) and "ASSAULT" in str(err.value)
    contexts = tmp_path / "plover_contexts.tsv"
    contexts.write_text("context\twords\tunless\tlegacy\nrefugees\trefugee*\t\t\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not a context of the PLOVER manual") as err:
        load_plover_tables(data_path("plover_modes.tsv"), contexts)
    assert f"{contexts}:2" in str(err.value) and "migration" in str(err.value)


def test_shipped_tables_load_and_are_versioned():
    v = {**get_acled_table().versions, **load_plover_tables().versions}
    for name in ("acled.tsv", "acled_actors.tsv", "plover_modes.tsv", "plover_contexts.tsv"):
        assert v[name] not in ("", "unversioned"), name
    # every sub-event type of ACLED is reachable from some rule
    subs = {(r.event_type, r.sub_event_type) for r in get_acled_table().rules}
    assert subs == {(t, s) for t, ss in ACLED_TYPES.items() for s in ss}


# -- whole pipeline: passive and lower-case sentences, police and protesters as actors ----------

# (sentence, CAMEO root of the event, source sector, ACLED type, sub-event type)
PIPELINE_CASES = [
    ("police arrested 12 protesters in nairobi on monday.", ("17",), "COP",
     "Protests", "Protest with intervention"),
    ("The suspects were arrested by police on Tuesday.", ("17",), "COP", "Strategic developments", "Arrests"),
    ("Three students were beaten by police during the march.", ("18",), "COP",
     "Protests", "Protest with intervention"),
    ("Security forces killed two protesters in Khartoum.", ("18", "19"), "COP",
     "Protests", "Excessive force against protesters"),
    ("gunmen killed five villagers in zamfara state.", ("18", "19"), "UAF", "Violence against civilians", "Attack"),
    ("Government troops clashed with rebels near Goma.", ("19",), "MIL", "Battles", "Armed clash"),
    ("police used force against the demonstrators at the collectorate.", ("17",), "COP",
     "Protests", "Protest with intervention"),
    ("the police lobbed tear gas shells at the stone-pelting mob.", ("17",), "COP", "Riots", "Mob violence"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "roots", "sector", "etype", "sub"), PIPELINE_CASES)
def test_pipeline_codes_acled_with_police_and_protesters(pipeline, text, roots, sector, etype, sub):
    from communique.records import Article

    (rec,) = list(pipeline.code_articles([Article(text=text, date="2025-06-02")]))
    hits = [e for e in rec.events if e.cameo_root in roots and e.source and e.source.sector == sector]
    assert hits, [(e.cameo, e.source and e.source.sector) for e in rec.events]
    assert (hits[0].acled.event_type, hits[0].acled.sub_event_type) == (etype, sub)
    assert rec.coder.kb["acled.tsv"] == get_acled_table().versions["acled.tsv"]


# -- store, query and exports: the ACLED type is queryable and exported -------------------------

def _violent_reports():
    from _store_records import report

    t1 = "Gunmen killed five villagers in Kharkiv.\nThe attack drew condemnation."
    t2 = "Security forces killed two protesters in Minsk.\nWitnesses saw tear gas."
    out = []
    for i, (text, who, whom, place) in enumerate([(t1, "Gunmen", "five villagers", "Kharkiv"),
                                                  (t2, "Security forces", "two protesters", "Minsk")]):
        art, rec = report(text, date="2025-06-02", source="Wire", id=f"v{i}",
                          events=[(who, "190", whom, "killed", place, "2025-06-02")])
        rec.events = [describe_event(e, text) for e in rec.events]
        out.append((art, rec))
    return out


@pytest.fixture
def violent_store(tmp_path):
    from communique.store import Store

    s = Store(tmp_path / "data")
    s.add(_violent_reports())
    return s


def test_acled_type_is_stored_and_queryable(violent_store):
    from communique.store import EventFilter

    df = violent_store.events(EventFilter(acled="violence against civilians"))
    assert list(df.evidence.str[:6]) == ["Gunmen"]
    df = violent_store.events(EventFilter(acled="Excessive force against protesters"))
    assert list(df.evidence.str[:8]) == ["Security"]
    assert len(violent_store.events(EventFilter(acled="Battles"))) == 0
    m = violent_store.sql("SELECT acled_type, plover_contexts FROM mentions ORDER BY sentence_text")
    assert list(m.acled_type) == ["Violence against civilians", "Protests"]
    assert "repression" in m.plover_contexts[1].split(";")


def test_unknown_acled_type_is_refused(violent_store):
    from communique.store import EventFilter

    with pytest.raises(Exception, match="unknown ACLED type 'Battle'") as err:
        violent_store.events(EventFilter(acled="Battle"))
    assert "Battles" in str(err.value)


def test_plover_json_carries_modes_contexts_and_acled(violent_store, tmp_path):
    import json

    from communique.exports import export

    path = tmp_path / "p.jsonl"
    assert export(violent_store, "plover", path) == 2
    recs = {r["actor"][0]["entity_text"]: r for r in map(json.loads, path.read_text().splitlines())}
    police = recs["Security forces"]
    assert police["acled"] == {"event_type": "Protests", "sub_event_type": "Excessive force against protesters"}
    assert "repression" in police["context"] and "crowd-control" not in police["mode"]
    assert recs["Gunmen"]["acled"]["sub_event_type"] == "Attack"


def test_events_csv_carries_the_acled_type(violent_store, tmp_path):
    import pandas as pd

    from communique.exports import export

    path = tmp_path / "events.csv"
    assert export(violent_store, "csv", path, table="events") == 2
    df = pd.read_csv(path).sort_values("evidence")
    assert list(df.acled_sub_event_type) == ["Attack", "Excessive force against protesters"]
    assert "repression" in df.plover_contexts.iloc[1].split(";")


def test_query_command_filters_by_acled_type(violent_store):
    from typer.testing import CliRunner

    from communique.cli import app

    r = CliRunner().invoke(app, ["query", "events", "--acled-type", "Protests", "--store", str(violent_store.root),
                                 "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "Security forces" in r.output and "Gunmen" not in r.output
    r = CliRunner().invoke(app, ["query", "events", "--acled-type", "Riot", "--store", str(violent_store.root)])
    assert r.exit_code != 0 and "unknown ACLED type" in r.output
