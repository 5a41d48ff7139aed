"""Cut a template release, or re-create the release tags a clone lacks, from CHANGELOG.md.

    python -m extensions.cut_release 0.4.0     (or: nox -s release -- 0.4.0)
    python -m extensions.cut_release tags      (or: nox -s release -- tags)

A release, from a clean working tree whose CHANGELOG.md has notes under `## Unreleased`:
those notes get the heading `## 0.4.0 (DATE)`, the version in pyproject.toml and uv.lock and
the cookiecutter record's `_template_release` become 0.4.0, and that commit ("Release 0.4.0")
is tagged v0.4.0; a second commit adds the release commit to the heading, as every heading names it
(extensions/releases.py reads the headings; a clone without tags finds releases there).
`tags` creates each tag CHANGELOG.md names that the clone does not have. Push with
`git push origin HEAD v0.4.0`.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

from extensions.releases import CHANGELOG, VERSION, releases, version_key

REPO = CHANGELOG.parent
PYPROJECT = REPO / "pyproject.toml"
LOCK = REPO / "uv.lock"
UNRELEASED = "## Unreleased\n"


class ReleaseError(Exception):
    """Why the release cannot be cut: one line, exit code 2, nothing changed."""


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode:
        raise ReleaseError(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout.strip()


def restore_tags() -> list[str]:
    """Create the tags of CHANGELOG.md's releases that are missing; the names created."""
    existing = set(git("tag", "--list").splitlines())
    created = []
    for tag, commit in releases().items():
        if tag in existing:
            continue
        try:
            git("tag", tag, git("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"))
        except ReleaseError:
            raise ReleaseError(f"{tag}: commit {commit} is not in this clone (fetch it)") from None
        created.append(tag)
    return created


def checked(version: str) -> str:
    version = version.removeprefix("v")
    if not VERSION.fullmatch(version):
        raise ReleaseError(f"{version!r} is not a version: write MAJOR.MINOR.PATCH, e.g. 0.4.0")
    newest = list(releases())[-1:]
    if newest and (version_key(version) or ()) <= (version_key(newest[0]) or ()):
        raise ReleaseError(f"{version} is not newer than the latest release {newest[0]}")
    if git("status", "--porcelain"):
        raise ReleaseError("the working tree has changes: commit or stash them first")
    if f"v{version}" in git("tag", "--list").splitlines():
        raise ReleaseError(f"tag v{version} exists already")
    return version


def notes_and_rest(text: str) -> tuple[str, str, str]:
    """(before the Unreleased heading, its notes, the rest from the next heading)."""
    if UNRELEASED not in text:
        raise ReleaseError(f"{CHANGELOG.name} has no `{UNRELEASED.strip()}` heading")
    head, after = text.split(UNRELEASED, 1)
    following = re.search(r"^## ", after, re.MULTILINE)
    notes = after[: following.start()] if following else after
    if not notes.strip():
        raise ReleaseError(f"nothing under `{UNRELEASED.strip()}` in {CHANGELOG.name}: no release")
    return head, notes, after[len(notes) :]


def cut(version: str, today: datetime.date | None = None) -> str:
    """Commit and tag the release; the tag name."""
    version = checked(version)
    head, notes, rest = notes_and_rest(CHANGELOG.read_text(encoding="utf-8"))
    heading = f"## {version} ({(today or datetime.date.today()).isoformat()}"
    CHANGELOG.write_text(f"{head}{UNRELEASED}\n{heading})\n{notes}{rest}", encoding="utf-8")
    text = PYPROJECT.read_text(encoding="utf-8")
    PYPROJECT.write_text(
        re.sub(r'^version = "[^"]*"', f'version = "{version}"', text, count=1, flags=re.M),
        encoding="utf-8",
    )
    if LOCK.exists():  # the lock records the project's own version: `uv sync --locked` checks it
        text = LOCK.read_text(encoding="utf-8")
        own = r'(\[\[package\]\]\nname = "phasegate"\nversion = )"[^"]*"'
        LOCK.write_text(re.sub(own, rf'\1"{version}"', text, count=1), encoding="utf-8")
    from extensions import frontends  # reads the version just written

    frontends.COOKIECUTTER_JSON.write_text(frontends.render_json(), encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", f"Release {version}")
    tag = f"v{version}"
    git("tag", tag)
    commit = git("rev-parse", "--short", "HEAD")
    text = CHANGELOG.read_text(encoding="utf-8")
    CHANGELOG.write_text(text.replace(f"{heading})", f"{heading}, commit {commit})", 1), "utf-8")
    git("commit", "-qam", f"CHANGELOG: record the {version} release commit")
    return tag


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m extensions.cut_release VERSION | tags", file=sys.stderr)
        return 2
    try:
        if argv[0] == "tags":
            created = restore_tags()
            print(f"created {', '.join(created)}" if created else "every release is tagged")
        else:
            tag = cut(argv[0])
            print(f"released {tag}: push with `git push origin HEAD {tag}`")
    except ReleaseError as error:
        print(f"release: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
