"""The audit trail of the champion: governance/audit-log.jsonl, one JSON object per line.

The file is only ever appended to. Each entry says who did what, when, from which version
to which, and why; the same entry is also stored as a tag on the registered model.

The trail is tamper-evident. Each entry's ``previous_sha256`` is a running sha256 over every
entry before it (``sha256(previous running hash + the entry's canonical JSON)``, starting from
the sha256 of nothing), so changing, removing or reordering an entry breaks the chain at the
next one. A forged entry appended with a correct chain, or a removed last entry, is caught by
comparing the file with the registry's copies (the ``audit.*`` tags), wherever the registered
model exists. ``trail`` names the first entry that differs; only the entries before it count as
verified.

Logs written before the chain existed (0.5 and older) stay readable: entries without
``previous_sha256`` are accepted only before the first chained entry, and that entry's hash
covers all of them. An unchained entry after a chained one is refused as added by hand.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Settings

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
        digest = _next(digest, record)
    return digest


def _next(digest: str, record: dict) -> str:
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


@dataclass
class Trail:
    entries: list[dict]
    verified: list[dict] = field(default_factory=list)  # the entries before the first problem
    problem: str | None = None
    compared: bool = False  # whether the registry's copies were compared


def verify(entries: list[dict], copies: dict[str, str] | None) -> Trail:
    """Check the chain and, when ``copies`` (the registry's audit tags) are given, that every
    entry has an equal copy and every copy an entry."""
    trail = Trail(entries, compared=copies is not None)
    digest, chained = GENESIS, False
    for number, record in enumerate(entries, 1):
        what = f"line {number} ({_short(record)})"
        if CHAIN in record:
            chained = True
            if record[CHAIN] != digest:
                trail.problem = (
                    f"{what}: its previous_sha256 does not match the entries before it "
                    "(one was changed, removed or reordered)"
                )
                return trail
        elif chained:
            trail.problem = f"{what} has no previous_sha256 after chained entries: added by hand"
            return trail
        if copies is not None:
            key = tag_key(record)
            if key not in copies:
                trail.problem = f"{what} has no copy in the model registry (tag {key})"
                return trail
            if not same(record, copies[key]):
                trail.problem = f"{what} differs from its copy in the model registry (tag {key})"
                return trail
        trail.verified.append(record)
        digest = _next(digest, record)
    if copies is not None:
        missing = sorted(set(copies) - {tag_key(record) for record in entries})
        if missing:
            trail.problem = (
                f"the model registry's entry {missing[0]} is missing from the log "
                "(entries were removed)"
            )
    return trail


def _short(record: dict) -> str:
    moved = f"{record.get('from_version') or 'none'} → {record.get('to_version') or 'none'}"
    return f"{record.get('action')} {moved} by {record.get('who')} at {record.get('when')}"


def same(record: dict, copy: str) -> bool:
    """Whether a registry tag holds ``record`` (tags longer than 5000 characters are cut)."""
    try:
        return bool(json.loads(copy) == record)
    except ValueError:
        return copy in (json.dumps(record, sort_keys=True)[:5000], json.dumps(record)[:5000])


def registry_tags(settings: Settings) -> dict[str, str] | None:
    """The registered model's tags, or None when there is no registry to compare with (no
    embedded database, or nothing registered yet)."""
    from .registry_client import connect, tracking_uri  # MLflow: only when the trail is verified

    uri = tracking_uri(settings)
    if uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).is_file():
        return None
    reg = connect(settings)
    if not reg.exists():
        return None
    return reg.tags()


def trail(settings: Settings) -> Trail:
    """The audit log, verified (chain, and the registry's copies where they exist); a move a
    crash interrupted is a problem until the next promote, rollback or retrain repairs it."""
    tags = registry_tags(settings)
    copies = None if tags is None else {k: v for k, v in tags.items() if k.startswith(TAG_PREFIX)}
    found = verify(read(settings.audit_log), copies)
    if tags and INTENT_TAG in tags:
        until = f" (until then: {found.problem})" if found.problem else ""
        found.problem = (
            f"a promote or rollback was interrupted (registry tag {INTENT_TAG}): the next "
            f"promote, rollback or retrain completes or undoes it{until}"
        )
    return found


def verified(settings: Settings) -> list[dict]:
    """Every entry of the audit log, or AuditError naming the first that differs."""
    found = trail(settings)
    if found.problem:
        raise AuditError(f"{settings.audit_log.name}: {found.problem}")
    return found.entries


def tag_key(record: dict) -> str:
    """A registry tag name for the entry (tag names allow no colons)."""
    stamp = str(record.get("when")).replace(":", "").replace("-", "").replace("+0000", "Z")
    return f"{TAG_PREFIX}{stamp}.{record.get('action')}"
