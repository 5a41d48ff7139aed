"""The audit trail of the champion: governance/audit-log.jsonl, one JSON object per line.

The file is only ever appended to. Each entry says who did what, when, from which version
to which, and why; the same entry is also stored as a tag on the registered model.

The trail is tamper-evident. Each entry's ``previous_sha256`` is a running sha256 over every
entry before it (``sha256(previous running hash + the entry's canonical JSON)``, starting from
the sha256 of nothing), so changing, removing or reordering an entry breaks the chain at the
next one; ``audit_verification.py`` checks the chain and the registry's copies.

Every write replaces the whole file through a temporary file in the same folder, so a crash
leaves either the old log or the new one, never half a line.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

CHAIN = "previous_sha256"
GENESIS = hashlib.sha256(b"").hexdigest()
TAG_PREFIX = "audit."
INTENT_TAG = "move_in_progress"  # on the registered model while a promote or rollback runs

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


class AuditError(ValueError):
    """The audit log is not what the promotions and rollbacks wrote."""


def canonical(record: dict) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def running(entries: list[dict]) -> str:
    """The chain hash after ``entries``: what the next entry's previous_sha256 must be."""
    digest = GENESIS
    for record in entries:
        digest = next_hash(digest, record)
    return digest


def next_hash(digest: str, record: dict) -> str:
    return hashlib.sha256((digest + canonical(record)).encode("utf-8")).hexdigest()


def append(log: Path, record: dict) -> dict:
    """Add ``record``, chained to the entries before it; returns the entry as written."""
    entries = read(log)
    chained = {**record, CHAIN: running(entries)}
    lines = [json.dumps(e, sort_keys=True) for e in [*entries, chained]]
    replace_text(log, "\n".join(lines) + "\n")
    return chained


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(log: Path) -> list[dict]:
    if not log.is_file():
        return []
    entries = []
    for number, line in enumerate(log.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise AuditError(f"{log.name} line {number} is not JSON: {error}") from None
        if not isinstance(record, dict):
            raise AuditError(f"{log.name} line {number} is not a JSON object")
        entries.append(record)
    return entries


def tag_key(record: dict) -> str:
    """A registry tag name for the entry (tag names allow no colons)."""
    stamp = str(record.get("when")).replace(":", "").replace("-", "").replace("+0000", "Z")
    return f"{TAG_PREFIX}{stamp}.{record.get('action')}"
