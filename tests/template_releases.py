"""A generated project's life: template releases, team edits, `copier update`.

CI clones `main` afresh and tags may not come along, so every release heading
in CHANGELOG.md names its commit; a copy of the repository gets the missing
tags back before copier (which reads versions from tags) sees it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import copier
from conftest import DEFAULT_ANSWERS, REPO, git_init, run

from extensions.releases import releases

# .git is cloned, not copied: in a `git worktree` it is a file that points back at the
# original repository, so a copy of it would commit and tag there.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".nox", "venv", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"
)


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def template_copy(destination: Path) -> Path:
    """The working tree (uncommitted changes included), tagged from CHANGELOG.md only."""
    git("clone", "-q", "--no-checkout", "--no-tags", str(REPO), str(destination), cwd=REPO)
    shutil.copytree(REPO, destination, symlinks=True, ignore=NOT_COPIED, dirs_exist_ok=True)
    git("reset", "-q", cwd=destination)  # index = HEAD; the copied files are the work tree
    for tag, commit in releases().items():
        git("tag", tag, git("rev-parse", f"{commit}^{{commit}}", cwd=destination), cwd=destination)
    return destination


USER = ["-c", "user.name=Team", "-c", "user.email=team@example.com"]


def copy_at(template: Path, ref: str, destination: Path, **answers: object) -> Path:
    copier.run_copy(
        str(template),
        destination,
        data={**DEFAULT_ANSWERS, **answers},
        defaults=True,
        unsafe=True,
        vcs_ref=ref,
    )
    git_init(destination)
    return destination


def update_to(project: Path, ref: str) -> None:
    copier.run_update(
        project, vcs_ref=ref, defaults=True, overwrite=True, unsafe=True, conflict="inline"
    )


def commit_all(project: Path, message: str) -> None:
    run(["git", "add", "-A"], project)
    run(["git", *USER, "commit", "-qm", message], project)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def journey(template: Path) -> list[str]:
    """Each release after the oldest, then HEAD, with a stop where `adopt` first exists.

    A team adopts its own data as soon as its template can; when no release has `adopt` yet
    (0.3.0 has neither `adopt` nor the operate verbs, and its schema takes numbers only), the
    commit that brought it is that stop, so the last update still lands on adopted data and a
    champion trained before it, as the next release will for teams on this one.
    """
    pathspec = ":(glob)template/**/adopt.py"
    log = git("log", "--reverse", "--diff-filter=A", "--format=%H", "--", pathspec, cwd=template)
    brought = log.split()[0]
    stops = list(releases())[1:]
    if not any(has_adopt(template, stop) for stop in stops):
        stops.append(brought)
    return [*stops, "HEAD"]


def has_adopt(template: Path, ref: str) -> bool:
    listed = git("ls-tree", "-r", "--name-only", ref, "--", "template", cwd=template)
    return any(Path(line).name == "adopt.py" for line in listed.splitlines())


def names(template: Path, ref: str, recorded: str) -> bool:
    """Whether copier's `_commit` is ref's; for HEAD with local changes, the commit copier
    makes of them on top of HEAD (one more than HEAD's distance from its tag)."""
    described = git("describe", "--tags", ref, cwd=template)
    if recorded == described:
        return True
    tag, _, rest = described.partition("-")
    distance = int(rest.split("-")[0]) if rest else 0
    dirty = ref == "HEAD" and git("status", "--porcelain", cwd=template) != ""
    return dirty and recorded.startswith(f"{tag}-{distance + 1}-g")
