"""docs/cluster.md's worked example, run command by command (a LocalCluster with two workers)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from test_ingest_engines import short_corpus

pytestmark = pytest.mark.slow

DOC = Path(__file__).resolve().parents[2] / "docs" / "cluster.md"


def doc_commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- tested-commands: begin -->(.*?)<!-- tested-commands: end -->", text, re.S)
    assert block, "docs/cluster.md lost its tested-commands block"
    return [line[2:] for line in block.group(1).splitlines() if line.startswith("$ ")]


def test_the_worked_example_in_docs_cluster_md(tmp_path):
    corpus = short_corpus(tmp_path / "articles.jsonl", 16, chars=500)
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    commands = doc_commands()
    assert any("--engine dask --workers 2" in c for c in commands)
    outputs = []
    for cmd in commands:
        argv = shlex.split(cmd)
        if argv[0] == "communique":
            argv = [sys.executable, "-c", "from communique.cli import main; main()"] + argv[1:]
        elif argv[0] == "python":
            argv[0] = sys.executable
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{cmd}\n{done.stderr[-3000:]}"
        outputs.append(done.stdout)
    assert corpus.exists()
    second = json.loads(outputs[1])
    assert (second["articles"], second["skipped"], second["engine"], second["workers"]) == (0, 16, "dask", 2)
    stats = json.loads(outputs[3])
    assert stats["articles"] == 16 and stats["errors"] == 1
    # DuckDB alone, on the Parquet files, finds the same numbers as communique
    assert f"[({stats['events']},)]" in outputs[4]
    assert sum(int(n) for n in re.findall(r"\((?:\d+|None), (?:\d+|None), (\d+)\)", outputs[5])) == 16
    assert outputs[6].startswith("event_id,date,")
