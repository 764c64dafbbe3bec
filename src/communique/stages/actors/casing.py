"""Case restoration before parsing: lower-cased feeds and transcripts, all-caps headlines.

spaCy's tagger and entity recogniser lean on capitals: on "president putin met nato
leaders" or "LEICESTERSHIRE TAKE OVER AT TOP" they find few names, and every name rule of
the actor stage needs a capital. ``CaseRestorer.restore`` gives such text its usual case
before the parse, from knowledge a user would want anyway:

* the actor knowledge base (people, organisations, countries, demonyms, capitals) and the
  gazetteer's multi-word places: "united nations security council", "new york";
* the usual spelling of English words (``kb/data/casing.tsv.gz``: "paris" -> "Paris",
  "nato" -> "NATO", "said" -> "said");
* a word that is neither a known English word nor in that table is taken for a name
  ("yastrzhembsky" -> "Yastrzhembsky");
* sentence starts and "i".

Only case changes, one character for one character, so every offset into the restored
text is an offset into the original: the records keep the original text and spans.
Text that already has ordinary case is returned unchanged (the check is one regex pass);
in mixed text only all-caps lines (headlines, "KANSAS CITY AT DETROIT") are restored.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from functools import lru_cache

from spacy.language import Language

from ...errors import KnowledgeBaseError
from ...kb._text import actor_key
from ...kb.actors import ActorKB
from ...kb.gazetteer import Gazetteer, name_key
from ...kb.tables import data_path, read_table

_WORD = re.compile(r"[^\W\d_]+")
# a sentence ends at . ! ? followed by space (and opening quotes or brackets)
_SENT_END = re.compile(r"[.!?]['\"\u2019\u201d)\]]*\s+['\"\u2018\u201c(\[]*$")
# words left in lower case inside a name ("Ministry of Foreign Affairs", "Bashar al-Assad")
_NAME_PARTICLES = frozenset(
    "of the and for in on at to de du des la le el al bin bint ibn van von der den da do dos das y e und".split())
_NAME_KINDS = frozenset({"person", "org", "country", "metonym", "adjective"})
_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""),
             ("ing", ""), ("ing", "e"), ("er", ""), ("est", ""), ("ly", ""), ("ers", ""), ("ment", ""))

# Thresholds of the caseless checks (shares of the alphabetic words of a text or line).
LOWER_SHARE = 0.02   # fewer capitalised words than this: the text arrived lower-cased
UPPER_SHARE = 0.9    # more all-caps words than this: the text arrived upper-cased
MIN_WORDS = 8        # shorter texts are left as they are: a lower-case phrase ("secret services of the
                     # republic") is no lower-cased feed ...
MIN_SENTENCE_WORDS = 4   # ... but a short sentence is ("government forces shelled aleppo on monday."):
                         # ends with . ! or ? and has at least this many words


@lru_cache(maxsize=1)
def load_forms() -> dict[str, str]:
    """word -> usual spelling, from ``kb/data/casing.tsv.gz`` (166,000 rows: read directly,
    not through ``read_table``, which would take seconds)."""
    path = data_path("casing.tsv.gz")
    forms: dict[str, str] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = None
            for line in fh:
                if line.startswith("#"):
                    continue
                if header is None:
                    header = line.rstrip("\n").split("\t")
                    if header[:2] != ["word", "form"]:
                        raise KnowledgeBaseError("header is not 'word<TAB>form'", str(path),
                                                 "rebuild it with scripts/kb/build_casing.py")
                    continue
                word, _, form = line.rstrip("\n").partition("\t")
                forms[word] = form or word
    except OSError as err:
        raise KnowledgeBaseError(f"cannot read the word-case table ({err})", str(path),
                                 "reinstall communique or rebuild it with scripts/kb/build_casing.py") from err
    return forms


def casing_version() -> str:
    with gzip.open(data_path("casing.tsv.gz"), "rt", encoding="utf-8") as fh:
        first = fh.readline()
    return first.split(":", 1)[1].strip() if first.startswith("# version:") else "unversioned"


class CaseRestorer:
    """Restores the case of caseless text from the knowledge base and a word table."""

    def __init__(self, kb: ActorKB, gazetteer: Gazetteer | None, forms: dict[str, str], lexicon: frozenset[str]):
        self.kb = kb
        self.gazetteer = gazetteer
        self.forms = forms
        self.lexicon = lexicon   # English words in lower case (lemmas; inflections are stripped)
        self._spelled: dict[str, list[str]] | None = None

    @property
    def spelled(self) -> dict[str, list[str]]:
        """Phrase key -> the words as the knowledge-base tables spell them ("us army" -> US Army),
        read once, on the first caseless text."""
        if self._spelled is None:
            out: dict[str, list[str]] = {}
            for path in self.kb.files.values():
                for _, row in read_table(path):
                    for col in ("name", "aliases", "adjectives", "phrase"):
                        for phrase in (row.get(col) or "").split("|"):
                            words = _WORD.findall(phrase)
                            if len(words) > 1 and any(w[:1].isupper() for w in words):
                                out.setdefault(" ".join(actor_key(w) for w in words), words)
            self._spelled = out
        return self._spelled

    @classmethod
    def from_nlp(cls, nlp: Language, kb: ActorKB, gazetteer: Gazetteer | None) -> CaseRestorer:
        words: set[str] = set(nlp.Defaults.stop_words)
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups
            for name in ("lemma_index", "lemma_exc"):
                if lookups.has_table(name):
                    for by_pos in lookups.get_table(name).values():
                        words.update(w for w in by_pos if w.isalpha())
        return cls(kb, gazetteer, load_forms(), frozenset(words))

    # -- when ------------------------------------------------------------------------
    def restore(self, text: str) -> str:
        """``text`` with its usual case restored where it has none (same length, same offsets)."""
        words = _WORD.findall(text)
        if len(words) < MIN_WORDS and not (len(words) >= MIN_SENTENCE_WORDS
                                           and text.rstrip().endswith((".", "!", "?"))):
            return text
        capitalised = sum(1 for w in words if w[0].isupper())
        if capitalised < LOWER_SHARE * len(words):
            return self._segment(text, 0, len(text), upper=False, chars=None)
        caps = sum(1 for w in words if len(w) > 1 and w.isupper())
        if caps > UPPER_SHARE * len(words):
            return self._segment(text, 0, len(text), upper=True, chars=None)
        if caps < 2:
            return text
        chars: list[str] | None = None
        pos = 0
        for line in text.splitlines(keepends=True):
            lw = _WORD.findall(line)
            if len([w for w in lw if len(w) > 1]) >= 2 and all(w.isupper() for w in lw if len(w) > 1) \
                    and not any(w.islower() for w in lw):
                if chars is None:
                    chars = list(text)
                self._segment(text, pos, pos + len(line), upper=True, chars=chars)
            pos += len(line)
        return text if chars is None else "".join(chars)

    # -- how -------------------------------------------------------------------------
    def _segment(self, text: str, start: int, end: int, upper: bool, chars: list[str] | None) -> str:
        """Restore ``text[start:end]`` into ``chars`` (a list of the text's characters)."""
        if chars is None:
            chars = list(text)
        if upper:
            for k in range(start, end):
                low = chars[k].lower()
                if len(low) == 1:
                    chars[k] = low
        seg = "".join(chars[start:end])
        spans = [(m.start() + start, m.end() + start) for m in _WORD.finditer(seg)]
        lows = [seg[s - start:e - start].lower() for s, e in spans]
        n = len(spans)
        i = 0
        while i < n:
            width = self._phrase(text, spans, lows, i, chars)
            if width:
                i += width
                continue
            if not self._hyphened_to_english(text, spans, lows, i):
                self._word(spans[i], lows[i], chars)
            i += 1
        self._sentence_starts(text, start, spans, chars)
        return "".join(chars)

    def _phrase(self, text: str, spans: list[tuple[int, int]], lows: list[str], i: int,
                chars: list[str]) -> int:
        """Longest name of the knowledge base or the gazetteer starting at word ``i`` (0 if none)."""
        kb = self.kb
        keys = [actor_key(w) for w in lows[i:i + 8]]
        if keys and keys[0] == "the":
            return 0  # "the US" (an alias): the article is no part of the name, and "us" is a word
        maxw = kb.max_words.get(keys[0], 0) if keys and keys[0] else 0
        for width in range(min(maxw, len(keys)), 0, -1):
            if not _adjacent(text, spans, i, width):
                continue
            entries = [e for e in kb.phrases.get(" ".join(keys[:width]), ()) if e.kind in _NAME_KINDS]
            if not entries:
                continue
            acronym = all(e.acronym for e in entries)
            if width == 1 and not self._single_ok(lows[i], entries, acronym):
                return 0
            spelled = self.spelled.get(" ".join(keys[:width])) if width > 1 else None
            if spelled is not None and len(spelled) == width:
                for (s, _e), form in zip(spans[i:i + width], spelled, strict=True):
                    _set(chars, s, form)
            else:
                self._apply(spans[i:i + width], lows[i:i + width], chars, acronym)
            return width
        gaz = self.gazetteer
        if gaz is None or i + 1 >= len(spans) or not gaz.has_prefix(name_key(lows[i])):
            return 0
        for width in range(min(4, len(spans) - i), 1, -1):
            if not _adjacent(text, spans, i, width):
                continue
            key = name_key(" ".join(lows[i:i + width]))
            if not gaz.has_key(key):
                continue
            best = max(gaz.lookup_key(key), key=lambda e: e.population or 0)
            big = best.feature in ("country", "admin1") or (best.population or 0) >= 100_000
            if not big and all(self.forms.get(w) == w for w in lows[i:i + width]):
                continue  # "little rock" is a town, but two common words are more often just words
            self._apply(spans[i:i + width], lows[i:i + width], chars, False)
            return width
        return 0

    def _single_ok(self, low: str, entries: list, acronym: bool) -> bool:
        """A one-word name is restored unless the word is a common English word in lower case
        ("us", "who", "labour", "may"); country names and demonyms always ("turkey", "chinese")."""
        if not acronym and any(e.kind in ("country", "adjective") for e in entries):
            return True
        return self.forms.get(low, low if low in self.lexicon else None) != low

    def _apply(self, spans: list[tuple[int, int]], lows: list[str], chars: list[str], acronym: bool) -> None:
        for k, ((s, _e), low) in enumerate(zip(spans, lows, strict=True)):
            if acronym:
                _set(chars, s, low.upper())
            elif k > 0 and low in _NAME_PARTICLES:
                continue
            else:
                form = self.forms.get(low)
                _set(chars, s, form if form and form != low else low[:1].upper() + low[1:])

    def _word(self, span: tuple[int, int], low: str, chars: list[str]) -> None:
        form = self.forms.get(low)
        if form is not None:
            if form != low:
                _set(chars, span[0], form)
        elif low == "i":
            _set(chars, span[0], "I")
        elif len(low) >= 3 and not self._english(low):
            _set(chars, span[0], low[:1].upper() + low[1:])

    def _hyphened_to_english(self, text: str, spans: list[tuple[int, int]], lows: list[str], i: int) -> bool:
        """An unknown word hyphened to an English word ("lathi-charged", "pellet-gun") is part of a
        compound, not a name: capitalising it would make the parser read a proper noun."""
        s, e = spans[i]
        if i + 1 < len(spans) and spans[i + 1][0] == e + 1 and text[e] == "-" and self._english(lows[i + 1]):
            return True
        return i > 0 and spans[i - 1][1] == s - 1 and text[s - 1] == "-" and self._english(lows[i - 1])

    def _english(self, low: str) -> bool:
        lex = self.lexicon
        if low in lex:
            return True
        for suffix, repl in _SUFFIXES:
            if low.endswith(suffix) and len(low) - len(suffix) >= 2:
                stem = low[: -len(suffix)] + repl
                if stem in lex or (len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in lex):
                    return True
        return False

    def _sentence_starts(self, text: str, start: int, spans: list[tuple[int, int]], chars: list[str]) -> None:
        for s, _e in spans:
            before = "".join(chars[max(start, s - 6):s])
            line = max(start, text.rfind("\n", start, s) + 1)
            line_start = not text[line:s].strip("'\"\u2018\u201c([ \t")
            if line_start or _SENT_END.search(before):
                up = chars[s].upper()
                if len(up) == 1:
                    chars[s] = up


def _adjacent(text: str, spans: list[tuple[int, int]], i: int, width: int) -> bool:
    """Words ``i .. i+width-1`` are one phrase: only spaces, hyphens, dots or apostrophes between."""
    for k in range(i, i + width - 1):
        gap = text[spans[k][1]:spans[k + 1][0]]
        if len(gap) > 2 or any(ch not in " -.'\u2019" for ch in gap):
            return False
    return True


def _set(chars: list[str], start: int, form: str) -> None:
    for k, ch in enumerate(form):
        if chars[start + k].lower() == ch.lower():
            chars[start + k] = ch


def restorer_for(nlp: Language) -> Callable[[str], str]:
    """``restore`` of a restorer built from the actor stage's knowledge base and gazetteer
    (identity when the pipeline has no actor stage)."""
    if "communique_actors" not in nlp.pipe_names:
        return lambda text: text
    stage = nlp.get_pipe("communique_actors")
    return CaseRestorer.from_nlp(nlp, stage.kb, stage.look.gazetteer).restore
