"""Fixtures: a temporary copy of the project (its pyproject.toml and data)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> config.Settings:
    """The project's real settings in a copy under tmp_path, which is also the cwd."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    real = config.load(ROOT)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    data = tmp_path / real.data_path.relative_to(ROOT)
    data.parent.mkdir(parents=True)
    shutil.copy(real.data_path, data)
    monkeypatch.chdir(tmp_path)
    return config.load(tmp_path)


@pytest.fixture
def frame(settings: config.Settings) -> pd.DataFrame:
    return pd.read_csv(settings.data_path)
