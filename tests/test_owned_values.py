"""Values the tooling owns never conflict in `copier update`; later files show current values.

Real copier, real releases: the releases in CHANGELOG.md, then this tree as v98.0.0 and a
v99.0.0 that adds a document rendered from the business answers.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import DEFAULT_ANSWERS
from cookiecutter.main import cookiecutter
from template_releases import commit_all, copy_at, edit, git, template_copy, update_to
from test_enforcement import template_check
from test_update_leftovers import SOURCE, release

NEW_DOCUMENT = "governance/kpi-review.md"


def releases_ahead(tmp_path: Path) -> Path:
    """A template copy with v98.0.0 (this tree) and v99.0.0 (one more document)."""
    template = template_copy(tmp_path / "template")
    release(template, "v98.0.0")
    (template / SOURCE / NEW_DOCUMENT).write_text(
        "# KPI review\n\nTarget: {{ cookiecutter.kpi_target }} {{ cookiecutter.kpi_unit }}\n"
    )
    release(template, "v99.0.0")
    return template


def catalog(project: Path) -> dict:
    text = (project / "catalog-info.yaml").read_text()
    assert "<<<<<<<" not in text and ">>>>>>>" not in text, text
    return yaml.safe_load(text)


def assert_owned_lines(project: Path, phase: int, version: str, lifecycle: str) -> None:
    entry = catalog(project)
    annotations = entry["metadata"]["annotations"]
    assert annotations["phasegate/phase"] == str(phase)
    assert annotations["phasegate/template-version"] == version
    assert entry["spec"]["lifecycle"] == lifecycle
    assert not git("ls-files", "--unmerged", "catalog-info.yaml", cwd=project)
    assert not (project / "catalog-info.yaml.rej").exists()


def claim(project: Path, phase: int) -> None:
    """The team claims a phase, raises its KPI target and lets the check fix what it owns."""
    edit(project / "pyproject.toml", "phase = 1", f"phase = {phase}")
    edit(project / "pyproject.toml", "kpi_target = 110", "kpi_target = 125")
    assert template_check(project, "--fix").returncode == 0
    commit_all(project, f"Claim phase {phase}")


def test_project_at_phase_3_updates_without_catalog_conflicts(tmp_path):
    template = releases_ahead(tmp_path)
    project = copy_at(template, "v0.2.0", tmp_path / "project")
    claim(project, 3)

    for tag in ("v98.0.0", "v99.0.0"):
        update_to(project, tag)
        assert_owned_lines(project, 3, tag, "experimental")
        assert template_check(project).returncode == 0, template_check(project).stderr
        commit_all(project, f"Update to {tag}")

    # The document v99.0.0 added shows the team's target, not the answer of v0.2.0's day.
    assert "Target: 125.0 %" in (project / NEW_DOCUMENT).read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["kpi_target"] == 125.0 and answers["_commit"] == "v99.0.0"


def test_cookiecutter_project_adopts_copier_without_catalog_conflicts(tmp_path):
    template = releases_ahead(tmp_path)
    at_release = tmp_path / "at-v0.3.0"
    git("clone", "-q", "--no-tags", str(template), str(at_release), cwd=tmp_path)
    git("checkout", "-q", git("rev-parse", "v0.3.0", cwd=template), cwd=at_release)
    extra = {name: str(value) for name, value in DEFAULT_ANSWERS.items()}
    project = Path(
        cookiecutter(
            str(at_release),
            directory="template",
            no_input=True,
            extra_context=extra,
            output_dir=str(tmp_path / "cc"),
        )
    )
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Start from phasegate with cookiecutter")
    assert catalog(project)["metadata"]["annotations"]["phasegate/template-version"] == "none"

    # The README's adoption recipe: render the release once, keep its answers file.
    adopt = copy_at(template, "v0.3.0", tmp_path / "adopt")
    (project / ".copier-answers.yml").write_text((adopt / ".copier-answers.yml").read_text())
    commit_all(project, "Adopt copier")
    claim(project, 4)

    for tag in ("v98.0.0", "v99.0.0"):
        update_to(project, tag)
        assert_owned_lines(project, 4, tag, "production")
        commit_all(project, f"Update to {tag}")
    assert "Target: 125.0 %" in (project / NEW_DOCUMENT).read_text()


def test_check_flags_answers_that_disagree_with_the_settings(tmp_path):
    project = copy_at(template_copy(tmp_path / "template"), "HEAD", tmp_path / "project")
    edit(project / "pyproject.toml", "kpi_target = 110", "kpi_target = 125")
    edit(project / "pyproject.toml", 'currency = "EUR"', 'currency = "Kč \\"CZK\\""')
    stale = template_check(project)
    assert stale.returncode == 1
    assert ".copier-answers.yml: kpi_target should be 125.0" in stale.stderr
    assert "(run with --fix; files a template update adds use these answers)" in stale.stderr
    assert template_check(project, "--fix").returncode == 0
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["kpi_target"] == 125.0 and answers["currency"] == 'Kč "CZK"'
    assert answers["decision"] == DEFAULT_ANSWERS.get("decision", answers["decision"])
    assert template_check(project).returncode == 0
    # A value of the wrong type is still one line: the check that reads it says what is wrong.
    edit(project / "pyproject.toml", "kpi_target = 125", 'kpi_target = "high"')
    odd = template_check(project)
    assert odd.returncode == 1 and "Traceback" not in odd.stderr
    assert '.copier-answers.yml: kpi_target should be "high"' in odd.stderr
