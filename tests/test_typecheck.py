"""The generated package type-checks clean with its own `nox -s typecheck` (mypy, strict but
for bare dicts), in the default render here and in the one with every optional module (Spark,
HTTP) in tests/test_spark.py, whose commit hooks run the same session on its Spark render.
ci_provider changes no Python, so it has no render of its own here."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from conftest import render, run


def assert_strict_mypy(project: Path) -> None:
    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
    assert settings["strict"] is True
    assert "ignore_missing_imports" not in settings  # only per module, for untyped libraries


@pytest.mark.e2e
def test_generated_package_type_checks(tmp_path):
    project = render(tmp_path / "project")
    assert_strict_mypy(project)

    result = run([sys.executable, "-m", "nox", "-s", "typecheck"], project)

    assert "Success: no issues found" in result.stdout + result.stderr
