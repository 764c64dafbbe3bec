"""The actor knowledge base: time-aware people and organisations, surnames, name variants,
overlays (the worked example of docs/KB.md), discards, the cache and `actors lookup`.

None of these load the spaCy model except the worked example's pipeline test (slow).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.errors import KnowledgeBaseError
from communique.kb import get_actor_kb
from communique.kb._text import actor_key, canon
from communique.kb.actors import ActorKB, load_actor_kb

ROOT = Path(__file__).resolve().parents[2]
KB_MD = ROOT / "docs" / "KB.md"
PEOPLE_HEADER = "person_id\tname\taliases\tgender\tcountry\tsector\trole\tstart\tend\tsource\n"
ORG_HEADER = "org_id\tname\taliases\tkind\tcountry\tsector\tstart\tend\tsource\n"


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return get_actor_kb()


def _person(kb: ActorKB, name: str):
    (entry,) = [e for e in kb.lookup(name) if e.kind == "person"][:1]
    return kb.people[entry.ref]


@pytest.mark.parametrize(
    ("name", "day", "country", "sector", "status"),
    [
        ("Vladimir Putin", "1999-01-01", "RUS", "SPY", "current"),   # FSB director
        ("Vladimir Putin", "2009-06-01", "RUS", "GOV", "current"),   # prime minister
        ("Vladimir Putin", "2022-03-01", "RUS", "GOV", "current"),   # president
        ("Angela Merkel", "2017-04-01", "DEU", "GOV", "current"),
        ("Angela Merkel", "2022-01-10", "DEU", "GOV", "former"),     # coded ELI by the stage
        ("Donald Trump", "2019-04-01", "USA", "GOV", "current"),
        ("Donald Trump", "2022-04-01", "USA", "GOV", "former"),
        ("Donald Trump", "2025-06-01", "USA", "GOV", "current"),
        ("Alexander Lukashenko", "2025-08-29", "BLR", "GOV", "current"),
        # people/officials.tsv: an executive office beats the seat held at the same time
        ("Kwasi Kwarteng", "2022-09-23", "GBR", "GOV", "current"),   # chancellor, also an MP
        ("Kwasi Kwarteng", "2023-06-01", "GBR", "LEG", "current"),   # back-bench MP
        ("Jam Kamal Khan Alyani", "2021-10-01", "PAK", "GOV", "current"),  # chief minister ("Other"), MPA
        ("Jam Kamal Khan Alyani", "2022-10-20", "PAK", "LEG", "current"),
        ("Andrei Kartapolov", "2021-01-01", "RUS", "GOV", "current"),  # deputy defence minister
        ("Andrei Kartapolov", "2022-06-01", "RUS", "LEG", "current"),  # State Duma
    ],
)
def test_role_changes_over_time(kb, name, day, country, sector, status):
    tenure, got = _person(kb, name).status_on(day)
    assert (tenure.country, tenure.sector, got) == (country, sector, status)


def test_undated_is_the_knowledge_bases_present(kb):
    # not the wall clock: an ended term is former, an open one current
    assert _person(kb, "Angela Merkel").status_on(None)[1] == "former"
    assert _person(kb, "Alexander Lukashenko").status_on(None)[1] == "current"


@pytest.mark.parametrize(("day", "sector"), [("1998-01-01", "GOV"), ("2002-05-01", "REB"),
                                             ("2022-05-01", "GOV"), (None, "GOV")])
def test_organisation_codes_change_over_time(kb, day, sector):
    (entry,) = [e for e in kb.lookup("Taliban") if e.kind == "org"]
    code = kb.org_code(entry.ref, day)
    assert (code.country, code.sector) == ("AFG", sector)


@pytest.mark.parametrize(
    ("surname", "day", "expected"),
    [
        ("Putin", "2022-03-01", "vladimir_putin"),
        ("Trump", "2019-04-01", "donald_trump"),
        ("Trump", "2022-04-01", "donald_trump"),      # former, but the only Trump
        ("Museveni", "2022-05-01", "yoweri_museveni"),
        ("Rajapaksa", "2022-01-01", None),            # president and prime minister, brothers
        ("Clinton", "2022-01-01", None),              # Bill and Hillary
    ],
)
def test_surnames_resolve_only_when_unambiguous(kb, surname, day, expected):
    person = kb.resolve_surname(surname, day)
    assert (person.id if person else None) == expected


def test_surname_country_when_all_bearers_agree(kb):
    assert kb.surname_country("Clinton", None) == "USA"
    assert kb.surname_country("Rajapaksa", "2022-01-01") == "LKA"


def test_spelling_variants_and_transliterations(kb):
    # aliases in the tables, diacritics and name-variant folding
    for spelling in ("Alyaksandr Lukashenka", "Aleksandr Lukashenko", "ALEXANDER LUKASHENKO"):
        assert _person(kb, spelling).id == "alexander_lukashenko"
    assert actor_key("Mohammed Hussein Roble") == actor_key("Mohamed Hussein Roble")
    assert _person(kb, "Mohammed Hussein Roble").id == "mohamed_hussein_roble"
    assert _person(kb, "Gitanas Nausėda").id == _person(kb, "Gitanas Nauseda").id
    # canon itself (shared with the gazetteer) is unchanged
    assert canon("Mohammed") == "mohammed"


def test_acronyms_are_marked_case_sensitive(kb):
    who = [e for e in kb.lookup("WHO") if e.kind == "org"]
    assert who and all(e.acronym for e in who)
    from communique.kb.actors import acronym_ok
    assert acronym_ok("WHO") and acronym_ok("U.N.") and acronym_ok("Nato")
    assert not acronym_ok("Who") and not acronym_ok("us")


def test_state_media_are_med(kb):
    (entry,) = [e for e in kb.lookup("BELTA") if e.kind == "org"]
    code = kb.org_code(entry.ref, "2025-08-29")
    assert (code.country, code.sector) == ("BLR", "MED")
    assert kb.agents[canon("state news agency")].sector == "MED"
    # consistently: no news agency or broadcaster is coded as the government it belongs to
    media_gov = [c.org_id for codes in kb.orgs.values() for c in codes if c.kind == "media" and c.sector == "GOV"]
    assert not media_gov
    for name, country in [("Xinhua", "CHN"), ("TASS", "RUS"), ("KCNA", "PRK"), ("SANA", "SYR"),
                          ("IRNA", "IRN"), ("WAFA", "PSE"), ("NNA", "LBN")]:
        (entry,) = [e for e in kb.lookup(name) if e.kind == "org"]
        code = kb.org_code(entry.ref, "2025-08-29")
        assert (code.country, code.sector) == (country, "MED"), name
    for phrase in ("state media", "state-run media", "official news agency", "state television",
                   "state-owned news agency", "national news agency", "state broadcaster"):
        assert kb.agents[canon(phrase)].sector == "MED", phrase


def test_phoenix_duplicates_merge_into_the_curated_person(kb):
    # one Putin, whose 1998-99 FSB tenure is kept from the conversion
    putins = {e.ref for e in kb.lookup("Vladimir Putin") if e.kind == "person"}
    assert putins == {"vladimir_putin"}
    assert not any(pid.startswith("vladimir_putin_phx") for pid in kb.people)


def test_discards_remove_common_word_aliases(kb):
    assert not [e for e in kb.lookup("Organization") if e.kind == "org" and e.ref == "phx_tanzim"]


# -- overlays -----------------------------------------------------------------------------
def _kb_md_overlays() -> dict[str, str]:
    text = KB_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- overlay:(\w+) -->\s*```\n(.*?)```", text, re.S)
    return {name: body for name, body in blocks}


def test_worked_example_from_kb_md(tmp_path):
    """The overlay of docs/KB.md: a newly elected leader and a local militia."""
    blocks = _kb_md_overlays()
    assert set(blocks) == {"people", "organizations"}
    people = tmp_path / "belarus_2030.tsv"
    people.write_text(blocks["people"], encoding="utf-8")
    militia = tmp_path / "militia.tsv"
    militia.write_text(blocks["organizations"], encoding="utf-8")
    kb = load_actor_kb((str(people), str(militia)), use_cache=False)

    maria = _person(kb, "Maria Example")
    assert maria.gender == "f"
    assert maria.status_on("2031-01-15")[0].sector == "GOV"
    assert _person(kb, "M. Example").id == maria.id
    luka = _person(kb, "Alexander Lukashenko")
    assert luka.status_on("2031-01-15")[1] == "former"          # the overlay closed the term
    assert luka.status_on("2030-07-01")[1] == "current"
    assert len([t for t in luka.tenures if t.role == "President" and t.start == "1994-07-20"]) == 1
    (brigade,) = [e for e in kb.lookup("EDB") if e.kind == "org"]
    code = kb.org_code(brigade.ref, "2031-01-15")
    assert (code.country, code.sector) == ("BLR", "PRM")
    assert "overlay:belarus_2030.tsv" in kb.versions
    # the shipped knowledge base is unchanged
    assert _person(get_actor_kb(), "Alexander Lukashenko").status_on("2031-01-15")[1] == "current"


def test_overlay_phrase_wins_over_a_shipped_one(tmp_path):
    p = tmp_path / "o.tsv"
    p.write_text(ORG_HEADER + "my_kremlin\tKremlin Choir\tthe Kremlin\tother\tRUS\tCVL\t\t\tlocal\n")
    kb = load_actor_kb((str(p),), use_cache=False)
    assert kb.lookup("the Kremlin")[0].kind == "org"
    assert kb.lookup("the Kremlin")[0].overlay


def test_overlay_discards_a_phrase(tmp_path):
    p = tmp_path / "d.tsv"
    p.write_text("phrase\tkind\tref\treason\nthe Kremlin\tmetonym\t\tnot here\n")
    kb = load_actor_kb((str(p),), use_cache=False)
    assert not [e for e in kb.lookup("the Kremlin") if e.kind == "metonym"]


def test_overlay_with_bad_kind_names_file_and_line(tmp_path):
    p = tmp_path / "d.tsv"
    p.write_text("phrase\tkind\tref\treason\nfoo\tplanet\t\t\n")
    with pytest.raises(KnowledgeBaseError) as exc:
        load_actor_kb((str(p),), use_cache=False)
    assert "d.tsv:2" in str(exc.value) and "unknown kind" in str(exc.value)


def test_cache_rebuilds_when_an_overlay_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path / "cache"))
    p = tmp_path / "o.tsv"
    p.write_text(PEOPLE_HEADER + "x_one\tXavier Onetest\t\tm\tBLR\tGOV\tMinister\t2020\t\tlocal\n")
    first = load_actor_kb((str(p),))
    assert list((tmp_path / "cache").glob("actors-*.pickle"))
    again = load_actor_kb((str(p),))             # from the cache
    assert again.people["x_one"].tenures == first.people["x_one"].tenures
    p.write_text(PEOPLE_HEADER + "x_one\tXavier Onetest\t\tm\tBLR\tMIL\tMinister\t2020\t\tlocal edited\n")
    changed = load_actor_kb((str(p),))
    assert changed.people["x_one"].tenures[0].sector == "MIL"


# -- communique actors lookup -------------------------------------------------------------
@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_lookup_shows_dated_codes_rows_and_sources(runner):
    from communique.cli import app

    res = runner.invoke(app, ["actors", "lookup", "Taliban", "--date", "2002-05-01", "--no-parse"])
    assert res.exit_code == 0, res.output
    assert "AFGREB" in res.output
    assert "organizations.tsv:" in res.output
    assert "wikipedia.org/wiki/Taliban" in res.output


def test_lookup_explains_a_former_leader(runner):
    from communique.cli import app

    res = runner.invoke(app, ["actors", "lookup", "Angela Merkel", "--date", "2022-01-10", "--no-parse"])
    assert res.exit_code == 0, res.output
    assert "DEUELI" in res.output and "former" in res.output
    assert "people/" in res.output


def test_lookup_resolves_a_bare_surname_as_json(runner):
    import json

    from communique.cli import app

    res = runner.invoke(app, ["actors", "lookup", "Lukashenka", "--date", "2025-08-29", "--no-parse",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["surname"]["person_id"] == "alexander_lukashenko"
    assert data["surname"]["entries"][0]["code"] == "BLRGOV"


def test_lookup_with_overlay_and_bad_date(runner, tmp_path):
    from communique.cli import app

    p = tmp_path / "o.tsv"
    p.write_text(_kb_md_overlays()["people"], encoding="utf-8")
    res = runner.invoke(app, ["actors", "lookup", "Maria Example", "--date", "2031-01-15", "--kb", str(p),
                              "--no-parse"])
    assert res.exit_code == 0, res.output
    assert "BLRGOV" in res.output and "overlay" in res.output
    bad = runner.invoke(app, ["actors", "lookup", "Maria Example", "--date", "15/01/2031", "--no-parse"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


@pytest.mark.slow
def test_lookup_codes_the_phrase_with_the_stage(runner):
    from communique.cli import app

    res = runner.invoke(app, ["actors", "lookup", "President of Belarus Alexander Lukashenko",
                              "--date", "2025-08-29"])
    assert res.exit_code == 0, res.output
    assert "BLRGOV" in res.output
    assert "agents.tsv:" in res.output and "countries.tsv:" in res.output


@pytest.mark.slow
def test_worked_example_through_the_pipeline(tmp_path):
    from communique.pipeline import Pipeline

    blocks = _kb_md_overlays()
    people = tmp_path / "belarus_2030.tsv"
    people.write_text(blocks["people"], encoding="utf-8")
    militia = tmp_path / "militia.tsv"
    militia.write_text(blocks["organizations"], encoding="utf-8")
    pipe = Pipeline(kb_overlays=(str(people), str(militia)))
    rec = pipe.code_text("President Maria Example met Alexander Lukashenko in Minsk. She said the "
                         "Example Defence Brigade must disarm.", date="2031-01-15")
    by_text = {a.span.text: a for a in rec.actors}
    assert by_text["President Maria Example"].code == "BLRGOV"
    assert by_text["Alexander Lukashenko"].code == "BLRELI"
    she = by_text["She"]
    assert she.refers_to == by_text["President Maria Example"].id and she.code == "BLRGOV"
    assert by_text["the Example Defence Brigade"].code == "BLRPRM"
