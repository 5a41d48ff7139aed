"""Fixtures: temporary copies of the project (settings and data; for the gates, all they read)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from gate_project import copy_project, fill_in

from {{ cookiecutter.package_name }} import cli, config

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


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project as generated, nothing filled in yet; also the cwd."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    project = copy_project(tmp_path / "fresh")
    monkeypatch.chdir(project)
    return project


@pytest.fixture(scope="session")
def filled_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("filled") / "project")
    fill_in(project)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(config.DATA_ENV_VAR, raising=False)
        patch.chdir(project)
        assert cli.main(["pipeline"]) == 0
    return project


@pytest.fixture
def filled(filled_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project with every document filled in and the pipeline run; also the cwd."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    project = shutil.copytree(filled_once, tmp_path / "filled")
    monkeypatch.chdir(project)
    return project
