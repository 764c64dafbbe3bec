"""The stages' word lists (``kb/data/stage_words.tsv``): role nouns, name particles, place words ...

One row per list: ``stage``, ``list``, ``words`` (separated by ``|``) and a ``note`` saying what the
list is for. The stages read their lists once, when their module is imported; a list that is
missing or empty raises ``KnowledgeBaseError`` naming the table and the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import KnowledgeBaseError
from .tables import data_path, read_table

FILE = "stage_words.tsv"


@dataclass(frozen=True)
class WordLists:
    path: str
    version: str
    lists: dict[tuple[str, str], frozenset[str]]

    def words(self, stage: str, name: str) -> frozenset[str]:
        """The words of list ``name`` of ``stage``."""
        found = self.lists.get((stage, name))
        if not found:
            raise KnowledgeBaseError(f"no word list {stage}/{name}", self.path,
                                     f"add a row '{stage}<TAB>{name}<TAB>word|word|...' or reinstall communique")
        return found


def load_word_lists(path: str | None = None) -> WordLists:
    table = read_table(path or data_path(FILE), required=("stage", "list", "words"))
    lists: dict[tuple[str, str], frozenset[str]] = {}
    for lineno, row in table:
        key = (row["stage"], row["list"])
        if key in lists:
            raise KnowledgeBaseError(f"word list {key[0]}/{key[1]} defined twice", f"{table.path}:{lineno}",
                                     "merge the two rows")
        lists[key] = frozenset(w for w in row["words"].split("|") if w)
    return WordLists(table.path, table.version, lists)


__all__ = ["FILE", "WordLists", "load_word_lists"]
