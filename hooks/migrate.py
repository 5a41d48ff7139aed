"""Carry a team's edits of moved files over a `copier update` (copier.yml's `_migrations`).

    python migrate.py before    # hooks/before_update.py runs this stage before the merge
    python migrate.py after     # ... and hooks/post_gen_project.py after it

A release that moves a generated file lists the move in ``hooks/moves.toml``. Copier merges
each file with the version the old release rendered at the same path, so on its own it would
drop a team's edits of a moved file (or mark the whole file as a conflict). ``before`` keeps
the team's copy and the old release's copy of every moved file that is still at its old
place, and removes it from there; ``after`` merges the team's edits into the new release's
file at the new place with ``git merge-file``: the edits survive, and only lines both sides
changed become conflict markers, which the update summary then lists. Both steps do nothing
when no listed file is at its old place, so they are safe on every update.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

MOVES = Path(__file__).with_name("moves.toml")
ANSWERS = ".copier-answers.yml"


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def answers(project: Path) -> dict[str, object]:
    import yaml  # copier depends on PyYAML

    return yaml.safe_load((project / ANSWERS).read_text(encoding="utf-8")) or {}


def pending(project: Path, package: str) -> list[tuple[str, str]]:
    """The listed moves whose old file is still there and whose new place is free."""
    table = tomllib.loads(MOVES.read_text(encoding="utf-8"))["moves"]
    found = []
    for old, new in table.items():
        old, new = old.format(package=package), new.format(package=package)
        if (project / old).is_file() and not (project / new).exists():
            found.append((old, new))
    return found


def stash() -> Path:
    return Path(git("rev-parse", "--path-format=absolute", "--git-path", "phasegate-moves"))


def render_old_release(given: dict[str, object], destination: Path) -> None:
    """The files the old release rendered: the base of the three-way merge."""
    import copier

    copier.run_copy(
        str(given["_src_path"]),
        destination,
        data={k: v for k, v in given.items() if not k.startswith("_")},
        vcs_ref=os.environ.get("VERSION_FROM") or str(given["_commit"]),
        defaults=True,
        quiet=True,
        unsafe=True,
        skip_tasks=True,
    )


def before(project: Path) -> str:
    given = answers(project)
    moves = pending(project, str(given.get("package_name", "")))
    if not moves:
        return ""
    kept = stash()
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="phasegate-base-") as scratch:
        render_old_release(given, Path(scratch) / "old")
        manifest = []
        for number, (old, new) in enumerate(moves):
            base = Path(scratch, "old", old)
            shutil.copyfile(project / old, kept / f"{number}.team")
            if base.is_file():
                shutil.copyfile(base, kept / f"{number}.base")
            manifest.append({"old": old, "new": new, "number": number})
    (kept / "moves.json").write_text(json.dumps(manifest), encoding="utf-8")
    for old, _ in moves:  # only once everything is kept
        git("rm", "-q", "--cached", "--ignore-unmatch", "--", old)
        (project / old).unlink()
    return f"phasegate: {len(moves)} moved file(s) kept for the merge after the update"


def merge(team: Path, base: Path, target: Path) -> int:
    """Three-way merge of the team's edits (base → team) into ``target``; conflicts left."""
    if not base.is_file():  # no old version to compare with: keep both sides as a conflict
        base = team.with_suffix(".empty")
        base.write_text("", encoding="utf-8")
    result = subprocess.run(
        ["git", "merge-file", "-p", "-L", "your edits", "-L", "before the move",
         "-L", "this release", str(team), str(base), str(target)],
        capture_output=True, check=False,
    )  # fmt: skip
    if result.returncode < 0 or result.returncode > 127:
        raise RuntimeError(result.stderr.decode(errors="replace").strip())
    target.write_bytes(result.stdout)
    return result.returncode


def after(project: Path) -> str:
    kept = stash()
    manifest_file = kept / "moves.json"
    if not manifest_file.is_file():
        return ""
    lines = []
    for move in json.loads(manifest_file.read_text(encoding="utf-8")):
        team, base = kept / f"{move['number']}.team", kept / f"{move['number']}.base"
        target = project / move["new"]
        edited = not base.is_file() or team.read_bytes() != base.read_bytes()
        if not target.is_file():  # the new release does not have it: keep the team's file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(team, target)
            lines.append(f"  {move['old']} -> {move['new']} (kept as you had it)")
        elif edited:
            conflicts = merge(team, base, target)
            note = f"{conflicts} conflict(s) to resolve" if conflicts else "your edits kept"
            lines.append(f"  {move['old']} -> {move['new']} ({note})")
    shutil.rmtree(kept)
    if not lines:
        return "phasegate: files moved by this release; you had not edited them"
    return "\n".join(["phasegate: moved files you had edited:", *lines])


def run(stage: str) -> int:
    """One stage in the project (the working directory); 1 when moving files failed."""
    try:
        message = (before if stage == "before" else after)(Path.cwd())
    except (OSError, subprocess.CalledProcessError, RuntimeError, KeyError) as error:
        print(f"phasegate: moving files failed: {error}", file=sys.stderr)
        return 1
    if message:
        print(message)
    return 0


def main(argv: list[str]) -> int:
    if argv not in (["before"], ["after"]):
        print(__doc__, file=sys.stderr)
        return 2
    return run(argv[0])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
