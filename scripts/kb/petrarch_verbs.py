"""Read PETRARCH2's CAMEO verb dictionary (``CAMEO.2.0.txt``) into plain records.

Build-time only. Only the file *format* is interpreted here (PETRARCH documentation,
"Verb Dictionary"); what to keep and how to express it in communique's own pattern
syntax is decided by ``build_event_patterns.py``.

Format, as far as we use it:

    &SYNSET_NAME            a synonym set; its members follow as ``+WORD`` lines
    ---  NAME  [code]  ---  a verb block; [---] means the block has no default code
    VERB {FORM FORM} [code] a verb of the block, optional irregular forms, optional own code
    +VERB_PARTICLE {...}    a multi-word verb ("+MEET_WITH")
    - PRE * POST [code]     a phrase pattern: ``*`` is the verb, words after it are its
                            object, ``(PREP ...)`` a prepositional phrase, ``{A B}`` a
                            multi-word noun phrase, ``&SET`` a synonym set, ``+`` the
                            target, ``$`` the source, ``^`` a skipped phrase.
                            [a:b] codes an event a and a mirrored event b (target to
                            source); [:b] only the mirrored one; [---] codes nothing.
                            The trailing ``# VERB`` names the verb the pattern was
                            written for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class PVerb:
    words: list[str]           # lower-case words: ["meet", "with"]
    code: str | None           # own code, "---" for null, None to inherit the block's


@dataclass
class PPattern:
    pre: list[str]             # raw tokens before "*"
    post: list[str]            # raw tokens after "*"
    code: str                  # primary code ("" when only a mirrored code, "---" null)
    mirror: str                # mirrored code or ""
    verb: str                  # the verb the pattern was written for (lower case), or ""
    line: int


@dataclass
class PBlock:
    name: str
    code: str | None           # block default; None for [---]
    mirror: str
    verbs: list[PVerb] = field(default_factory=list)
    patterns: list[PPattern] = field(default_factory=list)
    line: int = 0


_HEAD = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
_CODE = re.compile(r"\[([0-9:\-]*)\]")


def _split_code(raw: str) -> tuple[str | None, str]:
    raw = raw.strip()
    if not raw or set(raw) <= {"-"}:
        return None, ""
    if ":" in raw:
        a, b = raw.split(":", 1)
        return (a if a and a.isdigit() else ""), (b if b.isdigit() else "")
    return (raw if raw.isdigit() else None), ""


def _tokens(text: str) -> list[str]:
    """Split a pattern side into tokens, keeping {...} and (...) groups whole."""
    out, buf, depth = [], "", 0
    for ch in text:
        if ch in "({":
            if depth == 0 and buf.strip():
                out.extend(buf.split())
                buf = ""
            depth += 1
            buf += ch
        elif ch in ")}":
            depth = max(0, depth - 1)
            buf += ch
            if depth == 0:
                out.append(buf.strip())
                buf = ""
        elif ch.isspace() and depth == 0:
            if buf.strip():
                out.append(buf.strip())
            buf = ""
        else:
            buf += ch
    if buf.strip():
        out.extend(buf.split())
    return out


def read_synsets(path: str) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current = None
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("#", 1)[0].rstrip()
        if line.startswith("####### VERB PATTERNS"):
            break
        if raw.startswith("####### VERB PATTERNS"):
            break
        if line.startswith("&"):
            current = line[1:].strip().rstrip("_").upper()
            sets[current] = []
            continue
        if current and line.startswith("+"):
            word = line[1:].strip().rstrip("_").replace("_", " ").lower()
            if word:
                sets[current].append(word)
        elif not line.strip():
            continue
    return sets


def read_blocks(path: str) -> list[PBlock]:
    blocks: list[PBlock] = []
    cur: PBlock | None = None
    in_verbs = False
    for lineno, raw in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        line = raw.rstrip("\n")
        if line.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        if not in_verbs:
            continue
        m = _HEAD.match(line)
        if m:
            code, mirror = _split_code(m.group(2))
            cur = PBlock(m.group(1).upper(), code, mirror, line=lineno)
            blocks.append(cur)
            continue
        if cur is None or not line.strip() or line.startswith("#"):
            continue
        if line.startswith("-"):
            body, _, comment = line[1:].partition("#")
            cm = _CODE.search(body)
            if not cm:
                continue
            code, mirror = _split_code(cm.group(1))
            if code is None and not mirror:
                code = "---"
            body = body[:cm.start()]
            if "*" not in body:
                continue
            pre, _, post = body.partition("*")
            verb = comment.strip().split()[0].lower() if comment.strip() else ""
            cur.patterns.append(PPattern(_tokens(pre), _tokens(post), code or "", mirror,
                                         verb.strip(".,;"), lineno))
            continue
        body = line.split("#", 1)[0]
        cm = _CODE.search(body)
        own: str | None = None
        if cm:
            code, _ = _split_code(cm.group(1))
            own = code if code else "---"
            body = body[:cm.start()] + body[cm.end():]
        body = re.sub(r"\{[^}]*\}", " ", body).strip()
        if not body:
            continue
        word = body.split()[0].lstrip("+").rstrip("_")
        if not re.match(r"^[A-Z][A-Z_'\-]*$", word):
            continue
        cur.verbs.append(PVerb(word.lower().replace("_", " ").split(), own))
    return blocks
