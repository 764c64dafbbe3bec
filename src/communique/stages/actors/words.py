"""Word lists of the actor stage (closed classes of English that only this stage needs).

Words shared with other stages live in ``stages/_lexicon.py``; facts about the world (who
holds which office, which words name which country) live in ``kb/data``.
"""

from __future__ import annotations

# Words before a title that make it a past office ("former President", "ex-minister").
FORMER = {"former", "ex", "late", "ousted", "deposed", "onetime", "erstwhile", "retired"}


# Modifier words joined by a hyphen that make a country a sponsor, not the actor's
# own country: "Kurdish-led", "Iranian-backed", "pro-Russian".
SPONSOR = {"led", "backed", "funded", "supported", "sponsored", "allied", "aligned", "brokered", "armed",
            "trained", "controlled", "installed", "appointed", "imposed", "owned"}


SPONSOR_PREFIX = {"pro", "anti", "non", "post", "pre", "trans", "inter", "pan"}


# Role nouns that name a person's or a body's position but no sector of their own:
# "Hamas leader", "Kremlin spokesman", "president of the Riigikogu" take the sector
# of what they lead or speak for.
GENERIC_HEADS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "delegation",
    "delegate", "member", "leader", "head", "chief", "staff", "side", "source", "aide", "adviser", "advisor",
    "chairman", "chairwoman", "chairperson", "chair", "director", "president", "vice president",
    "secretary general", "secretary", "commissioner", "speaker", "deputy", "deputy head", "deputy chairman",
    "press secretary", "deputy leader", "commander", "negotiator", "emissary", "personnel", "employee",
    "worker", "people", "figure", "cadre", "senior official", "top official", "spokesman for", "boss",
    "founder", "co founder", "general secretary", "director general", "executive", "chief executive",
    "administrator", "coordinator", "observer", "mission", "team", "body", "organization", "organisation",
    "group", "force", "forces", "unit", "agency", "office", "authority", "authorities",
    "officer", "agent", "operative", "servant", "analyst",
}


# Place prepositions: a capital after these is a place, not an actor.
LOCATIVE = {"in", "at", "to", "from", "into", "near", "across", "through", "outside", "inside", "via",
             "around", "throughout", "within", "towards", "toward", "onto", "beyond", "between", "of", "for",
             "over", "under", "off", "along", "past"}


# A capital or seat after these prepositions still acts: "talks with Beijing", "sanctions against Moscow".
AGENTIVE_PREPS = {"with", "against", "by", "on", "upon"}


NOT_PLACES = {"western", "eastern", "northern", "southern", "central", "arab", "arabs", "african", "asian",
               "european", "latin", "islamic", "muslim", "muslims", "christian", "christians", "jewish", "jews",
               "catholic", "catholics", "sunni", "shia", "shiite", "democrat", "democrats", "republican",
               "republicans", "conservative", "conservatives", "liberal", "liberals", "communist", "communists",
               "socialist", "socialists", "nationalist", "nationalists", "hindu", "hindus", "buddhist",
               "buddhists", "orthodox", "protestant", "evangelical", "west", "east", "north", "south"}


NOT_NAME_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "GPE", "LOC", "FAC",
                  "NORP", "EVENT", "LAW", "LANGUAGE", "PRODUCT", "WORK_OF_ART"}


PREP_END = (" to", " for", " of", " in", " at", " on", " with")


ENVOYS = {"ambassador", "ambassadors", "envoy", "envoys", "delegation", "delegate", "delegates", "representative",
           "representatives", "mission", "emissary", "consul", "attache", "observer", "observers", "negotiator",
           "negotiators", "embassy", "consulate", "coordinator"}


SPEAKS_FOR = {"spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "commissioner", "minister",
               "ministry", "secretary", "coordinator", "rapporteur", "director", "chief", "head", "adviser",
               "advisor", "secretariat", "council", "committee", "commission"}


# Titles as the agents table spells them -> the people tables' role vocabulary.
ROLE_SYNONYMS = {
    "Foreign Secretary": "Foreign Minister", "Secretary of State": "Foreign Minister",
    "Defence Secretary": "Defence Minister", "Defense Secretary": "Defence Minister",
    "Defense Minister": "Defence Minister", "Home Secretary": "Interior Minister",
    "Chancellor of the Exchequer": "Finance Minister", "Finance Secretary": "Finance Minister",
    "Premier": "Prime Minister", "PM": "Prime Minister", "Emir": "Monarch", "King": "Monarch",
    "Queen": "Monarch", "Sultan": "Monarch",
}


# Role nouns a leader's name can modify: "the Bush administration", "the Putin regime".
INSTITUTION_HEADS = {"administration", "government", "regime", "cabinet", "team", "campaign", "camp",
                      "presidency", "junta", "coalition", "loyalists", "supporters", "allies", "aides"}


# Role nouns for bodies and collectives rather than one person.
INSTITUTIONS = {"government", "ministry", "parliament", "legislature", "court", "agency", "council",
                 "committee", "commission", "cabinet", "administration", "regime", "junta", "party",
                 "office", "bureau", "department", "service", "company", "firm", "bank", "university",
                 "college", "school", "union", "organization", "organisation", "association", "alliance",
                 "coalition", "movement", "front", "army", "navy", "station", "embassy", "consulate",
                 "assembly", "senate", "congress", "presidency", "leadership", "board", "network",
                 "newspaper", "channel", "broadcaster", "church", "mosque", "hospital", "airline",
                 "guard", "police", "military", "ambulance", "authority", "authorities", "media", "press"}


COLLECTIVES = {"side", "forces", "force", "troops", "public", "opposition", "people", "community",
                "population", "crowd", "mob", "family", "youth", "staff", "personnel", "delegation", "team",
                "group", "militia", "gang", "syndicate", "cartel", "clan", "tribe", "faction", "establishment",
                "elite", "diaspora", "electorate", "residents", "civilians"}


COLLECTIVE_SUFFIXES = ("ment", "ry", "ity", "tion", "sion", "cy", "ship", "ure", "ism", "hood", "dom")


# Role nouns without a title of their own that still stand for one named person.
LEADER_NOUNS = {"leader", "head", "premier", "ruler", "strongman", "monarch", "king", "queen", "emir", "sultan",
                "prince", "crown prince", "president", "prime minister", "chancellor", "minister", "foreign minister",
                "defence minister", "defense minister", "secretary", "chief", "spokesman", "spokeswoman"}


FAMILY_FIRST = {"CHN", "KOR", "PRK", "TWN", "HKG", "MAC", "SGP"}


PARTICLES = {"le", "de", "van", "von", "al", "el", "da", "di", "du", "bin", "ibn", "ben", "abu", "dos", "das", "del",
              "la", "mc", "mac", "st", "ter", "ten"}
