"""Copies of this project for the gate tests, and the edits a team makes to its files."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }} import config

ROOT = Path(__file__).resolve().parent.parent
# What the pipeline and the gates read.
PROJECT_FILES = ["pyproject.toml", "gates.toml", "phases", "governance", "data", ".github"]
PROJECT_FILES += [".gitlab-ci.yml", "CODEOWNERS"]
TODAY = datetime.now(UTC).date()
TIMEBOX_START, TIMEBOX_END = TODAY - timedelta(weeks=1), TODAY + timedelta(weeks=5)
ANSWER = "Agreed with Dana Berg, the business owner, at the kick-off workshop"


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.is_file():
            shutil.copy(source, destination / name)
    return destination


def fill_in(project: Path) -> None:
    """Answer every open field as a team would; give the data a segment and a date column."""
    documents = [*project.glob("phases/*/*.md"), *project.glob("governance/*.md")]
    for path in [project / "pyproject.toml", *documents]:
        text = path.read_text(encoding="utf-8")
        text = text.replace("Start: [FILL IN: YYYY-MM-DD]", f"Start: {TIMEBOX_START}")
        text = text.replace("End: [FILL IN: YYYY-MM-DD]", f"End: {TIMEBOX_END}")
        text = re.sub(r"\\?\[FILL IN: [^\]]*\]", ANSWER, text)
        text = text.replace("business.owner@example.com", "dana.berg@acme.eu")
        path.write_text(text.replace("@example-org/", "@acme/"), encoding="utf-8")
    data_file = config.load(project).data_path
    data = pd.read_csv(data_file)
    data["segment"] = ["online" if row % 3 else "branch" for row in range(len(data))]
    newest = pd.Timestamp(TODAY - timedelta(days=30))
    data["recorded_on"] = pd.date_range(end=newest, periods=len(data), freq="D").date
    data.to_csv(data_file, index=False)
    edit_setting(project, "sensitive_attributes", '["segment"]')
    edit_setting(project, "timestamp_column", '"recorded_on"')


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
