"""Actor stage: every actor mention, resolved to country, sector, role and knowledge-base id.

Steps, each a small function over token positions (no extra models), one module each:

1. ``units.find_units``: longest-match lookup of knowledge-base phrases, spaCy's entities
   for the names the knowledge base lacks, places from the gazetteer.
2. ``chunks.build_chunks``: units that form one noun phrase, then phrases linked by "of",
   titles before names and appositions after them.
3. ``resolution.resolve``: the code of each phrase (``filters`` says which phrases are
   actor mentions at all).
4. ``coreference.corefer``: repeated names, definite role phrases and he/she point back to
   the mention they stand for (``refers_to``).

``stage`` holds the spaCy component that runs the four steps; ``words`` the word lists only
this stage uses.
"""

from .chunks import Chunk, build_chunks
from .coreference import corefer
from .resolution import agent_kind, resolve
from .stage import ActorStage, extract_actors, make_actor_stage
from .units import Lookups, Unit, find_units

__all__ = ["ActorStage", "Chunk", "Lookups", "Unit", "agent_kind", "build_chunks", "corefer", "extract_actors",
           "find_units", "make_actor_stage", "resolve"]
