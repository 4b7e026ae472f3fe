"""Fixtures for the audit core tests: known-answer vectors and a small signed log."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_log_builder import Log, build_log

VECTORS = Path(__file__).parent / "vectors"


def load_vector(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


@pytest.fixture
def vector() -> Callable[[str], Any]:
    return load_vector


@pytest.fixture
def make_log() -> Callable[..., Log]:
    return build_log
