"""The time grammar: one declaration per rule binds how it is read and how it is found.

A ``Rule`` has up to two halves:

* ``parse`` + ``handler``: the normaliser. ``parse`` builds a regex matched against the
  whole cleaned expression ("last june"); ``handler`` (in ``normalisers.py``) turns the
  match into a TimeML value. Normalisation tries the rules in ``RULES`` order, after
  stripping leading words such as "in" or "the end of", and the first value wins.
* ``find``: the detector. A regex run over the article text near trigger words of its
  classes (``triggers.T``), the filters that drop false matches, and what the stage does
  with what it finds (whether its value anchors later "that day", whether tense is read
  through a noun).

Rules without ``find`` only read expressions that other rules or spaCy's entities find
("8/31/2025" as part of a clock time, "the 4th of July"); rules without ``handler`` find
expressions that other rules read once their leading words are stripped ("the end of
June" is read by ``month``). ``tests/unit/test_times.py`` checks that every rule that
finds expressions finds and reads its ``example``, so the halves cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from . import filters as F
from . import normalisers as N
from .triggers import T
from .vocabulary import Vocab, alt

Pattern = Callable[[SimpleNamespace], str]


@dataclass(frozen=True)
class Find:
    pattern: Pattern                  # regex over running text (case-insensitive), from the find fragments
    triggers: T                       # run only near words of these classes
    rank: int                         # when two rules find the same span, the lower rank names it
    drop: tuple[Callable, ...] = ()   # filters (filters.py): a match any of them drops is no time
    anchor: bool = False              # a value found by this rule is the reference time for later ones
    through_nouns: bool = False       # tense is read through a noun ("said Wednesday's quake")
    coordinated_days: bool = False    # "April 24 and 25": the second day is a date of its own
    adjectival: bool = False          # "the 14-day period": the article belongs to the noun
    dated_by_event: bool = False      # "the weeks before the shooting" is dated by the last date


@dataclass(frozen=True)
class Rule:
    name: str
    parse: Pattern | None = None
    handler: Callable | None = None
    find: Find | None = None
    example: str = ""                 # found by ``find`` and read by the grammar (tested)


def parse_fragments(v: Vocab) -> SimpleNamespace:
    """Pieces of the normaliser's regexes (the text is lower-cased and cleaned first)."""
    ordw = alt(v.ordinals)
    return SimpleNamespace(
        mon=alt(v.months), wd=alt(v.weekdays), ordw=ordw, season=alt(v.seasons),
        part=alt(k for k in v.parts if k not in ("tonight",)),
        unit=r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|weekends?|months?|quarters?|years?|"
             r"decades?|centur(?:y|ies)|millenni(?:um|a|ums))",
        qty=r"(?:\d+(?:\.\d+)?(?: \d/\d)?|\d/\d|" + alt(k for k, d in v.numbers.items() if not d.isdigit() or
                                                        k in ("a", "an", "a couple", "a couple of", "couple of"))
            + r"|half an?)",
        numd=alt(k for k, d in v.numbers.items() if d.isdigit()),
        day=rf"(?:(\d{{1,2}})|({ordw}))", year=r"(\d{4})", tz=r"(?: (?:[a-z]{2,4}t|gmt|utc|local time))?",
        clock=r"(?:(\d{1,2})(?::(\d\d))? ?(am|pm)|(\d{1,2}):(\d\d)|(noon|midnight|midday)|"
              r"(\d{1,2})(?: o'clock)? in the (morning|afternoon|evening|night))",
        hol=alt(v.holidays), decw=alt(v.decades), qord=r"(first|second|third|fourth|final|1|2|3|4)",
    )


