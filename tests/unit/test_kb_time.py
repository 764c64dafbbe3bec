"""The knowledge base over time (issue 16): coverage and frozen tables, "former" only when the
later life is known, the text's title against the tables, no mixed codes, read dates.

Small tables built in tmp_path; no spaCy model is loaded.
"""

from __future__ import annotations

import pytest

from communique.errors import KnowledgeBaseError
from communique.kb import get_actor_kb
from communique.kb.actors import ActorKB, code_person
from communique.kb.tables import read_table

HEADER = "person_id\tname\taliases\tgender\tcountry\tsector\trole\tstart\tend\tsource\n"


def _kb(tmp_path, tables: dict[str, str]) -> ActorKB:
    kb = ActorKB()
    for name, text in tables.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        kb.add_table(read_table(path), name)
    kb.finalize()
    return kb


FROZEN = ("# version: 1\n# read: 2025-12\n# coverage: 2015-02-17\n# status: frozen\n" + HEADER
          + "old_minister_phx\tOld Minister\t\t\tGRC\tGOV\t\t2010-10-01\t\tphoenix:x\n"
          + "old_elder_phx\tOld Elder\t\t\tGRC\tGOV\t\t1990\t2000\tphoenix:x\n"
          + "old_elder_phx\tOld Elder\t\t\tGRC\tELI\t\t2000\t\tphoenix:x\n")
CURATED = ("# version: 1\n# read: 2025-12\n# coverage: 2025-12-31\n# status: maintained\n" + HEADER
           + "a_leader\tAnna Leader\t\tf\tFRA\tGOV\tPrime Minister\t2010\t2015\turl\n"
           + "a_minister\tMark Minister\t\tm\tFRA\tGOV\tDefence Minister\t2012\t2017\turl\n"
           + "a_serving\tSam Serving\t\tm\tFRA\tGOV\tForeign Minister\t2020\t\turl\n"
           + "un_man\tUma Diplomat\t\tf\tPRT\tGOV\tPrime Minister\t1995\t2002\turl\n"
           + "un_man\tUma Diplomat\t\tf\tUNO\tIGO\tSecretary-General\t2017\t\turl\n"
           + "chief\tCarl Chief\t\tm\tPAK\tGOV\tOther\t2018\t2021-10\turl\n"
           + "chief\tCarl Chief\t\tm\tPAK\tLEG\tLegislator\t2018\t\turl\n")


def test_frozen_table_open_end_stops_at_coverage(tmp_path):
    kb = _kb(tmp_path, {"phoenix.tsv": FROZEN})
    p = kb.people["old_minister_phx"]
    assert code_person(p, "2014-06-01").sector == "GOV"          # inside the dictionaries' time
    late = code_person(p, "2025-06-01")
    assert (late.country, late.sector, late.status) == ("GRC", None, "unknown")  # not a serving official
    assert p.rank_on("2025-06-01") == 0
    assert code_person(p, None).sector is None                    # undated = the KB's present
    # an ELI span of a frozen table is known only up to its coverage date as well
    assert code_person(kb.people["old_elder_phx"], "2012-01-01").sector == "ELI"
    assert code_person(kb.people["old_elder_phx"], "2025-01-01").sector is None


def test_maintained_table_open_end_is_current(tmp_path):
    kb = _kb(tmp_path, {"europe.tsv": CURATED})
    assert code_person(kb.people["a_serving"], "2030-01-01").sector == "GOV"
    t = kb.people["a_serving"].tenures[0]
    assert t.read == "2025-12" and t.maintained and not t.until


def test_former_only_when_later_life_known(tmp_path):
    kb = _kb(tmp_path, {"europe.tsv": CURATED})
    # a former head of government: ELI
    assert code_person(kb.people["a_leader"], "2020-01-01").sector == "ELI"
    # a minister who left the tracked offices may serve elsewhere: country only
    pc = code_person(kb.people["a_minister"], "2020-01-01")
    assert (pc.country, pc.sector, pc.status) == ("FRA", None, "unknown")
    # the text saying "former" still makes it ELI
    assert code_person(kb.people["a_minister"], "2020-01-01", former=True).sector == "ELI"


def test_title_in_text_overrides_without_mixing_codes(tmp_path):
    kb = _kb(tmp_path, {"europe.tsv": CURATED})
    un = kb.people["un_man"]
    assert code_person(un, "2020-01-01").country == "UNO"
    # "Foreign Minister Uma Diplomat" (an office the tables lack): the title's sector with a state
    # of the person's, never the international post's code in front of it
    pc = code_person(un, "2020-01-01", title_sector="GOV", title_role="Foreign Minister")
    assert (pc.country, pc.sector) == ("PRT", "GOV")
    pc = code_person(un, "2020-01-01", title_sector="GOV", title_role="Foreign Minister", text_country="BRA")
    assert (pc.country, pc.sector) == ("BRA", "GOV")
    # "former Prime Minister": ELI of the country of that office
    pc = code_person(un, "2020-01-01", title_sector="GOV", title_role="Prime Minister", former=True)
    assert (pc.country, pc.sector) == ("PRT", "ELI")


def test_stale_title_does_not_override_known_office(tmp_path):
    kb = _kb(tmp_path, {"officials.tsv": CURATED})
    # "Chief Minister Carl Chief" after the tables record that office as ended: the legislator seat
    pc = code_person(kb.people["chief"], "2022-10-20", title_sector="GOV", title_role="Chief Minister")
    assert (pc.country, pc.sector) == ("PAK", "LEG")
    # a title of a sector the tables never had for him overrides
    pc = code_person(kb.people["chief"], "2022-10-20", title_sector="MIL", title_role="General")
    assert (pc.country, pc.sector) == ("PAK", "MIL")


def test_frozen_table_needs_coverage_and_status_is_checked(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("# status: frozen\n" + HEADER, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="coverage"):
        read_table(p)
    p.write_text("# status: stale\n" + HEADER, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="maintained"):
        read_table(p)


def test_shipped_phoenix_people_are_not_serving_in_2025():
    kb = get_actor_kb()
    phx = [p for p in kb.people.values() if not p.curated]
    # thousands of Phoenix-only people have open GOV rows ...
    assert sum(any(t.sector == "GOV" and not t.end for t in p.tenures) for p in phx) > 1000
    # ... none of them is coded as a serving official in 2025
    assert not [p.id for p in phx if code_person(p, "2025-06-01").sector == "GOV"]
    # every shipped people row says when its source was read
    assert all(t.read for p in kb.people.values() for t in p.tenures)
