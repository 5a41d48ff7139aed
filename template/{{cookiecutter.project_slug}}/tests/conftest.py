"""Fixtures: temporary copies of the project (settings, data contract and synthetic rows made
from it; for the gates, all they read; for the model lifecycle, an embedded registry of their
own). Nothing here depends on the data file or the documents the team has today."""

from __future__ import annotations

import re
import shutil
{%- if cookiecutter.compute == "spark" %}
import sys
{%- endif %}
from pathlib import Path

import pandas as pd
import pytest
from gate_project import DATA, copy_project, edit_setting, fill_in
from registry_project import copy_state, prepared, working_in

from {{ cookiecutter.package_name }} import cli, config

ROOT = Path(__file__).resolve().parent.parent
# Tests that need the embedded MLflow registry (a second or more each) are integration tests:
# `nox -s integration` runs them (CI does, on every push); the default `nox -s tests` does not.
REGISTRY_FIXTURES = {"empty_registry", "lifecycle", "served", "filled", "filled_once"}
# Modules of integration tests only. `-m "not integration"` (nox -s tests) does not even import
# them: importing MLflow alone takes seconds, and the fast tests never need it.
INTEGRATION_MODULES = {"test_audit.py", "test_governance.py", "test_imports.py"}
INTEGRATION_MODULES |= {"test_integrity.py", "test_lifecycle.py", "test_monitor.py"}
INTEGRATION_MODULES |= {"test_moves.py", "test_predict.py", "test_registry_calls.py"}
{%- if cookiecutter.serving == "http" %}
INTEGRATION_MODULES |= {"test_serve.py"}  # the service loads its model from the registry
{%- endif %}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip those modules when the marker expression leaves out every integration test."""
    leaves_out = re.fullmatch(r"not integration(?: and not \w+)*", config.option.markexpr or "")
    return True if leaves_out and collection_path.name in INTEGRATION_MODULES else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if REGISTRY_FIXTURES & fixtures or item.path.name in INTEGRATION_MODULES:
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> config.Settings:
    """The project's settings and contract in a copy under tmp_path (also the cwd), with
    synthetic rows as its data file. MLflow tracking, if a test trains with it, stays in the
    copy (never a team's tracking server)."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    project = copy_project(tmp_path / "project", files=["pyproject.toml"])
    monkeypatch.chdir(project)
    return config.load(project)


@pytest.fixture
def frame(settings: config.Settings) -> pd.DataFrame:
    return pd.read_csv(settings.data_path)


@pytest.fixture
def copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project's files as the team has them today (documents filled in or not); the cwd.
    Tracking stays in the copy, as with ``settings``."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    project = copy_project(tmp_path / "copied")
    monkeypatch.chdir(project)
    return project


@pytest.fixture(scope="session")
def filled_once(tmp_path_factory: pytest.TempPathFactory, empty_registry: Path) -> Path:
    project = copy_project(tmp_path_factory.mktemp("filled") / "project")
    fill_in(project)
    shutil.copy(empty_registry, project / empty_registry.name)
    edit_setting(project, "promotion_margin", "0.0")  # so that an equal retrain is promoted
    with working_in(project):
        assert cli.main(["pipeline"]) == 0
        for lifecycle_step in (["retrain"], ["retrain"], ["rollback", "--reason", "drill"]):
            assert cli.main(lifecycle_step) == 0
        assert cli.main(["experiment", "--no-track"]) == 0  # the leaderboard of phase 3
        assert cli.main(["governance"]) == 0  # the governance records of that champion
    return project


@pytest.fixture
def filled(filled_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project with every document filled in, the pipeline run, a champion registered,
    a rollback drill recorded and the governance records generated; also the cwd."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    project = tmp_path / "filled"
    copy_state(filled_once, project)
    monkeypatch.chdir(project)
    return project


@pytest.fixture(scope="session")
def empty_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow database with its tables created (once: that takes a second or two)."""
    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    database = tmp_path_factory.mktemp("registry") / registry_client.DATABASE
    registry_client.MlflowClient(tracking_uri=f"sqlite:///{database}").search_experiments()
    return database


@pytest.fixture
def lifecycle(settings, empty_registry, monkeypatch) -> config.Settings:
    """The project copy with an empty embedded registry (never a team's tracking server)."""
    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    shutil.copy(empty_registry, settings.root / registry_client.DATABASE)
    return settings


@pytest.fixture(scope="session")
def served_once(tmp_path_factory: pytest.TempPathFactory, empty_registry: Path) -> Path:
    """A project copy as ``settings`` makes it, whose registry has a champion: trained once."""
    return prepared(tmp_path_factory.mktemp("served"), empty_registry, ["retrain"])


@pytest.fixture
def served(lifecycle, served_once) -> config.Settings:
    """The project copy with a champion (version 1) in its registry, copied from
    ``served_once`` (the same settings, contract and rows: the same model)."""
    for same in ("pyproject.toml", "data/contract.toml", DATA):
        assert (lifecycle.root / same).read_bytes() == (served_once / same).read_bytes(), same
    copy_state(served_once, lifecycle.root)
    return lifecycle
{%- if cookiecutter.compute == "spark" %}


@pytest.fixture(scope="session")
def spark():
    """One Spark session in local mode for the whole test run (2 cores, errors only).

    Settings for a short-lived JVM on small tables: the quick JIT compiler only, one garbage
    collector thread and no whole-stage code generation. They change how fast Spark runs,
    not what it computes: the Spark session's tests take about a third less CPU.
    """
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .config("spark.sql.codegen.wholeStage", "false")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()
{%- endif %}
