"""De-duplication rules as pure functions, and the ECB+ document-level scorer."""

from __future__ import annotations

import json
from datetime import date

import pytest

from communique.evaluate.dedup import (
    bcubed,
    components,
    parse_publish_date,
    read_ecbplus,
    score_documents,
)
from communique.store.dedup import Loc, compatible, deduplicate
from communique.store.rows import participant_key


@pytest.mark.parametrize("name,code,kb,kind,country,key", [
    ("Alexander Lukashenko", "BLRGOV", None, "person", "BLR", "name:alexander lukashenko"),
    ("Alexander Lukashenko", "BLRGOV", "Q12", "person", "BLR", "kb:Q12"),
    ("Belarus", "BLR", None, "country", "BLR", "code:BLR"),
    ("police", "COP", None, "group", None, None),        # an agent code without a country: nobody in particular
    ("Police", "COP", None, "group", None, None),
    ("Man", "", None, "person", None, None),
    ("they", "", None, None, None, None),
    ("The Kremlin", "RUSGOV", None, "organization", "RUS", "code:RUSGOV"),
    ("Acme Holdings", "", None, "organization", None, "name:acme holdings"),
])
def test_participant_keys(name, code, kb, kind, country, key):
    assert participant_key(name, code, kb, kind, country) == key


def loc(name, country, feature, lat=None, lon=None, gid=None):
    return Loc({"place_name": name, "place_country": country, "place_feature": feature, "place_lat": lat,
                "place_lon": lon, "place_geonames_id": gid})


def test_location_compatibility():
    tianjin = loc("Tianjin", "CHN", "city", 39.14, 117.18, 1)
    assert compatible(tianjin, None)
    assert compatible(tianjin, loc("China", "CHN", "country"))
    assert compatible(tianjin, loc("Tianjin Port", "CHN", "other", 39.0, 117.7))       # 47 km
    assert not compatible(tianjin, loc("Beijing", "CHN", "city", 39.91, 116.40, 2))
    assert not compatible(tianjin, loc("Belarus", "BLR", "country"))
    assert compatible(loc("Middle East", None, "region"), tianjin)


def mention(i, day, src="name:a", tgt="name:b", code="042", place=None, art=None, precision="day"):
    d = date.fromisoformat(day) if day else None
    return {"mention_id": f"m{i}", "article_key": art or f"k{i}", "source_key": src, "target_key": tgt,
            "base_code": code, "cameo": code, "cameo_root": code[:2], "negated": False,
            "event_date": d, "date_text": day, "date_precision": precision if day else None,
            "article_date": d, "place_name": place, "plover_event": "CONSULT", "plover_mode": None,
            "quad_class": 1, "goldstein": 1.9}


def test_day_windows_are_anchored_on_the_first_date():
    ms = [mention(1, "2025-08-01"), mention(2, "2025-08-02"), mention(3, "2025-08-03"), mention(4, "2025-08-04")]
    events = list(deduplicate(ms))
    assert [[m["mention_id"] for m in members] for _, members in events] == [["m1", "m2"], ["m3", "m4"]]
    assert events[0][0]["num_articles"] == 2 and events[0][0]["first_seen"] == date(2025, 8, 1)


def test_undated_mentions_merge_only_with_a_named_actor():
    named = [mention(1, None), mention(2, None)]
    assert len(list(deduplicate(named))) == 1
    coded = [mention(1, None, src="code:USA", tgt=None), mention(2, None, src="code:USA", tgt=None)]
    assert len(list(deduplicate(coded))) == 2
    dated = [mention(1, "2025-08-01", src="code:USA", tgt=None), mention(2, "2025-08-01", src="code:USA", tgt=None)]
    assert len(list(deduplicate(dated))) == 1


def test_event_ids_do_not_depend_on_input_order():
    ms = [mention(i, f"2025-08-{1 + i % 5:02d}", art=f"k{i % 3}") for i in range(12)]
    a = {e["event_id"]: sorted(m["mention_id"] for m in mem) for e, mem in deduplicate(ms)}
    b = {e["event_id"]: sorted(m["mention_id"] for m in mem) for e, mem in deduplicate(list(reversed(ms)))}
    assert a == b


