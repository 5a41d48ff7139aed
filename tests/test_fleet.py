"""The fleet report over repositories as a platform team has them: fresh clones."""

from __future__ import annotations

import json
from pathlib import Path

from template_releases import copy_at, edit, git, template_copy
from test_frontends import render_cookiecutter

from extensions import fleet


def clone(project: Path, destination: Path) -> Path:
    """What the platform team has: a clone, without the git-ignored reports/."""
    git("clone", "-q", str(project), str(destination), cwd=project.parent)
    return destination


def test_fleet_report(tmp_path, capsys):
    template = template_copy(tmp_path / "template")
    old = copy_at(template, "v0.1.0", tmp_path / "old")
    new = copy_at(template, "HEAD", tmp_path / "new", project_name="Lead scoring")
    edit(new / "pyproject.toml", "phase = 1", "phase = 3")
    (new / "reports").mkdir()
    (new / "reports/gate.json").write_text(json.dumps({"passed": False}))
    legacy = render_cookiecutter(tmp_path / "cc", project_name="Legacy", ml_owner="@acme/ml")
    (tmp_path / "notes").mkdir()
    repos = [str(old), str(new), str(legacy), str(tmp_path / "notes"), str(tmp_path / "gone")]

    assert fleet.main([*repos, "--format", "json"]) == 0
    rows = {row["repository"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["churn-guard"]["template"] == "v0.1.0 (copier)"
    assert rows["churn-guard"]["gate"] == "not run (--gate computes it)"
    assert rows["lead-scoring"]["phase"] == 3
    assert rows["lead-scoring"]["gate"] == "failed (saved)"
    assert rows["lead-scoring"]["behind"] == 0
    # A cookiecutter project: its answers and release from .cookiecutter-answers.json.
    assert rows["legacy"]["template"].endswith("(cookiecutter)")
    assert rows["legacy"]["behind"] == 0
    assert (rows["legacy"]["ml_owner"], rows["legacy"]["risk"]) == ("@acme/ml", "limited")
    assert rows["churn-guard"]["ml_owner"] == "@example-org/ml-team"
    # A path that is not a project is a row that says so, not the end of the report.
    assert rows["notes"]["template"] == "not a generated repository (no pyproject.toml)"
    assert rows["gone"]["template"] == "no such folder"

    assert fleet.main([*repos, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out.splitlines()
    assert fleet.main(repos) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(markdown) == len(rows) + 2 and len(table) == len(rows) + 1
    assert all(name in "\n".join(markdown) and name in "\n".join(table) for name in rows)


def test_unreadable_answers_are_a_row(tmp_path, capsys):
    project = copy_at(template_copy(tmp_path / "template"), "HEAD", tmp_path / "project")
    answers = project / ".copier-answers.yml"
    answers.write_text("<<<<<<< before updating\n_commit: [\n")
    assert fleet.main([str(project), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["template"].startswith("answers unreadable (")


def test_gate_computed_in_a_clone(tmp_path, capsys):
    """reports/ is git-ignored: in a clone the project's own gate judges committed files."""
    project = copy_at(template_copy(tmp_path / "template"), "HEAD", tmp_path / "project")
    copy = clone(project, tmp_path / "clone")
    assert not (copy / "reports").exists()
    assert fleet.main([str(copy), "--gate", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["gate"].startswith("failed: ") and row["gate"].endswith("criteria (computed)")
