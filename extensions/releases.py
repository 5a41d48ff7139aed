"""The template's releases, as CHANGELOG.md lists them (tags may be missing in a clone)."""

from __future__ import annotations

import re
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"
RELEASE_HEADING = re.compile(r"^## (\d+\.\d+\.\d+) \(.*commit ([0-9a-f]{7,40})\)", re.MULTILINE)
VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def releases(changelog: Path = CHANGELOG) -> dict[str, str]:
    """Tag name → commit of every release, oldest first."""
    found = RELEASE_HEADING.findall(changelog.read_text(encoding="utf-8"))
    return {f"v{version}": commit for version, commit in reversed(found)}


def version_key(text: object) -> tuple[int, int, int] | None:
    """(major, minor, patch) of 'v1.2.3', 'v1.2.3-4-gabc' or '1.2.3'; None otherwise."""
    found = VERSION.match(str(text or ""))
    return (int(found[1]), int(found[2]), int(found[3])) if found else None
