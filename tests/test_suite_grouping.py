"""The suite's own scheduling: `nox -s tests` runs pytest-xdist with `--dist loadgroup`, and
the slowest modules (the team's journey, the gates) share one rendered project per module
through an `xdist_group`. When a pytest or pytest-xdist release stops honouring the groups,
nothing fails but every worker renders and installs that project again."""

from __future__ import annotations

import sys

from conftest import run

GROUPED = """
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(4))
def test_grouped(n):
    Path(f"ran-{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""
ALONE = """
import time

import pytest


@pytest.mark.parametrize("n", range(4))
def test_alone(n):
    time.sleep(0.05)
"""


def test_a_group_runs_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "test_alone.py").write_text(ALONE)
    command = [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup"]
    run([*command, "-p", "no:cacheprovider"], tmp_path)
    workers = {path.read_text() for path in tmp_path.glob("ran-*")}
    assert len(list(tmp_path.glob("ran-*"))) == 4
    assert len(workers) == 1, f"one group ran on workers {sorted(workers)}"
