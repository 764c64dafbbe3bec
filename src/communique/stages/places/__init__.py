"""Place stage: toponym mentions resolved to gazetteer entries with coordinates.

Recognition (``find_mentions``) takes, in this order:

* spaCy GPE/LOC/FAC entities, stripped of determiners and possessives; a facility
  ("Manila Cathedral") or an unmatched longer name resolves through the place name it
  contains;
* PERSON and ORG entities that are really places ("Tamil Nadu said", "in Riverdale"),
  and place names that open an organisation's name ("Washington Post", "University of
  California"), when the ``embedded`` policy is on;
* demonym adjectives used as modifiers ("French engineer", "Kurdish forces") when the
  ``demonyms`` policy is on: they are toponym mentions, resolved to the country or region.
  Plural people-nouns ("two Russians") and languages ("in French") are not;
* capitalised token sequences the tagger missed that the gazetteer knows, when they are
  prominent places or stand where places stand ("in Bywater", "Columbus, OH", datelines);
* state abbreviations after a place ("Gainesville, Va.").

Disambiguation (``resolve_mentions``) scores each same-named candidate by feature type and
population (a national capital gets a bonus), then by the article's context: the countries
of its actors and of its unambiguous places, the first-level divisions those places lie in,
and distance to them. "X, Y" and "X in Y" restrict X to places inside Y ("Pandi, Bulacan";
"Paris, Texas"), and a same-named big city beats its own division ("New York", "Minsk")
unless the text says "state".

Local context (issue 16): the dateline's place weighs as several anchors; names listed with
first-level divisions are divisions ("Texas and Georgia"); "the state of X" is the division;
"X County" / "X Parish" is the county of the admin2 table (``admin2.tsv``) in the division the
text or the article gives (else at a same-named town of the article's division, else at that
division), and is context for the article's towns; second-level divisions of other countries
("Suffolk", "Pangasinan") are candidates by their bare name; "X, Y" where nothing named X lies in Y places X at Y;
two big cities side by side ("Paris, London") are a list, not containment. Every place carries
its GeoNames admin1 code and name (``admin1.tsv``). Distances and populations that recognition
and containment test are settings (``PLACE_THRESHOLDS``), like the scoring weights.

Local news (issue 16, round 16t): a one-word name that is part of a person's full name in the
article is that person ("Daniel Montalvo ... lied to Daniel"), unless the text places it; a town's
own name beats a country's alternate spelling when the town's division is what the article is about
("Columbia" in a South Carolina story, "Holland" in a Michigan one); a name the tagger took for a
person or product listed with "and"/"or" before a tagged place is a place ("Fort Myers and Cape
Coral"), and so is each town of a list the tagger ran into one name after a locative word ("fled
toward Chicopee and Holyoke"); a city reached only through a small alternate name is no untagged,
embedded or inner place ("Google" is no Topeka, ``min_pop_alias``); "X Department of ..." holds the
place X, and "the Western District of Texas" is a court's district; a first-level division whose
places hold few people ranks like a town of that size (``admin1_small_log_pop``: "Portland" is
Oregon, not the Jamaican parish); an actor whose span holds a place mention adds no country context
(its country was read from that very word).

Metonyms stay in the place list (``role="metonym"``): "Beijing said" mentions Beijing, even
though the actor stage makes it an actor. ``event_location`` is the stricter rule for an
event's ``location``: a place attached to the event in the parse, else the place that
governs its sentence, else none; never a demonym, a metonym actor or a place named elsewhere.

Modules: ``recognition`` (finding mentions), ``resolution`` and ``scoring`` (disambiguation),
``location`` (``event_location``), ``knowledge`` (demonyms, abbreviations, capitals built once
by the component), ``stage`` (the spaCy component), ``words`` (word lists only this stage uses).
"""

from .knowledge import PlaceKB, build_place_kb
from .location import event_location
from .recognition import Mention, find_mentions
from .resolution import resolve_mentions
from .scoring import PLACE_THRESHOLDS, PLACE_WEIGHTS, PlaceSettings
from .stage import PlaceStage, extract_places, make_place_stage

__all__ = ["PLACE_THRESHOLDS", "PLACE_WEIGHTS", "Mention", "PlaceSettings", "PlaceKB", "PlaceStage", "build_place_kb", "event_location",
           "extract_places", "find_mentions", "make_place_stage", "resolve_mentions"]
