"""Build the event lexicon tables of ``kb/data`` (format: ``kb/data/EVENTS.md``).

Build-time only; the package never reads ../shared. Usage, from the repo root:

    .venv/bin/python scripts/kb/build_event_patterns.py /work/shared/data/phoenix

Inputs
  * PETRARCH2's verb dictionary ``CAMEO.2.0.txt`` and ``Phoenix.discards.txt``
    (openeventdata/petrarch2 @ 676801cd, MIT), *converted* into communique's pattern syntax:
      - verb block defaults -> ``verb <empty pattern> code`` (origin ``petrarch:BLOCK``)
      - phrase patterns      -> object / (prep ...) / particle constraints, applied to the verb
                                the pattern was written for (its trailing comment)
      - synonym sets         -> ``event_sets.tsv``
      - objects of light verbs ("hold TALKS", "launch OFFENSIVE") -> noun topics
      - sports / entertainment discards -> ``event_discards.tsv``
  * curated files in ``scripts/kb/events/`` (written for communique), which take precedence:
      verbs.tsv, nouns.tsv, frames.tsv, sets.tsv, discards.tsv

A curated row with code ``-`` blocks: a curated default ``take <empty> -`` removes
PETRARCH's default for "take" (which coded every "take" as 171) while its more
specific patterns ("take hostage") stay.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kbcommon import DATA, read_tsv  # noqa: E402
from petrarch_verbs import read_blocks, read_synsets  # noqa: E402

VERSION = "2026.12.21"
HERE = os.path.dirname(os.path.abspath(__file__))
CURATED = os.path.join(HERE, "events")

PARTICLES = {"up", "out", "down", "off", "away", "back", "over", "forward", "aside", "ahead", "together",
             "through", "apart", "around", "along", "about"}
TARGET_PREPS = {"with", "against", "on", "to", "at", "upon", "into", "toward", "towards", "onto"}
STOP = {"a", "an", "the", "of"}
LIGHT_VERBS = {"hold", "conduct", "launch", "stage", "carry", "mount", "begin", "start", "resume", "continue",
               "wage", "make", "undertake", "open"}
SPORT = ("golf", "tennis", "football", "soccer", "cricket", " cup", "league", "champion", "medal", "olympi",
         "seed", "tournament", "boxing", "racing", "grand prix", "formula one", "goal", "batsm", "bowler", "bowling",
         "wicket", "innings", "stumps", "athlet", "marathon", "basketball", "baseball", "volleyball", "handball",
         "rugby", "hockey", "badminton", "billiards", "chess", "sumo", "gymnas", "aquatics", "swimm", "fifa", "uefa",
         "nba", "nfl", "world series", "wimbledon", " open", "atp", "wta", "semifinal", "semi-final", "quarterfinal",
         "quarter-final", "final match", "match", "bears", "united", "birdie", "putt", "ryder", "davis cup",
         "fixture", "striker", "midfielder", "referee", "coach", "stadium", "half centur", "run ", " runs",
         "car rally", "derby", "grand slam", "ballclub", "ashes", "group a", "group b", "group c", "group d",
         "group e", "group f", "group g", "group h", "knockout", "heavyweight", "flyweight", "lightweight")
ENTERTAINMENT = ("film", "movie", "award", "festival", "oscar", "golden globe", "concert", "album", "singer",
                 "pop star", "big brother", "pageant", "celebrity", "blockbuster", "housewives", "beatles",
                 "sitcom", "box office", "hollywood", "bollywood", "grammy", "emmy", "avatar", "azeroth",
                 "cannes", "actor", "actress", "fashion", "miss world", "miss universe", "reality show", "x factor",
                 "idol")


def singular(word: str) -> str:
    w = word.lower()
    if len(w) <= 3 or w.endswith(("ss", "us", "is", "ws", "ics")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def norm_word(tok: str) -> str:
    words = tok.strip("_").replace("_", " ").lower().split()
    if len(words) > 1:
        return "{" + " ".join(words[:-1] + [singular(words[-1])]) + "}"
    return singular(words[0]) if words else ""


class Skip(Exception):
    pass


def convert_set_name(tok: str) -> str:
    return "@" + tok.lstrip("&").rstrip("_").lower()


def convert_words(tok: str, synsets: dict[str, list[str]]) -> str:
    """A PETRARCH noun element -> our words syntax."""
    if tok.startswith("&"):
        name = tok.lstrip("&").rstrip("_").upper()
        if name not in synsets:
            raise Skip(f"unknown set {tok}")
        return convert_set_name(tok)
    if tok.startswith("{"):
        inner = tok.strip("{}").split()
        inner = [w for w in inner if w.lower() not in STOP]
        if not inner:
            raise Skip("empty phrase")
        if any(w.startswith("&") for w in inner[:-1]):
            # {&MILITARY AID}: expand the set into phrases
            head = inner[-1]
            if head.startswith("&"):
                raise Skip("set as head of a phrase")
            alts = [[]]
            for w in inner[:-1]:
                if w.startswith("&"):
                    name = w.lstrip("&").rstrip("_").upper()
                    members = synsets.get(name)
                    if not members:
                        raise Skip(f"unknown set {w}")
                    alts = [a + [m] for a in alts for m in members if " " not in m]
                else:
                    alts = [a + [w.lower()] for a in alts]
            if len(alts) > 40:
                raise Skip("phrase expands too far")
            return "|".join("{" + " ".join(a + [norm_word(head).strip("{}")]) + "}" for a in alts)
        if inner[-1].startswith("&"):
            raise Skip("set as head of a phrase")
        if len(inner) == 1:
            return norm_word(inner[0])
        return "{" + " ".join([w.lower() for w in inner[:-1]] + [norm_word(inner[-1]).strip("{}")]) + "}"
    if not re.match(r"^[A-Za-z][A-Za-z'\-]*_?$", tok):
        raise Skip(f"odd token {tok}")
    return norm_word(tok)


def convert_pattern(pre: list[str], post: list[str], synsets: dict[str, list[str]]) -> tuple[str, str]:
    """PETRARCH pre/post tokens -> (particle, pattern) in our syntax."""
    subj = ""
    pre = [t for t in pre if t not in ("^",)]
    if pre:
        if len(pre) == 1 and (pre[0].startswith("&") or re.match(r"^[A-Z]+$", pre[0])) and pre[0] not in ("+", "$"):
            word = convert_words(pre[0], synsets)
            subj = ("adv:" if pre[0].upper().endswith("LY") else "subj:") + word
        else:
            raise Skip("words before the verb")
    if any(t in ("$", "%") or t.startswith("$") for t in post):
        raise Skip("source marker")
    post = [t for t in post if t != "^"]
    particle = ""
    elems: list[str] = []
    obj_seen = False
    for i, tok in enumerate(post):
        low = tok.lower()
        if i == 0 and low in PARTICLES:
            particle = low
            continue
        if tok == "+":
            elems.append("+")
            continue
        if tok.startswith("("):
            inner = [w for w in tok[1:-1].split() if w not in ("^",)]
            if not inner:
                raise Skip("empty group")
            prep = inner[0].lower().split("/")[0]
            if not re.match(r"^[a-z]+$", prep):
                raise Skip("odd preposition")
            rest = inner[1:]
            if any(w == "$" or w.startswith("$") for w in rest):
                raise Skip("source marker")
            target = "+" in rest
            rest = [w for w in rest if w != "+" and w.lower() not in STOP]
            # keep braces together
            joined = " ".join(rest)
            groups = re.findall(r"\{[^}]*\}|\S+", joined)
            if len(groups) > 1:
                raise Skip("several words in a prepositional phrase")
            words = convert_words(groups[0], synsets) if groups else ""
            if prep not in TARGET_PREPS and target:
                pass
            elems.append("(" + " ".join(x for x in (prep, words, "+" if target else "") if x) + ")")
            continue
        if obj_seen:
            raise Skip("two objects")
        elems.append(convert_words(tok, synsets))
        obj_seen = True
    return particle, " ".join(([subj] if subj else []) + elems)


def petrarch_rows(path: str, codes: set[str]) -> tuple[list[dict], list[dict], dict[str, list[str]], Counter]:
    blocks = read_blocks(path)
    synsets = read_synsets(path)
    defaults: list[dict] = []
    patterns: list[dict] = []
    stats: Counter = Counter()
    for b in blocks:
        for v in b.verbs:
            code = v.code if v.code is not None else b.code
            words = v.words
            if not words or any(w in ("and", "or", "is", "are", "was") for w in words) or len(words) > 2:
                stats["verb skipped"] += 1
                continue
            if code in (None, "---") or (code and code not in codes):
                stats["verb without code"] += 1
                continue
            lemma = words[0]
            pattern = ""
            if len(words) == 2:
                second = words[1]
                if second in PARTICLES:
                    lemma = f"{lemma} {second}"
                elif second in TARGET_PREPS or second in ("for", "from", "in", "by", "of", "over"):
                    pattern = f"({second} +)" if second in TARGET_PREPS else f"({second})"
                elif re.match(r"^[a-z\-]+$", second):
                    pattern = singular(second)
                else:
                    continue
            mirror = b.mirror if v.code is None else ""
            defaults.append({"verb": lemma, "pattern": pattern, "code": code, "mirror": mirror if mirror in codes else "",
                             "kind": "", "origin": f"petrarch:{b.name}"})
            stats["verb default"] += 1
        verbs_in_block = {v.words[0] for v in b.verbs if v.words}
        for p in b.patterns:
            verb = p.verb if re.match(r"^[a-z][a-z\-]*$", p.verb or "") else ""
            if not verb:
                stats["pattern without verb"] += 1
                continue
            if verb not in verbs_in_block:
                stats["pattern verb outside block"] += 1
            try:
                particle, pattern = convert_pattern(p.pre, p.post, synsets)
            except Skip as why:
                stats[f"pattern skipped: {str(why).split(' ')[0]}"] += 1
                continue
            if not pattern.strip():
                stats["pattern skipped: particle only"] += 1
                if not particle:
                    continue
            elif re.fullmatch(r"(\([a-z]+\)\s*)+", pattern):
                stats["pattern skipped: bare preposition"] += 1
                continue
            code, mirror = p.code, p.mirror
            if code == "---":
                code_out = "-"
            elif not code and mirror:
                code_out, mirror = "<" + mirror, ""
            else:
                code_out = code
            if code_out.lstrip("<") not in codes and code_out != "-":
                stats["pattern unknown code"] += 1
                continue
            if mirror and mirror not in codes:
                mirror = ""
            patterns.append({"verb": f"{verb} {particle}".strip(), "pattern": pattern, "code": code_out,
                             "mirror": mirror, "kind": "", "origin": f"petrarch:{b.name}"})
            stats["pattern converted"] += 1
    return defaults, patterns, synsets, stats


def light_nouns(patterns: list[dict]) -> dict[str, str]:
    """Objects of light verbs ("hold talks", "launch offensive") -> majority code."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in patterns:
        verb = row["verb"].split()[0]
        if verb not in LIGHT_VERBS or row["code"].startswith("<") or row["code"] == "-":
            continue
        pat = row["pattern"]
        m = re.fullmatch(r"([a-z][a-z\-]+)(?: \((?:with|against|on|to|between) \+\))?", pat)
        if m:
            votes[m.group(1)][row["code"]] += 1
    out = {}
    for noun, c in votes.items():
        code, n = c.most_common(1)[0]
        out[noun] = code
    return out


