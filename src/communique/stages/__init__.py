"""The extraction stages, each registered as a spaCy component factory by name.

Importing this package registers ``communique_actors``, ``communique_quotes``,
``communique_times``, ``communique_places``, ``communique_events`` and
``communique_tone``. ``STAGES`` is the order the pipeline adds them in: events
come last because they link actors, quotes, times and places.
"""

from . import actors, events, places, quotes, times, tone  # noqa: F401  (registers factories)
from ._state import register_extension

register_extension()

STAGES = (
    "communique_actors",
    "communique_quotes",
    "communique_times",
    "communique_places",
    "communique_events",
    "communique_tone",
)