def find_fragments(v: Vocab) -> SimpleNamespace:
    """Pieces of the detector's regexes (run case-insensitively over the article text)."""
    full_months = [m for m in v.months if len(m) > 3 or m == "may"]
    abbr_months = [m for m in v.months if len(m) <= 4 and m not in ("may", "june", "july")]
    monf = rf"(?:{alt(full_months)})"
    mon = rf"(?:{monf}|(?:(?:{alt(abbr_months)})\.))"
    wd = rf"(?:{alt(v.weekdays)})"
    numw = alt(w for w, d in v.numbers.items() if d.isdigit() and " " not in w and w not in ("a", "an"))
    numrun = rf"(?:(?:{numw})(?:(?:\s+|-|\s+and\s+)(?:{numw}))*)"
    ordw = alt(v.ordinals)
    day = rf"(?:(?:[12]?\d|3[01])(?:st|nd|rd|th)?(?![\d%]|[.,]\d)|(?:the\s+)?(?:{ordw})\b)"
    yearn = r"(?:1[5-9]\d\d|20\d\d|21\d\d)(?![\d%]|[.,]\d|\s*(?:percent|%))"
    teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    units9 = "one|two|three|four|five|six|seven|eight|nine"
    yearw = rf"(?:nineteen[\s-]+(?:(?:{tens})(?:[\s-]+(?:{units9}))?|{teens}|hundred)|" \
            rf"two\s+thousand(?:\s+and)?(?:[\s-]+(?:{teens}|{units9}|(?:{tens})(?:[\s-]+(?:{units9}))?))?)"
    year = rf"(?:{yearn}|{yearw})"
    part = r"(?:morning|afternoon|evening|night)"
    md = rf"(?:{mon}\s+{day}(?:\s*,?\s+{year})?|(?:the\s+)?{day}\s+(?:of\s+)?{mon}(?:\s*,?\s+{year})?)"
    return SimpleNamespace(
        monf=monf, mon=mon, wd=wd, ordw=ordw, day=day, year=year, part=part, md=md,
        qty=rf"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|\d/\d|{numrun}|"
            rf"{alt(k for k, d in v.numbers.items() if not d.isdigit() or k in ('a', 'an'))}|a\s+couple\s+of|"
            rf"couple\s+of)",
        unit=r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|weekends?|months?|quarters?|"
             r"years?|decades?|centur(?:y|ies)|millenni(?:um|a))",
        season=r"(?:spring|summer|autumn|winter|fall)",
        clk=r"(?:\d{1,2}:\d\d(?:\s*[ap]\.?\s?m\b\.?)?|\d{1,2}\s*[ap]\.\s?m\b\.?|\d{1,2}\s*[ap]m\b|"
            r"\d{1,2}\s+o'clock|noon|midnight|midday|\d{1,2}(?:\s+o'clock)?\s+in\s+the\s+(?:morning|afternoon|"
            r"evening))",
        tz=r"(?:\s+\(?(?:[ECMP][SD]T|GMT|UTC)\)?)?",
        wdx=rf"(?:(?:(?:last|next|this\s+coming|this|coming|past)\s+)?{wd}s?(?:\s+{part}s?)?(?:\s*,\s*{md})?)",
        rel=r"(?:this|last|next|past|previous|coming|current|following|same|that|present|prior|preceding)",
        hol=alt(v.holidays), decw=alt(v.decades),
        vague=alt(p for p, (_, _, det) in v.vague.items() if det),
        qord=r"(?:first|second|third|fourth|final|1st|2nd|3rd|4th)",
        appr=r"(?:(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|"
             r"no\s+less\s+than|up\s+to|over|under|nearly|almost|about|around|roughly|approximately|some|"
             r"just|only|barely|a\s+little\s+(?:over|more\s+than))\s+)",
        dmods=r"(?:(?:past|last|next|first|final|coming|previous|following|recent|remaining|initial|entire|"
              r"whole|full|latest|same|additional|another|better\s+part\s+of\s+the)\s+)",
    )


_MONTH_FILTERS = (F.drop_lowercase_month,)
_MONTH_ALONE_FILTERS = (F.drop_month_or_verb,)

