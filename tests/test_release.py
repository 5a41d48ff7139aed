"""A maintainer cuts a release, and a clone gets its tags back, from CHANGELOG.md alone."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from template_releases import USER, git, template_copy

from extensions.releases import releases

LATEST = list(releases())[-1]  # the newest release CHANGELOG.md names, e.g. v0.4.0

MAINTAINER = {
    "GIT_AUTHOR_NAME": "Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.com",
    "GIT_COMMITTER_NAME": "Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.com",
}


def release(clone: Path, *args: str, nox: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "nox", "-s", "release", "--"] if nox else []
    command = command or [sys.executable, "-m", "extensions.cut_release"]
    return subprocess.run(
        [*command, *args],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **MAINTAINER},
    )


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of this tree, committed, with notes under Unreleased and no tags."""
    clone = template_copy(tmp_path / "template")
    for tag in git("tag", "--list", cwd=clone).splitlines():
        git("tag", "-d", tag, cwd=clone)
    changelog = clone / "CHANGELOG.md"
    text = changelog.read_text()
    changelog.write_text(text.replace("## Unreleased\n", "## Unreleased\n\n- A new thing.\n", 1))
    git("add", "-A", cwd=clone)
    git(*USER, "commit", "-qm", "work", cwd=clone)
    return clone


def test_release_session_cuts_a_release(clone):
    created = release(clone, "tags")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == f"created {', '.join(releases())}"
    assert release(clone, "tags").stdout.strip() == "every release is tagged"

    result = release(clone, "98.0.0", nox=True)
    assert result.returncode == 0, result.stderr

    released = git("rev-parse", "--short", "v98.0.0^{commit}", cwd=clone)
    assert git("log", "-1", "--format=%s", "v98.0.0", cwd=clone) == "Release 98.0.0"
    assert git("log", "-1", "--format=%s", cwd=clone) == (
        "CHANGELOG: record the 98.0.0 release commit"
    )
    assert git("status", "--porcelain", cwd=clone) == ""
    changelog = (clone / "CHANGELOG.md").read_text()
    today = datetime.date.today().isoformat()
    assert f"## Unreleased\n\n## 98.0.0 ({today}, commit {released})\n\n- A new thing.\n" in (
        changelog
    )
    assert list(releases(clone / "CHANGELOG.md").items())[-1] == ("v98.0.0", released)
    assert 'version = "98.0.0"' in (clone / "pyproject.toml").read_text()
    assert 'name = "phasegate"\nversion = "98.0.0"\n' in (clone / "uv.lock").read_text()
    cookiecutter = json.loads((clone / "template/cookiecutter.json").read_text())
    assert cookiecutter["_template_release"] == "v98.0.0"

    # A fresh clone has no tags: they come back from the CHANGELOG.
    again = clone.parent / "again"
    git("clone", "-q", "--no-tags", str(clone), str(again), cwd=clone.parent)
    assert release(again, "tags").stdout.strip().endswith(f"{LATEST}, v98.0.0")
    assert git("rev-parse", "--short", "v98.0.0^{commit}", cwd=again) == released


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.4", "'0.4' is not a version: write MAJOR.MINOR.PATCH"),
        ("latest", "'latest' is not a version"),
        (LATEST, f"{LATEST[1:]} is not newer than the latest release {LATEST}"),
    ],
)
def test_bad_release_is_one_line_and_changes_nothing(clone, version, message):
    head = git("rev-parse", "HEAD", cwd=clone)
    result = release(clone, version)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"release: {message}")
    assert git("rev-parse", "HEAD", cwd=clone) == head
    assert git("status", "--porcelain", cwd=clone) == ""


def test_release_refuses_without_notes_or_with_changes(clone):
    (clone / "README.md").write_text("changed\n")
    dirty = release(clone, "99.0.0")
    assert dirty.returncode == 2 and "the working tree has changes" in dirty.stderr
    git("checkout", "--", "README.md", cwd=clone)
    changelog = clone / "CHANGELOG.md"
    head, rest = changelog.read_text().split("## Unreleased\n", 1)
    released = rest[rest.index(f"## {LATEST[1:]} ") :]
    changelog.write_text(f"{head}## Unreleased\n\n{released}")
    git(*USER, "commit", "-qam", "no notes", cwd=clone)
    empty = release(clone, "99.0.0")
    assert empty.returncode == 2 and "nothing under `## Unreleased`" in empty.stderr
    assert len(empty.stderr.splitlines()) == 1
