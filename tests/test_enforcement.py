"""Standards a platform team enforces: template version floor, update leftovers, catalog."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from template_releases import commit_all, copy_at, edit, git, template_copy


def template_check(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "tools/template_check.py", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def new_project(tmp_path: Path) -> Path:
    """A project from this tree with the releases tagged (CI's clone may have no tags)."""
    return copy_at(template_copy(tmp_path / "template"), "HEAD", tmp_path / "project")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_project(tmp_path_factory.mktemp("enforcement"))


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    """Each test edits its own copy of one fresh project (git history included)."""
    return Path(shutil.copytree(pristine, tmp_path / "project", symlinks=True))


def test_fresh_project_passes(project):
    result = template_check(project)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def set_project_minimum(project: Path, value: str) -> None:
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write(f"\n[tool.phasegate.platform]\nmin_template_version = {value}\n")


def refused(result: subprocess.CompletedProcess[str], value: str) -> bool:
    """Exit 2 with one line that names the value and the accepted forms, no traceback."""
    lines = result.stderr.splitlines()
    return (
        result.returncode == 2
        and len(lines) == 1
        and value in lines[0]
        and "use v0.3, 0.3, 0.3.0 or v0.3.0" in lines[0]
    )


def test_platform_minimum_version(project):
    too_new = template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION="v99.0.0")
    assert too_new.returncode == 1
    assert "older than the required v99.0.0" in too_new.stderr
    # A missing patch means .0; spaces around it and an upper-case V are tolerated.
    short = template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION=" 99.0")
    assert "required v99.0.0" in short.stderr
    for accepted in ("v0.1", "0.1", "0.1.0", "v0.1.0", " v0.1.0\n", "V0.1", ""):
        result = template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION=accepted)
        assert result.returncode == 0, (accepted, result.stderr)


def test_unreadable_platform_minimum_stops_the_check(project):
    for value in ("latest", "v1.x", " ", "\n", "1", "1.2.3.4", "v1.2.3-rc1", "vv1.2", "v 1.2"):
        result = template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION=value)
        assert refused(result, repr(value)), (value, result.stderr)


def test_project_may_raise_the_minimum_but_not_lower_it(project):
    set_project_minimum(project, '"v0.1"')
    assert template_check(project).returncode == 0
    assert template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION="0.1.0").returncode == 0
    lowered = template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION="v0.2")
    assert lowered.returncode == 1
    assert "would lower the platform minimum v0.2.0" in lowered.stderr

    edit(project / "pyproject.toml", '"v0.1"', '"v50.0"')
    raised = template_check(project, PHASEGATE_MIN_TEMPLATE_VERSION="v0.1.0")
    assert raised.returncode == 1 and "older than the required v50.0.0" in raised.stderr


def test_unreadable_project_minimum_stops_the_check_and_fixes_nothing(project):
    edit(project / "pyproject.toml", "phase = 1", "phase = 4")  # the catalog is now stale
    catalog = (project / "catalog-info.yaml").read_text()
    commit_all(project, "Claim phase 4")
    for value in ('"latest"', '""', "3", '"v1.x"'):
        set_project_minimum(project, value)
        result = template_check(project, "--fix", PHASEGATE_MIN_TEMPLATE_VERSION="v0.1")
        assert refused(result, "min_template_version"), (value, result.stderr)
        assert (project / "catalog-info.yaml").read_text() == catalog
        git("checkout", "--", "pyproject.toml", cwd=project)


def test_invalid_pyproject_is_one_line(project):
    edit(project / "pyproject.toml", "phase = 1", "phase = ")
    result = template_check(project)
    assert result.returncode == 2
    assert result.stderr.startswith("template-check: pyproject.toml cannot be read (")
    assert len(result.stderr.splitlines()) == 1


def test_catalog_follows_the_claimed_phase(project):
    catalog = yaml.safe_load((project / "catalog-info.yaml").read_text())
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    annotations = catalog["metadata"]["annotations"]
    assert annotations["phasegate/template-version"] == answers["_commit"]
    assert catalog["spec"]["owner"] == "example-org/ml-team"
    assert catalog["spec"]["lifecycle"] == "experimental"

    edit(project / "pyproject.toml", "phase = 1", "phase = 4")
    stale = template_check(project)
    assert stale.returncode == 1 and "lifecycle: production" in stale.stderr
    assert template_check(project, "--fix").returncode == 0
    fixed = yaml.safe_load((project / "catalog-info.yaml").read_text())
    assert fixed["spec"]["lifecycle"] == "production"
    assert fixed["metadata"]["annotations"]["phasegate/phase"] == "4"
    assert template_check(project).returncode == 0


def test_renovate_uses_the_copier_manager(project):
    renovate = json.loads((project / "renovate.json").read_text())
    assert renovate["copier"]["enabled"] is True
    assert renovate["ignoreScripts"] is False  # copier needs --trust for this template
