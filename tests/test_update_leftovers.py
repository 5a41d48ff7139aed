"""What an update leaves to finish: template_check reports it, the update hook summarises it."""

from __future__ import annotations

from pathlib import Path

import copier
import pytest
from conftest import REPO, render
from template_releases import USER, commit_all, copy_at, edit, git, template_copy, update_to
from test_enforcement import new_project, template_check

SOURCE = Path("template", "{{cookiecutter.project_slug}}")


def release(template: Path, tag: str) -> None:
    git("add", "-A", cwd=template)
    git(*USER, "commit", "-qm", f"Release {tag}", "--allow-empty", cwd=template)
    git("tag", tag, cwd=template)


def project_and_release(tmp_path: Path) -> tuple[Path, Path]:
    """A project from this tree (v98.0.0) with team edits, and a release (v99.0.0) that
    changes the same lines of README.md and pyproject.toml."""
    template = template_copy(tmp_path / "template")
    release(template, "v98.0.0")
    project = copy_at(template, "v98.0.0", tmp_path / "project")
    edit(project / "README.md", "## Development", "## Development (team notes)")
    edit(project / "pyproject.toml", "max_iter = 1000", "max_iter = 2000")
    commit_all(project, "Team edits")
    edit(template / SOURCE / "README.md", "## Development", "## Working on this project")
    edit(template / SOURCE / "pyproject.toml", "max_iter = 1000", "max_iter = 1500")
    release(template, "v99.0.0")
    return template, project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path)


def test_update_leftovers_fail(project):
    edit(project / "README.md", "## Development", "<<<<<<< before updating\n## Development")
    (project / "noxfile.py.rej").write_text("@@ -1 +1 @@\n")
    (project / "Dockerfile").write_text("FROM python\n|||||||\n=======\n>>>>>>> after\n")
    (project / "notes.md").write_text("Title\n========\n\n<<<<<<<< eight\n")  # not markers
    (project / "blob.bin").write_bytes(b"\0\n<<<<<<< x\n")  # binary: not read
    (project / "reports").mkdir()
    (project / "reports/skipped.md").write_text("<<<<<<< ignored by .gitignore\n")
    result = template_check(project)
    assert result.returncode == 1
    line = 1 + (project / "README.md").read_text().splitlines().index("<<<<<<< before updating")
    assert f"README.md:{line}: conflict markers from an update: keep" in result.stderr
    assert "delete the markers, then commit" in result.stderr
    assert "Dockerfile:2: conflict markers from an update (lines 2, 3, 4)" in result.stderr
    assert "noxfile.py.rej: rejected update hunk: apply it to noxfile.py" in result.stderr
    for quiet in ("notes.md", "blob.bin", "skipped.md"):
        assert quiet not in result.stderr
    assert len(result.stderr.splitlines()) == 3


def test_markers_in_parsed_files_are_reported_not_parsed(project):
    """The files the check parses itself: a conflict there is a leftover, not a traceback."""
    edit(project / "pyproject.toml", "phase = 1", "phase = 4")  # the catalog is now stale
    commit_all(project, "Claim phase 4")
    for name in ("pyproject.toml", ".copier-answers.yml", "catalog-info.yaml"):
        lines = (project / name).read_text().splitlines(keepends=True)
        lines[2:2] = ["<<<<<<< before\n", "x = [\n", "=======\n", ">>>>>>> after\n"]
        (project / name).write_text("".join(lines))
        catalog = (project / "catalog-info.yaml").read_text()
        result = template_check(project, "--fix", PHASEGATE_MIN_TEMPLATE_VERSION="v0.1")
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "TOMLDecodeError" not in result.stderr
        assert f"{name}:3: conflict markers from an update (lines 3, 5, 6)" in result.stderr
        assert f"checks wait until {name} is resolved" in result.stderr
        assert (project / "catalog-info.yaml").read_text() == catalog  # --fix wrote nothing
        git("checkout", "--", name, cwd=project)


def test_leftovers_without_git(tmp_path):
    """Before `git init` (or without git) every file outside tool folders is read."""
    project = render(tmp_path / "project", tasks=False)
    assert template_check(project).returncode == 0
    (project / "notes.txt").write_text("a\n>>>>>>> after updating\n")
    (project / ".venv").mkdir()
    (project / ".venv/skipped.txt").write_text("<<<<<<< not the project's\n")
    result = template_check(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "template-check: notes.txt:2: conflict markers from an update: "
        "keep the lines you want, delete the markers, then commit"
    ]


def marker_line(path: Path) -> int:
    return 1 + path.read_text().splitlines().index("<<<<<<< before updating")


def test_summary_lists_conflicts_and_next_steps(tmp_path, capfd):
    _, project = project_and_release(tmp_path)
    capfd.readouterr()

    update_to(project, "v99.0.0")

    summary = capfd.readouterr().err
    assert "phasegate: the update left these files to finish before you commit:" in summary
    for name in ("README.md", "pyproject.toml"):
        assert f"  {name}:{marker_line(project / name)}: conflict markers" in summary
    assert "run `uv lock` (pyproject.toml changed)" in summary
    assert "run `python tools/template_check.py` until it passes" in summary
    # The check it points to explains the same leftovers, TOML conflict included.
    result = template_check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"pyproject.toml:{marker_line(project / 'pyproject.toml')}:" in result.stderr


def test_summary_lists_rej_files(tmp_path, capfd):
    _, project = project_and_release(tmp_path)
    capfd.readouterr()

    copier.run_update(
        project, vcs_ref="v99.0.0", defaults=True, overwrite=True, unsafe=True, conflict="rej"
    )

    summary = capfd.readouterr().err
    assert "  README.md.rej: rejected update hunk: apply it to README.md" in summary
    assert "  pyproject.toml.rej: rejected update hunk" in summary
    assert "Next: resolve every conflict and .rej file listed" in summary


def test_clean_update_says_so(tmp_path, capfd):
    template = template_copy(tmp_path / "template")
    release(template, "v98.0.0")
    project = copy_at(template, "v98.0.0", tmp_path / "project")
    edit(template / SOURCE / "README.md", "## Development", "## Working on this project")
    release(template, "v99.0.0")
    capfd.readouterr()

    update_to(project, "v99.0.0")

    summary = capfd.readouterr().err
    assert "phasegate: the update merged cleanly. Next: review `git diff`" in summary
    assert "## Working on this project" in (project / "README.md").read_text()


def test_hook_loads_the_check_as_rendered(tmp_path):
    """The hook imports tools/template_check.py from the template: it must render as is."""
    project = render(tmp_path / "project", tasks=False)
    rendered = (project / "tools/template_check.py").read_text()
    assert rendered == (REPO / SOURCE / "tools/template_check.py").read_text()
