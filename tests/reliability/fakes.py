"""A fast stand-in for the spaCy pipeline, for the engine and kill tests (no model to load).

``PipelineSpec(factory="tests.reliability.fakes:FakePipeline")`` makes every worker use it.
It codes each "X met Y" as a CAMEO 042 event from X to Y, with a per-article delay
(``COMMUNIQUE_FAKE_DELAY`` seconds, default 0.01) so that kills land in the middle of runs,
and fails on articles containing ``BOOM`` like a stage that raises.
"""

from __future__ import annotations

import os
import re
import time

from communique.records import (
    Actor,
    ArticleMeta,
    Event,
    Participant,
    Plover,
    Record,
    SentenceSpan,
    Span,
)

FACTORY = "tests.reliability.fakes:FakePipeline"
MET = re.compile(r"([A-Z]\w+) met ([A-Z]\w+)")


class FakePipeline:
    def __init__(self):
        self.delay = float(os.environ.get("COMMUNIQUE_FAKE_DELAY", "0.01"))
        self.batch_size = 8

    def code_articles(self, arts, on_reject=None):
        for art in arts:
            if self.delay:
                time.sleep(self.delay)
            if "BOOM" in art.text:
                raise RuntimeError("cannot parse this article")
            events, actors = [], []
            for i, m in enumerate(MET.finditer(art.text), start=1):
                s, t = m.span(1), m.span(2)
                actors += [Actor(id=f"a{2 * i - 1}", span=Span(start=s[0], end=s[1], text=m[1]), name=m[1],
                                 kind="person"),
                           Actor(id=f"a{2 * i}", span=Span(start=t[0], end=t[1], text=m[2]), name=m[2],
                                 kind="person")]
                events.append(Event(
                    id=f"e{i}", sentence=SentenceSpan(start=0, end=len(art.text)),
                    trigger=Span(start=s[1] + 1, end=s[1] + 4, text="met"),
                    source=Participant(span=Span(start=s[0], end=s[1], text=m[1]), name=m[1], actor=f"a{2 * i - 1}"),
                    target=Participant(span=Span(start=t[0], end=t[1], text=m[2]), name=m[2], actor=f"a{2 * i}"),
                    cameo="042", cameo_root="04", plover=Plover(event="CONSULT"), goldstein=1.9, quad_class=1,
                    date=art.date, date_from="article", confidence=0.7))
            yield Record(article=ArticleMeta(id=art.id, date=art.date, source=art.source), events=events,
                         actors=actors, warnings=list(art.warnings))
