"""Event stage: CAMEO-coded events with source, target, modality, confidence, date and place.

How a sentence is coded (the lexicon is described in ``kb/data/EVENTS.md``):

1. **Triggers.** Every verb, and every noun or adjective the lexicon knows, is matched
   against its rules; the most specific matching rule wins (an object or
   prepositional constraint beats a bare verb; a rule with code ``-`` blocks).
2. **Frames.** Appeals, intentions, demands, rejections, threats and halts take their
   code from their complement: "urged Iran to withdraw its troops" is an appeal whose
   complement (withdraw troops, 0874) makes it 0256. Light verbs ("held talks",
   "launched an attack") and aspect verbs ("resumed shelling") take the code of their
   object. A consumed complement is not coded again.
3. **Participants** come from the parse: subject (or passive agent) as source; the
   rule's target slot, else the object, dative or a prepositional object as target.
   Conjuncts ("A and B met"), and actor mentions joined by "and" when the parser
   missed the coordination, give one event per source; a reciprocal code without a
   target gives one event in each direction. Inside a direct quote "I"/"we" is the
   speaker and "you" the addressee.
4. **Modality.** Negation ("did not agree"), intention ("will visit", "proposed to",
   "is ready to"; intended material acts get CAMEO's intent codes, so "will attack"
   is a threat, 138), hypotheticals ("if", "could", "God willing") and reported speech
   (direct quotes, clauses of a reporting verb) are flagged, never dropped; flagged
   events rank below plain ones.
5. **Confidence** orders the events of a sentence: the main, specific, well-attested
   event outranks a generic statement (010) or a background nominal event.
6. **Date** from a time expression attached to the event's clause, else the article
   date; **place** from a toponym attached to it by in/at/near.
7. **Discards**: sports and entertainment sentences, and clauses marked as historical
   narrative ("once upon a time", or a date decades before the article), are not coded.

Modules: ``matching`` (step 1), ``coding`` (2), ``participants`` and ``roles`` (3), ``modality`` (4),
``confidence`` (5, with the stage settings), ``dating`` (6), ``discards`` (7); ``walk`` runs the
steps over a document, ``stage`` is the spaCy component; ``model`` holds the working objects and
``words`` the word lists only this stage uses.
"""

from .confidence import CONFIDENCE_WEIGHTS, EventSettings
from .model import SEARCH_LIMITS
from .stage import EventStage, make_event_stage
from .walk import extract_events

__all__ = ["CONFIDENCE_WEIGHTS", "SEARCH_LIMITS", "EventSettings", "EventStage", "extract_events", "make_event_stage"]
