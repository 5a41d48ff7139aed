"""Verifying the audit trail: the hash chain of governance/audit-log.jsonl, and the file against
the registry's copies of its entries (the ``audit.*`` tags), wherever the registered model exists.

A forged entry appended with a correct chain, or a removed last entry, is caught by the
comparison with the copies. ``trail`` names the first entry that differs; only the entries
before it count as verified. Logs written before the chain existed (0.5 and older) stay
readable: entries without ``previous_sha256`` are accepted only before the first chained entry,
and that entry's hash covers all of them. An unchained entry after a chained one is refused as
added by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import audit

if TYPE_CHECKING:
    from ..config import Settings


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
    digest, chained = audit.GENESIS, False
    for number, record in enumerate(entries, 1):
        what = f"line {number} ({_short(record)})"
        if audit.CHAIN in record:
            chained = True
            if record[audit.CHAIN] != digest:
                trail.problem = (
                    f"{what}: its previous_sha256 does not match the entries before it "
                    "(one was changed, removed or reordered)"
                )
                return trail
        elif chained:
            trail.problem = f"{what} has no previous_sha256 after chained entries: added by hand"
            return trail
        if copies is not None:
            key = audit.tag_key(record)
            if key not in copies:
                trail.problem = f"{what} has no copy in the model registry (tag {key})"
                return trail
            if not same(record, copies[key]):
                trail.problem = f"{what} differs from its copy in the model registry (tag {key})"
                return trail
        trail.verified.append(record)
        digest = audit.next_hash(digest, record)
    if copies is not None:
        missing = sorted(set(copies) - {audit.tag_key(record) for record in entries})
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
    copies = (
        None if tags is None else {k: v for k, v in tags.items() if k.startswith(audit.TAG_PREFIX)}
    )
    found = verify(audit.read(settings.audit_log), copies)
    if tags and audit.INTENT_TAG in tags:
        until = f" (until then: {found.problem})" if found.problem else ""
        found.problem = (
            f"a promote or rollback was interrupted (registry tag {audit.INTENT_TAG}): the next "
            f"promote, rollback or retrain completes or undoes it{until}"
        )
    return found


def verified(settings: Settings) -> list[dict]:
    """Every entry of the audit log, or AuditError naming the first that differs."""
    found = trail(settings)
    if found.problem:
        raise audit.AuditError(f"{settings.audit_log.name}: {found.problem}")
    return found.entries