# Normalisation order: the first rule whose handler gives a value wins.
RULES: tuple[Rule, ...] = (
    Rule("iso", lambda p: r"(\d{4})-(\d\d)-(\d\d)(?:t(\d\d):(\d\d))?", N.h_iso),
    Rule("slash", lambda p: r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", N.h_slash),
    # clock times, with an optional day
    Rule("clock", lambda p: rf"{p.clock}{p.tz}(?:,? (?:on |of )?(.+))?", N.h_clock,
         Find(lambda f: rf"{f.clk}{f.tz}(?:\s*,?\s+(?:on\s+)?(?:{f.wdx}|{f.md}|today|yesterday|tomorrow|tonight))?",
              T.CLK | T.PART, 0, _MONTH_FILTERS + (F.drop_high_noon, F.drop_bare_clock), anchor=True,
              through_nouns=True), "10:30 a.m. on Friday"),
    Rule("clock_rev", lambda p: rf"(.+?),? at {p.clock}{p.tz}", N.h_clock_rev),
    # weekdays
    Rule("weekday", lambda p: rf"(?:(last|next|this coming|this|coming|past|previous) )?({p.wd})(s)?"
                              rf"(?: ({p.part})(s)?)?(?:,? (.+))?", N.h_weekday,
         Find(lambda f: rf"(?:(?:early|late)\s+)?(?:this\s+coming\s+)?{f.wdx}", T.WD, 2, _MONTH_FILTERS,
              anchor=True, through_nouns=True), "last Wednesday"),
    Rule("part_day", lambda p: rf"(?:(?:early|late|mid)[ -]?)?({p.part}) (?:of )?(today|yesterday|tomorrow|{p.wd})",
         N.h_part_day,
         Find(lambda f: rf"(?:(?:early|late|mid)[\s-]?)?{f.part}\s+(?:of\s+)?(?:today|yesterday|tomorrow)",
              T.DEIC, 1, anchor=True, through_nouns=True), "late morning today"),
    # days relative to today
    Rule("deictic", lambda p: rf"(?:the day (before|after) )?(today|yesterday|tomorrow|tonight)(?: ({p.part}))?",
         N.h_deictic,
         Find(lambda f: rf"(?:(?:early|late)\s+)?(?:the\s+day\s+(?:before|after)\s+)?(?:today|yesterday|tomorrow|"
                        rf"tonight)(?:\s+{f.part})?", T.DEIC, 19, anchor=True, through_nouns=True),
         "the day before yesterday"),
    Rule("this_part", lambda p: rf"(this|last|tomorrow|yesterday) ({p.part})", N.h_this_part),
    # month and day
    Rule("md", lambda p: rf"(?:(last|next|this|this coming|coming) )?({p.mon})\.? {p.day}(?:,? {p.year})?", N.h_md,
         Find(lambda f: rf"(?:(?:last|next|this)\s+)?{f.md}", T.MON, 4, _MONTH_ALONE_FILTERS, anchor=True,
              coordinated_days=True), "Sept. 30, 1989"),
    Rule("dm", lambda p: rf"(?:the )?{p.day} (?:of )?({p.mon})\.?(?:,? {p.year})?", N.h_dm),
    Rule("week_of", lambda p: r"the (week|weekend) of (.+)", N.h_week_of,
         Find(lambda f: rf"the\s+week(?:end)?\s+of\s+{f.md}", T.MON, 3, _MONTH_FILTERS, anchor=True),
         "the week of March 6"),
    Rule("month_year", lambda p: rf"({p.mon})\.?,? (?:of )?{p.year}", N.h_my,
         Find(lambda f: rf"(?:(?:early|late|mid)[\s-]+)?{f.monf}(?:\s*,?\s+(?:of\s+)?{f.year}|\s+(?:of\s+)?"
                        rf"(?:last|this|next)\s+year)?", T.MON, 5, _MONTH_ALONE_FILTERS, anchor=True),
         "June 2024"),
    Rule("month_rel_year", lambda p: rf"({p.mon})\.? (?:of )?(last|this|next) year", N.h_m_rel),
    Rule("month", lambda p: rf"(?:(last|next|this|this coming|coming|past) )?({p.mon})\.?", N.h_month,
         Find(lambda f: rf"(?:last|next|this|this\s+coming|coming)\s+{f.monf}", T.MON, 6, _MONTH_FILTERS,
              anchor=True), "last February"),
    # holidays
    Rule("holiday", lambda p: rf"(?:(last|next|this|this coming) )?({p.hol})(?:,? {p.year})?( week)?",
         N.h_holiday,
         Find(lambda f: rf"(?:(?:last|next|this)\s+)?(?:{f.hol})(?:\s*,?\s+{f.year})?(?:\s+week)?", T.HOL, 7,
              _MONTH_FILTERS + (F.drop_lowercase_holiday,), anchor=True), "Christmas"),
    # seasons
    Rule("season", lambda p: rf"(?:(last|next|this|this coming|coming|past|the past|the coming) )?(?:the )?"
                             rf"({p.season})(?: (?:of )?(?:{p.year}|(last|this|next) year))?", N.h_season,
         Find(lambda f: rf"(?:(?:last|next|this|early|late|mid)[\s-]+)?(?:the\s+)?{f.season}(?:\s+(?:of\s+)?"
                        rf"(?:{f.year}|(?:last|this|next)\s+year))?", T.SEASON, 8,
              (F.drop_fall_verb, F.drop_title), anchor=True), "last summer"),
    Rule("seasons", lambda p: rf"(?:the )?(?:past|last|next) \d+ ({p.season})s", N.h_seasons_set,
         Find(lambda f: rf"the\s+(?:past|last|next)\s+{f.qty}\s+(?:spring|summer|autumn|winter)s", T.SEASON, 9),
         "the past three summers"),
    # years, decades, centuries
    Rule("yearend", lambda p: r"(year|month|quarter)-end", N.h_yearend,
         Find(lambda f: r"(?:year|month|quarter)-end\b", T.BOUND, 23), "year-end"),
    Rule("year", lambda p: r"(?:the )?(?:(?:calendar|fiscal|fy|fiscal year|year|model year)[ -]?)?"
                           r"(?:(?:pre|post|mid)-)?(\d{4})(?:(?: fiscal)? (?:year|period|season|calendar year))?",
         N.h_year,
         Find(lambda f: rf"(?:(?:fiscal|FY|calendar|model)\s*(?:year\s+)?|(?:pre|post|mid)-)?{f.year}"
                        rf"(?:(?:'s)?\s+(?:fiscal\s+)?(?:period|{f.qord}[\s-]+(?:quarter|half)))?", T.Y4, 10,
              (F.drop_count,), anchor=True), "fiscal 1989"),
    # "the year 2022" is read by ``year``
    Rule("the_year", find=Find(lambda f: rf"the\s+year\s+{f.year}", T.Y4, 11, anchor=True),
         example="the year 2022"),
    Rule("year_apostrophe", lambda p: r"'(\d\d)", N.h_year_ap),
    Rule("decade", lambda p: r"(?:the )?(\d{3})0 ?'?s", N.h_decade,
         Find(lambda f: r"(?:(?:early|late|mid)[\s-]+)?(?:1[5-9]|20)\d0'?s\b|(?:(?:early|late|mid)[\s-]+)?'\d0s\b",
              T.DEC, 12, (F.drop_possessive_decade,), anchor=True), "1990s"),
    Rule("decade_apostrophe", lambda p: r"(?:the )?'(\d)0 ?s", N.h_decade2),
    Rule("decade_word", lambda p: rf"(?:the )?({p.decw})", N.h_decadew,
         Find(lambda f: rf"the\s+(?:(?:early|late|mid)[\s-]+)?(?:{f.decw})", T.DECW, 13), "the nineties"),
    Rule("century", lambda p: rf"(?:the )?(?:(\d{{1,2}})|({p.ordw}))[ -]century", N.h_century,
         Find(lambda f: rf"(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)|{f.ordw})[\s-]+century|"
                        r"(?:this|last|next|the\s+past|the\s+last|the\s+next|the\s+current)\s+century",
              T.CENT, 14, anchor=True), "the 19th century"),
    Rule("century_rel", lambda p: r"(?:the )?(this|last|next|past|current|previous) century", N.h_century_rel),
    # quarters and halves
    Rule("quarter", lambda p: rf"(?:the )?(?:(?:fiscal |fy ?)?(\d{{4}})(?:'s)? )?(?:fiscal )?{p.qord}[ -]"
                              rf"(?:fiscal[ -])?(quarter|half|period)(?:,? (?:of )?(?:fiscal |the )?(?:(?:year )?"
                              rf"(\d{{4}})|(this|last|next|the current|the previous) (?:fiscal )?year))?",
         N.h_quarter,
         Find(lambda f: rf"(?:(?:the\s+)?{f.qord}\s+(?:fiscal\s+)?(?:quarter|half)\b|{f.qord}-(?:quarter|half)\b)"
                        rf"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:{f.year}|(?:this|last|next)\s+year))?", T.FISC, 15,
              anchor=True), "the third quarter of 1989"),
    Rule("quarter_rel", lambda p: r"(?:the )?(latest|current|most recent|recent|just-ended|just ended|comparable|"
                                  r"same|year-ago|year-earlier|year ago|year earlier|prior-year|previous-year|"
                                  r"last year's|year-before|year before|previous|prior|preceding|last|this|next|"
                                  r"coming|following)?[ -]?(?:fiscal )?(quarter|period)"
                                  r"(?: (?:a year (?:ago|earlier)|last year|of last year|in \d{4}))?", N.h_q_rel,
         Find(lambda f: r"the\s+(?:(?:latest|current|most\s+recent|recent|just-ended|just\s+ended|comparable|same|"
                        r"year-ago|year-earlier|prior-year|previous|prior|preceding|year\s+ago|year\s+earlier)"
                        r"[\s-]+)?(?:fiscal\s+)?quarter|the\s+(?:latest|comparable|year-ago|year-earlier|"
                        r"same|prior-year|just-ended|latest\s+fiscal|year\s+ago|year\s+earlier)\s+period|"
                        r"(?:this|last|next)\s+quarter", T.FISC, 16), "last quarter"),
    Rule("year_back", lambda p: r"(?:(?:a|one|1) year (?:ago|earlier|before)|the year before|the previous year|"
                                r"the prior year|year-earlier|year-ago|year earlier|year ago|a year-earlier|"
                                r"prior-year|previous-year|year-before)"
                                r"(?: (?:quarter|period|results|level|figure|periods|quarters))?", N.h_year_back,
         Find(lambda f: r"year-(?:earlier|ago)|(?:the\s+)?(?:prior|previous)-year", T.YEARW, 17), "year-earlier"),
    Rule("fiscal", lambda p: r"(?:the )?(current|latest|new|next|last|previous|prior|coming|this|same|past)?"
                             r"[ -]?fiscal year(?: (?:ending|ended|that ends|that ended|which ends) .*)?",
         N.h_fiscal,
         Find(lambda f: r"(?:the\s+)?(?:(?:current|latest|new|next|last|previous|prior|coming|this|same|past)\s+)?"
                        r"fiscal\s+year", T.FISC, 18), "the current fiscal year"),
    # relative units
    Rule("rel_unit", lambda p: r"(?:the )?(this|last|next|past|previous|coming|current|following|same|that|present|"
                               r"prior|preceding)(?: same)? (day|night|morning|afternoon|evening|week|weekend|month|"
                               r"year|decade)", N.h_rel_unit,
         Find(lambda f: rf"(?:(?:early|late)\s+)?(?:the\s+)?{f.rel}(?:\s+same)?\s+(?:day|night|morning|afternoon|"
                        rf"evening|week(?:end)?|month|year|decade)", T.UNIT | T.PART, 20, (F.drop_title,)),
         "next week"),
    Rule("the_unit", lambda p: r"(?:the )?(day|week|weekend|month|year|morning|afternoon|evening|night)",
         N.h_the_unit,
         Find(lambda f: r"the\s+weekend", T.UNIT, 21, (F.drop_title,)), "the weekend"),
    # "the end of June", "the turn of the century" are read by the rule of what follows "of"
    Rule("boundary", find=Find(
        lambda f: rf"the\s+(?:very\s+)?(?:end|beginning|middle|start|turn|close)\s+of\s+(?:the\s+)?(?:"
                  rf"{f.monf}(?:\s*,?\s+{f.year})?|{f.year}|(?:this|next|last|the|that)\s+(?:week|month|year|quarter|"
                  rf"decade|century)|(?:week|month|year|quarter|decade|century)\b)", T.BOUND, 22,
        (F.drop_end_of_day,), anchor=True), example="the end of November"),
    Rule("ago", lambda p: rf"({p.qty}) ({p.unit})(?: or so)? (ago|earlier|later|before|after|previously|from now|"
                          rf"hence|back|since)", N.h_ago,
         Find(lambda f: rf"{f.appr}?{f.qty}[\s-]+(?:more\s+)?{f.unit}\s+(?:or\s+so\s+)?(?:ago|earlier|later|"
                        rf"from\s+now|hence)\b", T.AGO, 24, (F.drop_age,)), "three years ago"),
    Rule("ago1", lambda p: rf"(?:an? )?({p.unit}) (ago|earlier|later|before|after|from now|hence)", N.h_ago1,
         Find(lambda f: rf"(?:an?\s+)?{f.unit}\s+(?:ago|earlier|later)\b", T.AGO, 25), "a year ago"),
    Rule("nth_day", lambda p: rf"(?:the )?(?:{p.ordw}) (day|week|month|year)", N.h_nth_day),
    # sets
    Rule("every", lambda p: rf"(?:every|each|per|a|an) (?:other )?(?:(\d+|{p.numd}) )?"
                            rf"({p.unit}|{p.wd}|{p.mon}|{p.season}|{p.part})", N.h_every,
         Find(lambda f: rf"(?:every|each)\s+(?:other\s+)?(?:{f.qty}\s+)?(?:{f.unit}|{f.wd}|{f.monf}|{f.season}|"
                        rf"{f.part})", T.EVERY, 26, (F.drop_every_adjective,)), "every Monday"),
    Rule("times_per", lambda p: rf"(?:once|twice|\d+ times) (?:a|an|per|each|every) ({p.unit})", N.h_times_per,
         Find(lambda f: rf"(?:once|twice|\w+\s+times)\s+(?:a|an|per|each|every)\s+{f.unit}", T.TIMES, 27),
         "twice a week"),
    Rule("plural_weekday", lambda p: rf"({p.wd})s(?: ({p.part})s?)?", N.h_plural_wd),
    # durations
    Rule("dur", lambda p: rf"(?:the )?(?:(?:past|last|next|first|final|coming|previous|following|recent|remaining|"
                          rf"initial|entire|whole|full|latest|early|other|same|additional|another)[ -])*"
                          rf"({p.qty})(?:[ -](and[ -]a[ -]half))?[ -](?:(?:more|additional|full|straight|"
                          rf"consecutive|extra|long|short|remaining|long-term)[ -])?({p.unit})(?:[ -]long)?"
                          rf"(?: and a half)?", N.h_dur,
         Find(lambda f: rf"(?:the\s+)?{f.dmods}*{f.appr}?{f.qty}(?:[\s-]+and[\s-]+a[\s-]+half)?[\s-]+"
                        rf"(?:(?:more|additional|full|straight|consecutive|extra)\s+)?{f.unit}(?:-long)?"
                        rf"(?:\s+and\s+a\s+half)?(?:\s+or\s+(?:so|{f.qty}|\d+))?", T.UNIT, 28,
              (F.drop_age, F.drop_rate, F.drop_fraction, F.drop_title, F.drop_ordinal_second), adjectival=True),
         "two and a half years"),
    Rule("dur_plural", lambda p: r"(?:the )?(?:(past|last|next|coming|recent|early|first|final|following|ensuing|"
                                 r"intervening|preceding|previous|few|several|many|these|those|long)[ -])*"
                                 r"(seconds|minutes|hours|days|nights|weeks|months|years|decades|centuries|"
                                 r"generations)(?:-long)?", N.h_dur_plural,
         Find(lambda f: r"(?:(?:the\s+)?(?:(?:past|last|next|coming|recent|early|first|final|following|ensuing|"
                        r"intervening|few|several|many)\s+)+|the\s+)?(?:years|months|weeks|days|decades|"
                        r"centuries)(?:-long)?(?:\s+or\s+(?:years|months|weeks|days|decades))?", T.UNIT, 30,
              (F.drop_age, F.drop_title), dated_by_event=True), "the past few years"),
    Rule("dur_half", lambda p: rf"half an? ({p.unit})|an? ({p.unit}) and a half", N.h_dur_half,
         Find(lambda f: rf"half\s+an?\s+{f.unit}", T.FISC, 29), "half an hour"),
    Rule("dur_or", lambda p: rf"(.+?) or (?:{p.qty}|\d+|{p.unit})s?(?: {p.unit})?", N.h_dur_or),
    # vague references and sets of the vocabulary ("the future", "daily") are looked up, not parsed
    Rule("vague", find=Find(lambda f: rf"(?:{f.vague})", T.VAGUE, 31, (F.drop_newspaper,)), example="the future"),
)
