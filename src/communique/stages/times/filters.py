"""Filters: matches of a detection pattern that are not time expressions after all.

Each ``drop_*`` predicate takes the compiled grammar (for its word regexes), the text and
a match ``text[s:e]`` and says whether to drop it; a rule lists the filters that apply
to its matches (``rules.py``). The rest are helpers of the stage: years that are counts,
rates, spaCy entities to trim.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grammar import TimeGrammar

_PREP_BEFORE = re.compile(r"(?:\b(?:in|on|since|until|till|by|early|late|mid|last|next|this|of|during|from|"
                          r"through|before|after|between|and|or|to|for|until|late|end|beginning|until)\s+|-)$",
                          re.IGNORECASE)
_AGE_AFTER = re.compile(r"^(?:[\s-]+old\b|\s+of\s+age\b)", re.IGNORECASE)
_POSS_BEFORE = re.compile(r"\b(?:his|her|their|its|my|our|your)\s+(?:(?:early|late|mid)[\s-]+)?$", re.I)
_NUMBERISH = re.compile(r"[$#£€]\s*$|\b(?:No\.|number|page|flight|route|highway|room|model|version|"
                        r"Nos?\.)\s*$", re.IGNORECASE)
_ADJ_DUR = re.compile(r"(the\s+)(?:\S+[\s-])?(?:\d+|[a-z]+)[\s-](?:second|minute|hour|day|night|week|month|"
                      r"quarter|year|decade|century)(?:-long)?", re.IGNORECASE)


# --------------------------------------------------------------------------- month names

def _month_ok(g: TimeGrammar, text: str, s: int, e: int, bare_may_march: bool) -> bool:
    """Month names must be capitalised; with ``bare_may_march``, "May"/"March" alone need a
    preposition before or punctuation after (and "May" is not followed by a verb)."""
    seg = text[s:e]
    for m in g.month_word.finditer(seg):
        w = m.group()
        if not w[0].isupper():
            return False
        if w.lower() in ("may", "march") and bare_may_march and m.end() == len(seg) and m.start() == 0:
            after = text[e:e + 12]
            if not (_PREP_BEFORE.search(text[max(0, s - 12):s]) or re.match(r"\s*[.,;:)]", after)):
                return False
            if w.lower() == "may" and re.match(r"\s+(?:be|have|not|also|well|take|want|need|face|still)\b",
                                               after):
                return False
    return True


def drop_lowercase_month(g, text, s, e) -> bool:
    return not _month_ok(g, text, s, e, False)


def drop_month_or_verb(g, text, s, e) -> bool:
    """Also "May" the verb and "March" the noun when they stand alone."""
    return not _month_ok(g, text, s, e, True)


# --------------------------------------------------------------------------- per-pattern filters

def drop_lowercase_holiday(g, text, s, e) -> bool:
    seg = text[s:e]
    if not seg.split()[-1][0].isupper() and not seg[0].isupper():
        return True
    return not any(w[0].isupper() for w in seg.split() if w.lower() not in ("last", "next", "this"))


def drop_fall_verb(g, text, s, e) -> bool:
    """"fall" is a season only with a modifier, a year after, or a preposition before."""
    seg = text[s:e]
    return re.search(r"\bfall\b", seg, re.I) is not None and \
        not re.search(r"(?:last|next|this|early|late|mid|the)[\s-]+fall|fall\s+(?:of\s+)?\d", seg, re.I) and \
        not re.search(r"\b(?:in|this|last|next|the)\s+$", text[max(0, s - 6):s], re.I)


def drop_age(g, text, s, e) -> bool:
    """Ages: TimeBank does not annotate "58-year-old"."""
    return re.search(r"year", text[s:e], re.I) is not None and _AGE_AFTER.match(text[e:]) is not None


def drop_possessive_decade(g, text, s, e) -> bool:
    """"in his 30s" is an age."""
    return _POSS_BEFORE.search(text[max(0, s - 20):s]) is not None


def drop_count(g, text, s, e) -> bool:
    return re.fullmatch(r"\d{4}", text[s:e]) is not None and not_a_year(text, s, e)


def drop_rate(g, text, s, e) -> bool:
    """"$1 billion a year" is a rate, not a time expression; "a year" needs a cue before."""
    return re.fullmatch(r"(?:a|an)\s+\w+", text[s:e], re.I) is not None and (_rate_before(text, s) or (
        not re.search(r"\b(?:for|in|within|over|about|nearly|almost|than|of|after|last|past|"
                      r"only|just|least|takes?|took|spent|spend|lasted|lasts?)\s+$",
                      text[max(0, s - 12):s], re.I)))


def drop_fraction(g, text, s, e) -> bool:
    """"three-quarters of its food"."""
    return re.search(r"quarters?$", text[s:e], re.I) is not None and re.match(r"\s+of\b", text[e:]) is not None


def drop_title(g, text, s, e) -> bool:
    """"60 Minutes", "This Week", "Spring of Life": titles."""
    return _title_case(text, s, text[s:e])


def drop_high_noon(g, text, s, e) -> bool:
    return re.search(r"\bhigh\s+$", text[max(0, s - 6):s], re.I) is not None


def drop_ordinal_second(g, text, s, e) -> bool:
    """"a second motion": the ordinal."""
    return re.fullmatch(r"(?:a|one)\s+second", text[s:e], re.I) is not None and \
        re.match(r"\s+(?!(?:or|and|of|later|ago|earlier|before|after|longer|in|to|for)\b)[a-z]",
                 text[e:e + 12]) is not None


def drop_every_adjective(g, text, s, e) -> bool:
    """"his every day life": the adjective."""
    return re.match(r"\s+(?:life|lives|language|items|objects|routine)\b", text[e:e + 12]) is not None


def drop_end_of_day(g, text, s, e) -> bool:
    """"at the end of the day": an idiom."""
    return re.fullmatch(r"the\s+end\s+of\s+the\s+day", text[s:e], re.I) is not None


def drop_bare_clock(g, text, s, e) -> bool:
    """"First Corinthians 9:25", scores: a bare h:mm needs a cue."""
    return re.fullmatch(r"\d{1,2}:\d\d", text[s:e]) is not None and \
        not re.search(r"\b(?:at|by|around|about|until|till|from|before|after|since|approximately|to|"
                      r"until|between|and|or)\s+$", text[max(0, s - 15):s], re.I) and \
        not re.match(r"\s*(?:local|GMT|UTC|[ECMP][SD]T\b|hours?\b|h\b)", text[e:e + 8])


def drop_newspaper(g, text, s, e) -> bool:
    """"the Communist Party daily Granma"."""
    return text[s:e].lower() == "daily" and re.match(r"\s+[A-Z]", text[e:]) is not None


# --------------------------------------------------------------------------- helpers

def adjectival_the(seg: str) -> int:
    """Length of a leading "the" to drop from an adjectival duration ("the 14-day")."""
    m = _ADJ_DUR.fullmatch(seg)
    if m and not re.match(r"the\s+(?:past|last|next|first|coming|previous|following|final)\b", seg, re.I):
        return m.end(1)
    return 0


def _title_case(text: str, s: int, seg: str) -> bool:
    """A capitalised unit or season word inside a sentence belongs to a title."""
    words = seg.split()
    last = words[-1]
    if not last[:1].isupper() or seg.isupper():
        return False
    if len(words) > 1:
        return True
    before = text[max(0, s - 3):s]
    return not (s == 0 or re.search(r"[.!?\n][\s\"'`]*$", before))


def not_a_year(text: str, s: int, e: int) -> bool:
    """Whether the four digits ``text[s:e]`` are a count, a clock time or a number, not a year."""
    before, after = text[max(0, s - 12):s], text[e:e + 12]
    if _NUMBERISH.search(before):
        return True
    if re.match(r"\s*(?:percent|%|people|persons|men|women|troops|soldiers|votes|shares|dollars|miles|"
                r"kilometers|meters|feet|tons|barrels|acres|points|employees|workers|jobs|cars|units)\b",
                after, re.I):
        return True
    if re.match(r"[-/]\d", after) and not re.match(r"-\d{2}\b", after):
        return True
    if re.match(r"\s*(?:UTC|GMT|Z\b|hours\b|hrs\b|[ECMP][SD]T\b|local\b)", after) or \
            re.match(r"\s*\d{4}\s+[A-Z][a-z]+day\b", text[s:e + 12]):
        return True   # "(1700 UTC)": a clock time
    if re.match(r"\s+(?:had|have|has|were|was|are|is|of\s+(?:the|them|whom|which))\b", after) and \
            not re.search(r"\b(?:in|since|by|until|till|from|before|after|during|of|early|late|mid|"
                          r"to|between|around|circa|c\.|fiscal|year)\s+$", before, re.I) and \
            not re.search(r"[A-Z][a-z]+\.?\s+$", before):
        return True   # "1720 had already been discharged": a count
    return False


def _rate_before(text: str, s: int) -> bool:
    """"$1 billion a year", "hundreds of interviews a day": a rate, i.e. a set."""
    before = text[max(0, s - 40):s]
    return re.search(r"(?:\d|\b(?:million|billion|thousand|hundreds?|dozens?|times|percent|once|twice))"
                     r"(?:\s+[a-z]+){0,2}\s+$", before, re.I) is not None


def trim_entity(text: str, s: int, e: int) -> tuple[int, int]:
    """A spaCy DATE/TIME entity without leading prepositions and trailing punctuation."""
    seg = text[s:e]
    m = re.match(r"(?:(?:in|on|at|by|since|until|from|for|during|of|about|around|approximately|nearly|"
                 r"almost|roughly|some|only|just)\s+)+", seg, re.IGNORECASE)
    if m and m.end() < len(seg):
        s += m.end()
    seg = text[s:e]
    m = re.search(r"(?:'s|[\s,.;:]+)$", seg)
    if m and m.start() > 0:
        e = s + m.start()
    return s, e