def read_discards(path: str) -> list[dict]:
    rows = []
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("#", 1)[0].strip()
        if not line or re.fullmatch(r"[\d\s]+", line):
            continue
        story = line.startswith("+")
        phrase = line.lstrip("+").strip().rstrip("_").replace("_", " ")
        phrase = re.sub(r"\s+", " ", phrase).strip()
        low = phrase.lower()
        kind = ""
        if any(re.search(r"\b" + re.escape(k.strip()), low) for k in SPORT):
            kind = "sport"
        elif any(re.search(r"\b" + re.escape(k.strip()), low) for k in ENTERTAINMENT):
            kind = "entertainment"
        if not kind or len(phrase) < 4:
            continue
        rows.append({"phrase": phrase.lower(), "kind": kind, "scope": "article" if story else "sentence",
                     "origin": "petrarch:Phoenix.discards"})
    return rows


def write(name: str, header: list[str], rows: list[dict], comments: list[str]) -> None:
    path = os.path.join(DATA, name)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(f"# version: {VERSION}\n")
        for c in comments:
            fh.write(f"# {c}\n" if c else "#\n")
        fh.write("\t".join(header) + "\n")
        for r in rows:
            fh.write("\t".join(str(r.get(h, "") or "").replace("\t", " ") for h in header) + "\n")
    print(f"wrote {path}: {len(rows)} rows", file=sys.stderr)


