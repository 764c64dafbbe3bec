"""Word lists of the event stage (closed-class English words only this stage needs).

Words shared with other stages live in ``stages/_lexicon.py``; the event lexicon (rules,
frames, word sets) lives in ``kb/data``.
"""

from __future__ import annotations

TARGET_PREPS = ("with", "against", "on", "upon", "to", "at", "toward", "towards", "into", "over", "onto")


NOUN_TARGET_PREPS = ("with", "against", "on", "upon", "to", "toward", "towards", "into", "of", "for")


HYPOTHETICAL_AUX = {"could", "might", "may", "should", "must"}


INTENT_AUX = {"will", "shall", "'ll", "wo"}


HYPO_MARKERS = ("god willing", "inshallah", "insha'allah", "if all goes well", "in theory")


PAIR_WORDS = {"bilateral", "mutual", "each other", "one another", "both countries", "the two countries",
               "both sides", "the two sides", "both nations", "the two nations"}


MAX_DEPTH = 4


MEASURE = {"ton", "tons", "tonne", "tonnes", "barrel", "barrels", "kilogram", "kilograms", "million", "millions",
            "billion", "billions", "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "worth",
            "consignment", "batch", "package", "amount", "quantity", "lot", "load", "truckload", "planeload", "day",
            "days", "week", "weeks", "round", "wave", "series", "number", "kind", "type", "form", "set"}


PART_WORDS = {"part", "some", "all", "most", "portion", "much", "rest", "half", "majority", "bulk", "series", "wave",
               "round", "number", "string", "spate"}


DEONTIC = {"must": "demand", "should": "appeal", "ought": "appeal"}


# saying these performs the act named by the object ("announced a ceasefire", "declared martial law")
PERFORMATIVE = {"announce", "declare", "proclaim", "unveil", "order", "decree", "impose", "reiterate", "repeat",
                 "renew", "voice", "issue", "restate", "reaffirm"}


COMMIT = {"agree", "promise", "pledge", "vow", "commit", "guarantee", "undertake", "offer", "swear", "assure"}


OFFER = {"propose", "offer", "suggest", "promise", "pledge"}


WISH = {"propose", "want", "hope", "wish", "expect", "prefer", "seek"}


QUANTITY = {"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "scores", "million", "millions",
             "group", "number", "crowd", "band", "team", "delegation", "contingent", "majority", "some", "many",
             "most", "all", "several", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}


# roots whose joint act by coordinated actors without an outside target is mutual
# ("Jordan and Britain agreed to hold exercises", "Bosnia and Slovenia agreed to a ceasefire")
MUTUAL_ROOTS = {"03", "04", "05", "06", "08", "19"}


INSTRUMENT = {"attack", "strike", "airstrike", "raid", "bombing", "shelling", "bombardment", "ambush", "assault",
               "offensive", "operation", "clash", "explosion", "blast", "fire", "crossfire", "crackdown"}


POLITICAL = {"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "PTY", "IGO", "SPY", "INS", "SEP", "UAF", "PRM"}
