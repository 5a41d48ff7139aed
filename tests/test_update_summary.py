"""After `copier update` the migration hook lists what the update left to finish."""

from __future__ import annotations

from pathlib import Path

import copier
from conftest import REPO, render
from lifecycle import USER, commit_all, copy_at, edit, git, template_copy, update_to
from test_enforcement import template_check

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
