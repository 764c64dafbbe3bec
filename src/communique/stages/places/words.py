"""Word lists of the place stage (closed-class words and name parts only this stage needs).
"""

from __future__ import annotations

_CONNECTORS = {"of", "de", "del", "la", "le", "el", "al", "upon", "on", "am", "an", "der", "du", "des", "da", "do",
               "dos", "di", "and", "&", "-", "y", "sur", "en", "ul"}


_LOCATIVE = {"in", "at", "near", "outside", "inside", "within", "across", "throughout", "around", "from", "to",
             "into", "towards", "toward", "through", "via", "off", "along", "between", "nearby", "of",
             "beyond", "northeast", "northwest", "southeast", "southwest", "north",
             "south", "east", "west", "downtown", "suburban", "rural", "central", "northern", "southern", "eastern",
             "western"}


# An event's place: a prepositional phrase with one of these on the event (or on its clause).
LOC_PREPS = {"in", "at", "near", "outside", "inside", "within", "across", "throughout", "around", "off", "along",
              "amid", "beside", "onto", "nearby"}


LOC_PREPS_WEAK = {"to", "into", "on", "over"}  # only for a place that is not also a participant


_ADMIN_WORDS = {"state", "province", "region", "county", "oblast", "governorate", "prefecture", "district",
                "territory", "department", "emirate", "canton", "municipality", "voivodeship", "krai"}


_CITY_WORDS = {"city", "town", "village", "township", "borough"}


_ORG_WORDS = {"university", "college", "school", "institute", "council", "party", "company", "corporation", "corp",
              "inc", "ltd", "group", "association", "club", "bank", "ministry", "department", "agency", "times",
              "post", "news", "journal", "herald", "tribune", "daily", "board", "committee", "court", "police",
              "army", "force", "forces", "union", "league", "federation", "commission", "office", "service",
              "hospital", "airlines", "airways", "fc", "united", "foundation", "society", "center", "centre",
              "museum", "church", "network", "television", "radio", "press", "media", "review", "magazine",
              "observatory", "organization", "organisation", "authority", "administration", "assembly",
              "parliament", "congress", "senate", "government", "trust", "fund", "academy"}


_NOT_PLACES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "god", "allah", "christ", "jesus", "internet", "web", "twitter", "facebook", "state", "city", "north",
               "south", "east", "west", "mr", "mrs", "ms", "dr", "president", "minister", "prime", "king", "queen",
               "prince", "princess", "general", "governor", "mayor", "senator", "chief", "reuters", "ap", "afp",
               "xinhua", "tass", "cnn", "bbc", "christmas", "easter", "ramadan", "eid", "halloween", "thanksgiving",
               "today", "tonight", "said", "says", "i", "we", "he", "she", "they", "it", "you", "one", "national",
               "federal", "republic", "kingdom", "union", "democratic", "people", "new", "great", "saint", "st",
               "mount", "lake", "river", "island", "islands", "bay", "gulf", "sea", "ocean", "valley", "park",
               "street", "road", "avenue", "square", "ministry", "health", "police", "army", "court", "church",
               "university", "college", "hospital", "center", "centre", "department", "office", "airport",
               "station", "bridge", "hotel", "tower", "house", "hall", "museum", "school", "global", "world",
               "international", "western", "eastern", "northern", "southern", "central", "upper", "lower",
               "media", "ebola", "aids", "hiv", "sars", "covid", "zika", "cholera", "polio", "malaria",
               "dengue", "measles", "influenza", "flu", "virus", "disease", "region", "province", "county",
               "district", "territory", "capital", "act", "bill", "law", "code", "delta", "coast", "border"}


# Lower-case words after a name that make it a physical feature, not a town ("the Vistula river").
_PHYSICAL = {"river", "lake", "sea", "mountains", "mountain", "island", "islands", "valley", "desert", "delta",
             "strait", "gulf", "bay", "peninsula", "basin", "canal", "creek", "forest", "plateau", "ocean"}


# Words before a place name inside a longer name that keep it the same place ("Old Town Manassas").
_AREA_MODIFIERS = {"old", "town", "greater", "metro", "metropolitan", "downtown", "central", "north", "south",
                   "east", "west", "northern", "southern", "eastern", "western", "upper", "lower", "inner",
                   "outer", "rural", "urban", "suburban", "city", "of"}


_LANG_HEADS = {"language", "languages", "speaker", "speakers", "translation", "subtitles", "version", "dialect",
               "accent", "word", "words", "name", "text", "class", "classes", "lesson", "lessons", "teacher",
               "literature", "grammar", "course"}


_NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT"}
