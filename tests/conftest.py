"""Shared fixtures. The spaCy pipeline loads once per test session (slow tests only)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check behaviour, not speed: a loaded CI machine must not fail them on time.
settings.register_profile("communique", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("communique")

SAMPLES = Path(str(resources.files("communique").joinpath("samples")))
BELTA = SAMPLES / "belta-2025-08-29.txt"


@pytest.fixture(scope="session")
def pipeline():
    from communique.pipeline import get_pipeline

    return get_pipeline()


@pytest.fixture(scope="session")
def belta_record(pipeline):
    from communique.readers import read_path

    (article,) = list(read_path(BELTA))
    (record,) = list(pipeline.code_articles([article]))
    return record