def main(phoenix_dir: str) -> None:
    cameo = read_tsv(os.path.join(DATA, "cameo.tsv"))
    codes = {r["code"] for r in cameo}
    defaults, patterns, synsets, stats = petrarch_rows(os.path.join(phoenix_dir, "CAMEO.2.0.txt"), codes)
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}", file=sys.stderr)

    # -- sets
    sets_rows = [{"set": name.lower(), "words": "|".join(
        ("{" + w + "}" if " " in w else singular(w)) for w in members), "origin": "petrarch"}
        for name, members in synsets.items() if members]
    curated_sets = read_tsv(os.path.join(CURATED, "sets.tsv"))
    names = {r["set"] for r in curated_sets}
    sets_rows = [r for r in sets_rows if r["set"] not in names] + [dict(r, origin="curated") for r in curated_sets]
    write("event_sets.tsv", ["set", "words", "origin"], sets_rows, [
        "Named word sets for event patterns (@name). Words are lemmas; {two words} is a phrase ending in its head.",
        "Source: synonym sets of openeventdata/petrarch2 CAMEO.2.0.txt @ 676801cd (MIT), converted; plus curated sets.",
    ])

    # -- verbs
    curated = [dict(r, origin="curated") for r in read_tsv(os.path.join(CURATED, "verbs.tsv"))]
    keys = {(r["verb"], r["pattern"]) for r in curated}
    curated_defaults = {r["verb"] for r in curated if not r["pattern"]}
    # reporting verbs: PETRARCH's object patterns ("report attack" 190) would code the reported
    # event as the reporter's act; only curated patterns apply to them
    say_verbs = {r["verb"] for r in curated if not r["pattern"] and r.get("kind") == "say"}
    rows: list[dict] = list(curated)
    seen = set(keys)
    for r in defaults + patterns:
        key = (r["verb"], r["pattern"])
        if key in seen:
            continue
        if not r["pattern"] and r["verb"] in curated_defaults:
            continue
        if r["pattern"] and r["verb"] in say_verbs:
            continue
        seen.add(key)
        rows.append(r)
    rows.sort(key=lambda r: (r["verb"].split()[0], r["verb"], r["origin"] != "curated", r["pattern"]))
    write("event_patterns.tsv", ["verb", "pattern", "code", "mirror", "kind", "origin", "note"], rows, [
        "Verb patterns for CAMEO event coding; syntax in EVENTS.md. The most specific matching row wins.",
        "origin curated: written for communique; petrarch:BLOCK: converted from openeventdata/petrarch2",
        "CAMEO.2.0.txt @ 676801cd (MIT, Open Event Data Alliance), block BLOCK.",
    ])

    # -- nouns
    cur_nouns = [dict(r, origin="curated") for r in read_tsv(os.path.join(CURATED, "nouns.tsv"))]
    have = {r["noun"] for r in cur_nouns}
    derived = [{"noun": n, "pattern": "", "code": c, "mirror": "", "kind": "", "standalone": "no",
                "origin": "petrarch:light-verb objects"} for n, c in sorted(light_nouns(patterns).items())
               if n not in have]
    nouns = sorted(cur_nouns + derived, key=lambda r: (r["noun"], r["origin"] != "curated", r["pattern"]))
    write("event_nouns.tsv", ["noun", "pattern", "code", "mirror", "kind", "standalone", "origin", "note"], nouns, [
        "Nominal and adjectival events and frames (talks between, visit to, sanctions against, ready to).",
        "standalone yes: the noun is an event by itself when its own phrase names a participant;",
        "otherwise it only gives the code of a light verb's object or a frame's complement.",
        "origin petrarch: objects of light verbs in openeventdata/petrarch2 CAMEO.2.0.txt @ 676801cd (MIT).",
    ])

    # -- frames
    frames = read_tsv(os.path.join(CURATED, "frames.tsv"))
    write("event_frames.tsv", ["frame", "topic", "code", "note"], frames, [
        "How a frame combines with the code of its complement: topic is a CAMEO code prefix of the",
        "complement (longest prefix wins, * = anything else); code '=' keeps the complement's code,",
        "'-' codes nothing, '@frame' falls back to another frame. Written for communique from the",
        "CAMEO 1.1b3 codebook's category definitions.",
    ])

    # -- discards
    disc = read_discards(os.path.join(phoenix_dir, "Phoenix.discards.txt"))
    cur_disc = [dict(r, origin="curated") for r in read_tsv(os.path.join(CURATED, "discards.tsv"))]
    drop = {r["phrase"] for r in cur_disc if r["kind"] == "-"}
    have = {r["phrase"] for r in cur_disc}
    disc = [r for r in disc if r["phrase"] not in have and r["phrase"] not in drop]
    out = sorted([r for r in cur_disc if r["kind"] != "-"] + disc, key=lambda r: (r["kind"], r["phrase"]))
    write("event_discards.tsv", ["phrase", "kind", "scope", "origin"], out, [
        "Phrases that mark text as not codable. scope sentence: events of that sentence are dropped;",
        "article: also every event of the article when the phrase is in its first sentence;",
        "clause: only events whose clause contains the phrase (historical narrative).",
        "origin petrarch: sports/entertainment entries of openeventdata/petrarch2 Phoenix.discards.txt",
        "@ 676801cd (MIT), selected by keyword.",
    ])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/phoenix")
