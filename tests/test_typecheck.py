"""The generated package type-checks clean with its own `nox -s typecheck` (mypy, strict but
for bare dicts), in the default render and in the one with every optional module (Spark, HTTP).
ci_provider changes no Python, so it has no render of its own here."""

from __future__ import annotations

import sys
import tomllib

import pytest
from conftest import render, run

VARIANTS = {
    "default": {},
    "spark-http": {"compute": "spark", "serving": "http"},
}


@pytest.mark.e2e
@pytest.mark.parametrize("answers", VARIANTS.values(), ids=VARIANTS.keys())
def test_generated_package_type_checks(tmp_path, answers):
    project = render(tmp_path / "project", **answers)
    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
    assert settings["strict"] is True
    assert "ignore_missing_imports" not in settings  # only per module, for untyped libraries

    result = run([sys.executable, "-m", "nox", "-s", "typecheck"], project)

    assert "Success: no issues found" in result.stdout + result.stderr
