"""Reading the JSON Lines files of the development sets (gold files, ECB+ documents)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import EvaluationError


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for every non-blank line; a line that is not JSON stops the
    evaluation with its place, since a half-read gold file would give wrong scores."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as err:
                raise EvaluationError(f"invalid JSON ({err.msg})", f"{path}:{lineno}", "check the file") from err
