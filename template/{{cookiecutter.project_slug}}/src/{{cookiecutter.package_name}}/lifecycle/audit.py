"""The audit trail of the champion: governance/audit-log.jsonl, one JSON object per line.

The file is only ever appended to. Each entry says who did what, when, from which version
to which, and why; the same entry is also stored as a tag on the registered model.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

# Environment variables naming whoever started a CI run, in order of preference.
CI_ACTORS = ("GITHUB_ACTOR", "GITLAB_USER_LOGIN", "BUILD_REQUESTEDFOR")


def who() -> str:
    """The CI actor, else the git user, else the login name."""
    for variable in CI_ACTORS:
        if os.environ.get(variable):
            return f"{os.environ[variable]} (CI)"
    git = shutil.which("git")
    if git:
        # Fixed arguments, no shell.
        result = subprocess.run(  # noqa: S603
            [git, "config", "user.name"], capture_output=True, text=True, check=False
        )
        if result.stdout.strip():
            return result.stdout.strip()
    return os.environ.get("USER") or getpass.getuser()


def entry(
    action: str, from_version: str | None, to_version: str | None, reason: str, **details: object
) -> dict:
    return {
        "action": action,
        "who": who(),
        "when": datetime.now(UTC).isoformat(timespec="microseconds"),
        "from_version": from_version,
        "to_version": to_version,
        "reason": reason,
        **details,
    }


def append(log: Path, record: dict) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as file:
        file.write(json.dumps(record, sort_keys=True) + "\n")


def read(log: Path) -> list[dict]:
    if not log.is_file():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def tag_key(record: dict) -> str:
    """A registry tag name for the entry (tag names allow no colons)."""
    stamp = record["when"].replace(":", "").replace("-", "").replace("+0000", "Z")
    return f"audit.{stamp}.{record['action']}"
