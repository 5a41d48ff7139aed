"""Copies of this project for the tests, and the edits a team makes to its files.

A copy holds the project's settings, data contract, documents and CI files, and synthetic rows
made from the contract in place of the data file: the tests check the project's code against
its current contract, whatever data, answers and documents the team has today."""

from __future__ import annotations

import functools
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import tomlkit

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.data import synthetic

ROOT = Path(__file__).resolve().parent.parent
# What the pipeline and the gates read.
PROJECT_FILES = ["pyproject.toml", "gates.toml", "phases", "governance", ".github"]
PROJECT_FILES += [".gitlab-ci.yml", "CODEOWNERS"]
DATA = "data/synthetic.csv"  # the data file of every copy
TODAY = datetime.now(UTC).date()
TIMEBOX_START, TIMEBOX_END = TODAY - timedelta(weeks=1), TODAY + timedelta(weeks=5)
ANSWER = "Agreed with Dana Berg, the business owner, at the kick-off workshop"


def copy_project(destination: Path, files: list[str] = PROJECT_FILES) -> Path:
    """The project's ``files`` and data contract, with synthetic data as its data file."""
    destination.mkdir(parents=True)
    for name in files:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.is_file():
            shutil.copy(source, destination / name)
    real = config.load(ROOT)
    contract = destination / "data/contract.toml"
    contract.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(real.contract_path, contract)
    pyproject = destination / "pyproject.toml"
    pyproject.write_text(on_synthetic_data(pyproject.read_text(encoding="utf-8")), "utf-8")
    # The rows follow from the settings and the contract alone: made once for each pair.
    key = (pyproject.read_text(encoding="utf-8"), contract.read_text(encoding="utf-8"))
    if key not in SYNTHETIC_ROWS:
        write_rows(destination)
        SYNTHETIC_ROWS[key] = (destination / DATA).read_bytes()
    (destination / DATA).write_bytes(SYNTHETIC_ROWS[key])
    return destination


SYNTHETIC_ROWS: dict[tuple[str, str], bytes] = {}


@functools.cache
def on_synthetic_data(pyproject: str) -> str:
    """pyproject.toml pointed at the copy's contract and data file (tomlkit is slow: once)."""
    document = tomlkit.parse(pyproject)
    table = document["tool"]["phasegate"]["data"]  # type: ignore[index]
    table["path"], table["contract"] = DATA, "data/contract.toml"
    return tomlkit.dumps(document)


def write_rows(project: Path, **columns: list) -> None:
    """Synthetic rows for the project's contract (plus ``columns``) as its data file."""
    settings = config.load(project)
    frame = synthetic.rows(settings, seed=settings.seed)
    frame = frame.assign(**{name: values[: len(frame)] for name, values in columns.items()})
    frame.to_csv(settings.data_path, index=False)


def fill_in(project: Path) -> None:
    """Answer every open field as a team would; give the data a segment and a date column;
    a month of measured performance."""
    owner = "dana.berg@acme.eu"
    documents = [*project.glob("phases/*/*.md"), *project.glob("governance/*.md")]
    for path in [project / "pyproject.toml", *documents]:
        text = path.read_text(encoding="utf-8")
        text = text.replace("Start: [FILL IN: YYYY-MM-DD]", f"Start: {TIMEBOX_START}")
        text = text.replace("End: [FILL IN: YYYY-MM-DD]", f"End: {TIMEBOX_END}")
        text = re.sub(r"\\?\[FILL IN: [^\]]*\]", ANSWER, text)
        text = text.replace("business.owner@example.com", owner)
        path.write_text(text.replace("@example-org/", "@acme/"), encoding="utf-8")
    edit_setting(project, "sensitive_attributes", '["segment"]')
    edit_setting(project, "timestamp_column", '"recorded_on"')
    rows = max(1000, int(config.load(project).min_rows * 1.25))
    newest = TODAY - timedelta(days=30)
    write_rows(
        project,
        segment=["online" if row % 3 else "branch" for row in range(rows)],
        recorded_on=[(newest - timedelta(days=rows - 1 - n)).isoformat() for n in range(rows)],
    )
    write_performance(project)  # as if the champion had run for a month with outcomes


def write_performance(project: Path, version: str = "1", **figures: float | None) -> dict:
    """reports/performance.json in the form `performance` writes it, with ``figures`` in place
    of those of a champion that saves money and is used (for tests of what reads it)."""
    overall = {
        "rows": 400,
        "expected_cost_per_decision": 3.0,
        "baseline_cost_per_decision": 5.0,
        "saving_per_decision": 2.0,
        "precision": 0.8,
        "recall": 0.7,
        "calibration_error": 0.04,
        "adoption_rate": 0.9,
        "median_hours_data_to_decision": 6.0,
        "realized_saving": 800.0,
        "run_cost": 200.0,
        "roi": 3.0,
    } | figures
    end = datetime.now(UTC).replace(microsecond=0)
    stamp = {"start": end - timedelta(days=30), "end": end}
    report = {
        "generated_at": end.isoformat(),
        "window": {name: at.isoformat() for name, at in stamp.items()} | {"days": 30},
        "logged": 500,
        "with_outcome": overall["rows"],
        "late": 0,
        "currency": config.load(project).business.currency,
        "overall": overall,
        "by_period": [{"period": stamp["start"].date().isoformat(), "model_version": version}],
        "by_version": [{"model_version": version, **overall}],
        "by_group": {},
    }
    report["by_period"][0] |= overall
    path = project / "reports" / "performance.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def edit_setting(project: Path, key: str, value: str) -> None:
    """Set ``key = value`` (TOML) in pyproject.toml, where the key is already set once."""
    path = project / "pyproject.toml"
    text, count = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", path.read_text("utf-8"))
    assert count == 1, f"{key} is set {count} times in pyproject.toml"
    path.write_text(text, encoding="utf-8")


def edit_criterion(project: Path, criterion_id: str, line: str) -> None:
    """Set one ``key = value`` line in a criterion's entry of gates.toml."""
    path = project / "gates.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f'id = "{criterion_id}"\n')
    end = text.find("[[criterion]]", start)
    end = len(text) if end < 0 else end
    key = line.split(" = ")[0]
    head, _, rest = re.sub(rf"(?m)^{key} = .*\n", "", text[start:end]).partition("\n")
    path.write_text(f"{text[:start]}{head}\n{line}\n{rest}{text[end:]}", encoding="utf-8")


def edit_document(project: Path, file: str, pattern: str, replacement: str) -> None:
    path = project / file
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"))
    assert count, f"{pattern!r} not found in {file}"
    path.write_text(text, encoding="utf-8")
