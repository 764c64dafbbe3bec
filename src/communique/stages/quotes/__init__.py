"""Quote stage: direct, mixed and indirect quotes, each with its speaker and reporting cue.

Direct quotes come from quote marks (``_quotemarks``). Each is attributed from
its own sentence frame (the text around it outside quote marks, up to the
sentence ends):

* a cue after it: ``"...," X said`` / ``"...," said X`` / ``"...," he added``,
  ``"...," according to X``;
* a cue before it: ``X said: "..."`` / ``X told reporters, "..."``;
* a colon with no cue: ``The statement read: "..."`` (nearest actor before it).

A quote that is part of a sentence (``X called the move "unacceptable"``,
``Her time has been "hard," she said``) becomes one *mixed* quote covering the
paraphrase. A quote with no attribution of its own takes the speaker of the
nearest preceding evidence within two paragraphs: the previous quote (the same
paragraph, a continued paragraph or the paragraph before), a reporting verb with
a subject ("The President emphasized that ... . '...'"), or the person the
sentence just before is about.

Indirect quotes are the complement of a reporting verb outside quote marks: its
clause ("X noted that ...", "..., X said"), object ("X expressed his belief in
...") or infinitive ("X vowed to ..."), as the cue table says; belief verbs
("X believes ...") and source verbs with a source noun ("a poll shows ...")
count too, as does "according to X, ...". Attributions as PolNeAR annotates them
go beyond speech (issue 17): positions taken ("X criticized the law as a failure",
stance cues), intentions ("X wants to ..."), predicate adjectives ("X is confident
that ...") and nominal cues ("X's claim that ...", "X issued a warning that ...",
source: the possessor, the by/from agent or the subject of the verb); content after
a cue's colon, and headline sources ("Clinton camp: ..."). Second round: the object
of a preposition as content ("called on X to ...", "pointed to X as ..."), passive
cues with a by-agent ("was first reported by The Post"), source phrases ("In this
poll, ..."); an attitude inside another quote's content, a withheld answer ("would
not say whether"), an absolute phrase ("she said, her voice breaking") and a
paraphrase a quote cuts to a fragment are no attribution of their own. Third round:
views of something as something ("see/portray/rate X as Y", content kind
``predicate``: the object only with what is said of it), intentions and decisions
("plans to", "refused to", "X's refusal to ..."), and cue verbs found by their
regular inflection when the lemmatizer is wrong ("hopes" -> "hop"). Fourth round:
attributions with no source, as quotes without a speaker (a passive cue without agent:
"turnout is expected to rise", "was accused of ..."; evidential cues: "seems to",
"it appears that", "allegedly"; a nominal cue with a that-clause or infinitive and no
source: "growing fears that ..."); one- and two-word contents that end in a noun or a verb
("denied the allegations", "declined to comment"); the writer's own "I think" as the
writer's attribution. With ``attitudes = false`` all of these stay out (speech only). Fifth
round: as-clauses that report the clause they modify ("As experts have pointed out, X",
"X, as police said"), gerund objects ("proposed dropping ..."), "called for X to Y", "what X
calls Y", "has been clear / made it clear that", shares of a group as speakers ("Six in 10
say"), and a concessive clause after a comma ends a content.

Speakers are actor mentions (``state.actors``), so "he" and "the Belarusian
leader" resolve through the actor stage's coreference; a subject no actor covers
("officials", "a source", "I") is kept as a text span. Everything here is
regex and walks over the parse: no model of its own.

Modules: ``direct`` (quote marks, transcripts, headlines), ``indirect`` (reporting verbs),
``carry`` (speakers carried over and pronoun speakers), ``context`` (the per-document context
and speaker finding), ``cues`` (the cue table), ``stage`` (the spaCy component), ``words``.
"""

from .cues import Cue, Cues, get_cues
from .stage import QuoteStage, extract_quotes, make_quote_stage

__all__ = ["Cue", "Cues", "QuoteStage", "extract_quotes", "get_cues", "make_quote_stage"]
