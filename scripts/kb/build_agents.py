"""Build src/communique/kb/data/agents.tsv.

Inputs: Phoenix.agents.txt (converted) and scripts/kb/agents_manual.tsv
(hand-built, wins on conflicts).  Conversion of a Phoenix line

    PHRASE_WORDS {IRREGULAR_PLURAL} [~CODE]   # comment

* substitution sets (!PERSON!, !MINIST!) are expanded to their singular
  members (man/woman/person, minister/ministry);
* the stem DEFENSE_MINIST and similar truncated words are completed;
* underscores become spaces, the phrase is lower-cased; {plural} forms are
  dropped because phrases are singular;
* the first element of the agent code is the sector, mapped to our list
  (MED -> JRN, PPL -> UNK, INS/SEP -> REB); a religion code (MUS, CHR, ...)
  gives way to a following functional code (MUSREB -> REB) and otherwise
  becomes REL; IGO~ (prefix codes) -> IGO, NGO~ -> NGO.
"""

from __future__ import annotations

import os
import re

import kbcommon as kb
from phoenix_reader import PHOENIX_DIR

MANUAL = os.path.join(kb.HERE, "agents_manual.tsv")
OUT = os.path.join(kb.DATA, "agents.tsv")
HEADER = ["phrase", "sector", "role", "source"]
PHX = "phoenix:Phoenix.agents.txt"

SINGULAR_MEMBERS = {"PERSON": ["MAN", "WOMAN", "PERSON"], "MINIST": ["MINISTER", "MINISTRY"]}
STEMS = {"MINIST": ["MINISTER", "MINISTRY"], "MINISTR": ["MINISTER", "MINISTRY"]}

GOVERNMENT_OFFICE = re.compile(r"\b(minister|ministry|ministries|department|secretary of)\b")
_LINE = re.compile(r"^(?P<phrase>[^\[{#]+?)\s*(\{[^}]*\})?\s*\[(?P<code>[^\]}]*)[\]}]")


def agent_sector(code: str) -> str:
    code = code.strip()
    if code.endswith("~"):                       # prefix code: [IGO~], [NGO~]
        head = code[:-1][:3]
        return head if head in kb.SECTORS else ""
    elems = [code.strip("~")[i:i + 3] for i in range(0, len(code.strip("~")), 3)]
    for i, e in enumerate(elems):
        if e in kb.RELIGION_CODES and e not in kb.SECTORS:
            later = [kb.map_sector(x) for x in elems[i + 1:] if kb.map_sector(x)]
            return later[0] if later else "REL"
        s = kb.map_sector(e)
        if s:
            return s
    return ""


def expand(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    out = [phrase]
    for name, members in sets.items():
        marker = f"!{name}!"
        nxt = []
        for p in out:
            if marker in p:
                nxt.extend(p.replace(marker, m) for m in members)
            else:
                nxt.append(p)
        out = nxt
    return out


def normalise(phrase: str) -> list[str]:
    words = re.sub(r"[_\s]+", " ", phrase).strip().split(" ")
    if not words or not words[0]:
        return []
    variants = [[]]
    for w in words:
        options = STEMS.get(w.upper(), [w])
        variants = [v + [o] for v in variants for o in options]
    return [" ".join(v).lower().strip(" ,") for v in variants]


def read_phoenix() -> list[tuple[str, str]]:
    sets: dict[str, list[str]] = {}
    rows: list[tuple[str, str]] = []
    with open(os.path.join(PHOENIX_DIR, "Phoenix.agents.txt"), encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^!(\w+)!\s*=\s*(.+)$", line)
            if m:
                members = [x.strip() for x in m.group(2).split(",")]
                sets[m.group(1)] = SINGULAR_MEMBERS.get(m.group(1), members)
                continue
            m = _LINE.match(line)
            if not m:
                continue
            sector = agent_sector(m.group("code"))
            if not sector:
                continue
            phrase = m.group("phrase").strip()
            if "!MINIST!RATIVE" in phrase:              # AD!MINIST!RATIVE: macro hit a word
                phrase = phrase.replace("AD!MINIST!RATIVE", "ADMINISTRATIVE")
            for p in expand(phrase, sets):
                if "!" in p or not p.isascii():
                    continue
                for q in normalise(p):
                    if re.search(r"[a-z]", q):
                        rows.append((q, sector))
    return rows


def main() -> None:
    manual = kb.read_tsv(MANUAL)
    phoenix = read_phoenix()
    phoenix_sector: dict[str, str] = {}
    conflicts = []
    for phrase, sector in phoenix:
        if GOVERNMENT_OFFICE.search(phrase) and sector not in ("GOV", "MIL", "LEG", "JUD", "COP", "SPY"):
            sector = "GOV"   # "ministry of environment [~ENV]": the office is government
        if ", along with" in phrase:
            continue
        if phrase in phoenix_sector and phoenix_sector[phrase] != sector:
            conflicts.append(f"{phrase}: {phoenix_sector[phrase]} kept, {sector} dropped")
            continue
        phoenix_sector.setdefault(phrase, sector)

    rows: dict[str, dict] = {}
    for r in manual:
        phrase = kb.clean_cell(r["phrase"]).lower()
        if phrase in rows:
            raise SystemExit(f"duplicate phrase in agents_manual.tsv: {phrase}")
        src = PHX if phoenix_sector.get(phrase) == r["sector"] else "communique"
        rows[phrase] = {"phrase": phrase, "sector": r["sector"], "role": r["role"], "source": src}
    overridden = 0
    for phrase, sector in phoenix_sector.items():
        if phrase in rows:
            overridden += rows[phrase]["sector"] != sector
            continue
        rows[phrase] = {"phrase": phrase, "sector": sector, "role": "", "source": PHX}

    out = sorted(rows.values(), key=lambda r: (r["sector"], r["phrase"]))
    kb.write_tsv(OUT, HEADER, out, [
        "Role and sector nouns (lower-case, singular). sector = CAMEO/PLOVER agent code of the noun;",
        "JRN = media (CAMEO MED), HLH = health (PLOVER MED); PRE = partially recognised entity; UNK = unidentified.",
        "role = canonical title when the noun is used before a person's name (\"Defense Minister X\").",
        "source communique = added for this project; phoenix:Phoenix.agents.txt = converted (MIT, Open Event Data Alliance).",
        "Generated by scripts/kb/build_agents.py from Phoenix.agents.txt and scripts/kb/agents_manual.tsv.",
    ])
    print(f"agents.tsv: {len(out)} rows ({len(manual)} hand-built, {len(out) - len(manual)} Phoenix-only); "
          f"{len(conflicts)} Phoenix duplicates with conflicting codes resolved; {overridden} Phoenix codes overridden")
    for c in conflicts:
        print("  conflict:", c)


if __name__ == "__main__":
    main()
