"""Without a browser the browser tests skip on a developer's machine, but fail where they are
required (CI: ``.ci/run`` sets COMMUNIQUE_REQUIRE_BROWSER=1; ``CI`` set counts too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_browser_test(tmp_path, **env) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k not in ("CI", "COMMUNIQUE_REQUIRE_BROWSER")}
    e.update(COMMUNIQUE_CHROMIUM=str(tmp_path / "no-chromium"), **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                           str(HERE / "test_web_browser.py") + "::test_never_runs_without_the_browser"],
                          capture_output=True, text=True, env=e, cwd=HERE.parents[1], timeout=300)


def test_missing_browser_skips_locally_and_fails_when_required(tmp_path):
    local = run_browser_test(tmp_path)
    assert local.returncode == 0 and "1 skipped" in local.stdout and "apt-get install" in local.stdout
    for env in ({"COMMUNIQUE_REQUIRE_BROWSER": "1"}, {"CI": "true"}):
        required = run_browser_test(tmp_path, **env)
        assert required.returncode == 1 and "browser tests are required" in required.stdout, required.stdout[-800:]
