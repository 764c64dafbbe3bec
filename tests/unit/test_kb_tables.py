"""Knowledge-base tables: versions, malformed rows named by file and line, overlays."""

from __future__ import annotations

import pytest

from communique.errors import KnowledgeBaseError
from communique.kb import get_codebook
from communique.kb.actors import ActorKB, load_actor_kb
from communique.kb.tables import read_table

PEOPLE_HEADER = "person_id\tname\taliases\tgender\tcountry\tsector\trole\tstart\tend\tsource\n"


def test_table_version_and_rows(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("# version: 2030.1\n# comment\nphrase\tsector\trole\nminister\tGOV\tMinister\n")
    t = read_table(p)
    assert t.version == "2030.1"
    assert t.rows == [(4, {"phrase": "minister", "sector": "GOV", "role": "Minister"})]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("phrase\tsector\nx\tGOV\textra\n", "3 fields but the header has 2"),
        (PEOPLE_HEADER + "p1\tP One\t\tm\tBLR\tGOV\tPresident\t2020-13\t\tx\n", "is not a date"),
        (PEOPLE_HEADER + "p1\tP One\t\tm\tBLR\tXXX\tPresident\t2020\t\tx\n", "unknown sector code"),
        ("just\tsome\tcolumns\n", "cannot tell which table"),
    ],
)
def test_malformed_overlay_names_file_and_line(tmp_path, content, message):
    p = tmp_path / "overlay.tsv"
    p.write_text(content)
    with pytest.raises(KnowledgeBaseError) as exc:
        load_actor_kb((str(p),))
    assert message in str(exc.value)
    assert "overlay.tsv" in str(exc.value)
    assert "Try:" in str(exc.value)


def test_overlay_adds_a_person_with_dated_roles(tmp_path):
    p = tmp_path / "new.tsv"
    p.write_text(PEOPLE_HEADER
                 + "jane_doe\tJane Doe\tJ. Doe\tf\tXYZ\tOPP\tOpposition Leader\t2020\t2025-06-30\tlocal\n"
                 + "jane_doe\tJane Doe\t\tf\tXYZ\tGOV\tPresident\t2025-07-01\t\tlocal\n")
    kb: ActorKB = load_actor_kb((str(p),))
    (entry,) = [e for e in kb.lookup("Jane Doe") if e.kind == "person"]
    person = kb.people[entry.ref]
    assert person.status_on("2024-05-01")[0].sector == "OPP"
    tenure, status = person.status_on("2025-08-01")
    assert (tenure.sector, tenure.role, status) == ("GOV", "President", "current")
    assert any(e.kind == "person" for e in kb.lookup("J. Doe"))
    assert "overlay:new.tsv" in kb.versions


def test_codebook_has_every_code_with_goldstein_quad_and_plover():
    cb = get_codebook()
    assert len(cb.codes) >= 300
    meet = cb["042"]
    assert (meet.root, meet.quad_class, meet.plover_event, meet.plover_mode) == ("04", 1, "CONSULT", "visit")
    assert cb["190"].quad_class == 4 and cb["190"].goldstein == -10.0
    assert all(c.plover_event for c in cb.codes.values())
    with pytest.raises(KnowledgeBaseError):
        cb["999"]
