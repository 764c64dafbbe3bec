"""Named-mention scoring (``communique eval --task ner``; gold family ``mentions``, e.g.
CoNLL-2003 documents with ``entities = [{"start","end","text","type"}]``, type PER/ORG/LOC/MISC).

Predicted mentions are the record's ``actors[].span`` (kind person -> PER, organization and group
-> ORG, country -> LOC) and ``places[].span`` (LOC); the same span predicted twice (an actor and a
place for "Paris") counts once. A prediction matches a gold PER/ORG/LOC entity when the spans
overlap (one-to-one, largest overlap first); predictions over a MISC entity are neither credited
nor counted as errors. ``f1`` is the overlap F1, ``strict_f1`` needs the exact span,
``typed_f1`` also the type.

Only names count. An actor carrying ``"mention": "name" | "nominal" | "pronoun"`` is scored only
when it is ``name``. Records without that field (before the structure issue adds it) are read
with a fallback: a pronoun, a phrase with no capitalised word after its determiner ("the
ministry"), or one that is only a role noun of ``agents.tsv``, singular or plural ("The
President", "Analysts"), is not a name.

``spacy_baseline`` gives the same metrics for the spaCy model's entities alone (PERSON -> PER,
ORG -> ORG, GPE/LOC/FAC -> LOC, the other name labels -> MISC; dates and numbers are not names).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

_KIND_TYPE = {"person": "PER", "organization": "ORG", "group": "ORG", "country": "LOC"}
_SPACY_TYPE = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
               "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "hers", "their", "us",
             "me", "its", "our", "who", "whom", "whose", "himself", "herself", "themselves", "itself"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"}


@lru_cache(maxsize=1)
def _role_phrases() -> frozenset[str]:
    from ..kb import get_actor_kb

    return frozenset(get_actor_kb().agents)


def is_name(actor: dict) -> bool:
    """Whether an actor mention is a name (the ``mention`` field, else the fallback above)."""
    kind = actor.get("mention")
    if kind is not None:
        return kind == "name"
    text = (actor.get("span") or {}).get("text", "")
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if not words or (len(words) == 1 and words[0].lower() in _PRONOUNS):
        return False
    if not any(w[:1].isupper() for w in words):
        return False
    from ..kb._text import canon

    key = canon(" ".join(words))
    roles = _role_phrases()
    # "Traders", "Public prosecutors": a role noun in the plural, capitalised at a sentence start
    return not (key in roles or (key.endswith("s") and (key[:-1] in roles or key[:-2] in roles)))


def predicted_mentions(record: dict) -> list[tuple[int, int, str]]:
    out: dict[tuple[int, int], str] = {}
    for a in record.get("actors", []):
        span = a.get("span")
        typ = _KIND_TYPE.get(a.get("kind", ""))
        if span is None or typ is None or not is_name(a):
            continue
        out.setdefault((span["start"], span["end"]), typ)
    for p in record.get("places", []):
        span = p.get("span")
        if span is not None:
            out.setdefault((span["start"], span["end"]), "LOC")
    return [(s, e, t) for (s, e), t in out.items()]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_mentions(gold: list[dict], preds: list[list[tuple[int, int, str]]]) -> dict:
    c: Counter = Counter()
    by_type: Counter = Counter()
    for g, pred in zip(gold, preds, strict=True):
        ents = [(e["start"], e["end"], e["type"]) for e in g.get("entities", [])]
        scored = [e for e in ents if e[2] != "MISC"]
        misc = [e for e in ents if e[2] == "MISC"]
        pairs = sorted(((_overlap(ge[:2], pe[:2]), gi, pi) for gi, ge in enumerate(scored)
                        for pi, pe in enumerate(pred) if _overlap(ge[:2], pe[:2]) > 0), reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            ge, pe = scored[gi], pred[pi]
            c["tp"] += 1
            c["strict"] += ge[:2] == pe[:2]
            c["typed"] += ge[2] == pe[2]
            by_type[f"tp_{ge[2]}"] += 1
        for pi, pe in enumerate(pred):
            if pi in used_p:
                continue
            if any(_overlap(m[:2], pe[:2]) > 0 for m in misc):
                continue  # over a MISC entity: neither credited nor an error
            c["fp"] += 1
        c["n_gold"] += len(scored)
        for ge in scored:
            by_type[f"n_{ge[2]}"] += 1
    n_pred = c["tp"] + c["fp"]
    out = {"n_gold": c["n_gold"], "n_pred": n_pred}
    for key, tp in (("", c["tp"]), ("strict_", c["strict"]), ("typed_", c["typed"])):
        p = tp / n_pred if n_pred else 0.0
        r = tp / c["n_gold"] if c["n_gold"] else 0.0
        out[f"{key}precision"] = p
        out[f"{key}recall"] = r
        out[f"{key}f1"] = 2 * p * r / (p + r) if p + r else 0.0
    for t in ("PER", "ORG", "LOC"):
        out[f"recall_{t}"] = by_type[f"tp_{t}"] / by_type[f"n_{t}"] if by_type[f"n_{t}"] else 0.0
    return out


def score_ner(gold: list[dict], pred: list[dict]) -> dict:
    return score_mentions(gold, [predicted_mentions(r) for r in pred])


def spacy_baseline(gold: list[dict], model: str | None = None) -> dict:
    """The same metrics for the spaCy model's own entities (the model under the pipeline)."""
    import spacy

    from ..pipeline import DEFAULT_MODEL

    nlp = spacy.load(model or DEFAULT_MODEL)
    preds = []
    for doc in nlp.pipe((g["text"] for g in gold), batch_size=16):
        preds.append([(e.start_char, e.end_char, _SPACY_TYPE[e.label_]) for e in doc.ents
                      if e.label_ in _SPACY_TYPE])
    return score_mentions(gold, preds)