def test_document_scores():
    gold = {"d1": "A", "d2": "A", "d3": "A", "d4": "B", "d5": "B"}
    # one event in d1+d2 (right), one in d3+d4 (wrong)
    m = score_documents(gold, [["d1", "d2"], ["d3", "d4"], ["d5"]])
    assert (m["gold_pairs"], m["predicted_pairs"], m["true_pairs"]) == (4, 2, 1)
    assert m["pairwise_precision"] == pytest.approx(0.5) and m["pairwise_recall"] == pytest.approx(0.25)
    assert m["pairwise_f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    perfect = score_documents(gold, [["d1", "d2", "d3"], ["d4", "d5"]])
    assert perfect["pairwise_f1"] == 1.0 and perfect["bcubed_f1"] == 1.0
    comps = components(gold, [frozenset(("d1", "d2")), frozenset(("d2", "d3"))])
    assert comps["d1"] == comps["d3"] != comps["d4"]
    assert bcubed(gold, {d: i for i, d in enumerate(gold)})[0] == 1.0   # singletons: perfect precision


@pytest.mark.parametrize("raw,day", [
    ("July 13, 2009", "2009-07-13"), ("14 June 2013", "2013-06-14"),
    ("First Published : June 13, 2013 4 : 59 PM EDT", "2013-06-13"), ("Sept. 2, 2011", "2011-09-02"),
    ("", None), (None, None), ("yesterday", None),
])
def test_publish_dates(raw, day):
    assert parse_publish_date(raw) == day


def test_read_ecbplus_folder(tmp_path):
    (tmp_path / "documents.jsonl").write_text("\n".join(json.dumps(d) for d in [
        {"doc_id": "1_1", "text": "A .", "date_publish_raw": "July 13, 2009", "title": "t", "url": None},
        {"doc_id": "1_2", "text": "B .", "date_publish_raw": None, "title": "u", "url": None},
        {"doc_id": "2_1", "text": "C .", "date_publish_raw": None, "title": "v", "url": None}]) + "\n")
    (tmp_path / "doc_clusters.tsv").write_text("doc_id\ttopic\tseminal_event_cluster\tsplit\n"
                                               "1_1\t1\t1a\tdev\n1_2\t1\t1a\tdev\n2_1\t2\t2a\ttrain\n")
    docs, clusters = read_ecbplus(tmp_path, "dev")
    assert [d["id"] for d in docs] == ["1_1", "1_2"] and docs[0]["date"] == "2009-07-13"
    assert clusters == {"1_1": "1a", "1_2": "1a"}
    assert len(read_ecbplus(tmp_path, "all")[0]) == 3


def test_one_verb_in_one_story_completes_participants_unless_they_contradict():
    from communique.store.dedup import same_action_in_story

    def m(mid, art, src, tgt, trig="captured", story="st-1", code="190", day=None, place=None):
        return {"mention_id": mid, "article_key": art, "_story": story, "base_code": code, "cameo_root": code[:2],
                "negated": False, "trigger_text": trig, "source_key": src, "target_key": tgt,
                "date_precision": "day" if day else None, "event_date": day, "place_name": place}

    d = date(2009, 1, 3)
    ch = same_action_in_story([
        m("a/e1", "a", "kb:ind_navy", "name:23 somalian pirates", day=d),
        m("b/e1", "b", None, "name:23 pirates", trig="capturing"),          # names no source; a variant
        m("c/e1", "c", "kb:other_force", "name:23 pirates"),                 # another source: not this action
        m("d/e1", "d", "kb:ind_navy", None, story="st-2"),                   # another story
        m("e/e1", "e", "kb:ind_navy", None, trig="said", code="010"),        # statements never merge so
        m("f/e2", "f", None, None, trig="threatened", code="130", place="Gulf of Aden"),
        m("g/e2", "g", None, None, trig="threatens", code="130", place="Gulf of Aden"),
        m("h/e2", "h", None, None, trig="threatened", code="130"),              # no place: nothing identifies it
        m("i/e3", "i", None, None, trig="attacked", code="190"),                 # "they attacked the town" twice
        m("j/e3", "j", None, None, trig="attacked", code="190"),
    ])
    assert ch["b/e1"]["source_key"] == "kb:ind_navy"
    # the two names of the pirates become one (the most reported; on a tie the first as text)
    assert ch["a/e1"]["target_key"] == "name:23 pirates" and "target_key" not in ch["b/e1"]
    assert ch["b/e1"]["event_date"] == d and ch["b/e1"]["date_precision"] == "day"   # undated: the cluster's day
    assert "c/e1" not in ch and "d/e1" not in ch and "e/e1" not in ch
    # nobody named on either side: the story, the verb and a place every report names identify the action
    assert ch["f/e2"]["source_key"] == ch["g/e2"]["source_key"] == "act:st-1/threaten@gulf of aden"
    assert "h/e2" not in ch and "i/e3" not in ch and "j/e3" not in ch
    # and de-duplication then merges them although undated
    rows = []
    for mid, art in (("f/e2", "f"), ("g/e2", "g")):
        rows.append({"mention_id": mid, "article_key": art, "source_key": "act:st-1/threaten@gulf of aden",
                     "target_key": None,
                     "base_code": "130", "cameo": "130", "cameo_root": "13", "negated": False, "event_date": None,
                     "date_precision": None, "date_text": None, "article_date": None, "trigger_text": "threatened",
                     "plover_event": None, "plover_mode": None, "quad_class": 3, "goldstein": -4.4})
    events = list(deduplicate(rows))
    assert len(events) == 1 and events[0][0]["num_mentions"] == 2
    assert events[0][0]["why"].startswith("same verb (threatened) in one story")


def test_one_verb_in_one_story_merges_across_codes_of_one_root_or_material_class_and_a_kb_entry_with_its_code():
    from communique.store.dedup import same_action_in_story

    def m(mid, art, src, tgt, trig, code, quad, story="st-1", src_code=None, prec=None, day=None, text=None):
        return {"mention_id": mid, "article_key": art, "_story": story, "base_code": code, "cameo_root": code[:2],
                "quad_class": quad, "negated": False, "trigger_text": trig, "source_key": src, "target_key": tgt,
                "source_code": src_code, "target_code": None, "date_precision": prec, "event_date": day,
                "date_text": text, "place_name": None}

    y = date(2011, 1, 1)
    ch = same_action_in_story([
        # "captured" coded 190 in one article and 173 (arrest) in another: one material act
        m("a/e1", "a", "kb:ind_armed_forces", "code:SOMCRM", "captured", "190", 4, src_code="INDMIL",
          prec="year", day=y, text="2011"),
        m("b/e1", "b", "code:INDMIL", "code:SOMCRM", "captured", "173", 4),      # the kb entry's own code
        m("b/e1b", "b", "code:INDMIL", "code:SOMCRM", "captured", "173", 4),
        m("c/e1", "c", "code:CHNMIL", "code:SOMCRM", "captured", "173", 4),      # another code: another actor
        # another verb with the same participants: not enough ("attacked" and "captured" are two acts)
        m("d/e1", "d", "kb:ind_armed_forces", "code:SOMCRM", "attacked", "190", 4, src_code="INDMIL"),
        # verbal acts must share their root: "accused" (112) and "accused" (130, threaten) stay apart
        m("e/e2", "e", "kb:x", "kb:y", "accused", "112", 3),
        m("f/e2", "f", "kb:x", "kb:y", "accused", "130", 3),
    ])
    # the cluster takes the kb entry and its most reported code; the undated reports take its year
    assert ch["b/e1"] == {"source_key": "kb:ind_armed_forces", "date_precision": "year",
                          "event_date": y, "date_text": "2011"}
    assert ch["a/e1"] == {"base_code": "173"}
    assert "c/e1" not in ch and "d/e1" not in ch and "e/e2" not in ch and "f/e2" not in ch
    # merged, the event says which codes and verbs were read as one act
    rows = [{"mention_id": mid, "article_key": art, "source_key": "kb:ind_armed_forces", "target_key": "code:SOMCRM",
             "base_code": "173", "cameo": cameo, "cameo_root": cameo[:2], "negated": False, "event_date": y,
             "date_precision": "year", "date_text": "2011", "article_date": None, "trigger_text": trig,
             "plover_event": None, "plover_mode": None, "quad_class": 4, "goldstein": g, "source_name": "Indian Armed Forces"}
            for mid, art, cameo, trig, g in (("a/e1", "a", "190", "captured", -10.0), ("b/e1", "b", "173", "captured", -5.0),
                                             ("b/e1b", "b", "173", "capturing", -5.0))]
    (ev, members), = list(deduplicate(rows))
    assert ev["cameo"] == "173" and ev["goldstein"] == -5.0 and ev["num_articles"] == 2
    assert ev["why"].startswith("same source and target (Indian Armed Forces -> ?), 173 (told as 173/190: captured, "
                                "capturing), same year")
