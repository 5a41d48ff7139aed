"""Copier migration steps for generated projects, kept small and idempotent.

    python migrate.py move OLD NEW

Moves a generated file the template renamed, keeping the team's edited copy.
Run it from copier.yml's ``_migrations`` with ``when: "{{ _stage == 'before' }}"``
(the working directory is the project): copier then merges the new template's
version of NEW with the team's edits, as for any other file. The move goes
through ``git mv`` because copier reads the project's state from the git index.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def tracked(path: Path) -> bool:
    result = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(path)], capture_output=True, check=False
    )
    return result.returncode == 0


def move(old: Path, new: Path) -> str:
    if not old.exists() or new.exists():
        return f"nothing to move: {old} is absent or {new} exists"
    new.parent.mkdir(parents=True, exist_ok=True)
    if tracked(old):
        subprocess.run(["git", "mv", str(old), str(new)], check=True)
    else:
        old.replace(new)
    return f"moved {old} -> {new} (your edits kept)"


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "move":
        print(__doc__, file=sys.stderr)
        return 2
    print(move(Path(argv[1]), Path(argv[2])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
