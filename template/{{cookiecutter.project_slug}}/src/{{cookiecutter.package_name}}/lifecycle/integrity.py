"""A registered version's integrity: the manifest of its files' hashes, and the check that
downloaded files are exactly those recorded at registration.

At registration one manifest of the sha256 hashes of a version's artifacts is recorded as a
version tag (``manifest``), beside the ``model_sha256``, ``data_sha256`` and ``threshold`` tags.
A version is refused, with one line and changing nothing, unless its downloaded files are
exactly the manifest's (none missing, none added, every hash equal) and the tags agree with the
metadata. Versions registered before manifests (0.5 and older) have only ``model_sha256``: they
pass after that hash and the tags are checked, but their evaluation report counts as unverified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..digest import sha256
from ..model import train

if TYPE_CHECKING:
    from mlflow.entities.model_registry import ModelVersion

SHA256_TAG = "model_sha256"
MANIFEST_TAG = "manifest"  # {file name: sha256} of every artifact of the version


class TamperedError(train.ModelError):
    """A version's files or tags differ from what was recorded at registration."""


def manifest(folder: Path) -> dict[str, str]:
    """{file name relative to ``folder``: sha256} of every file in it."""
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): sha256(p) for p in paths}


def verify(version: ModelVersion, files: Path) -> bool:
    """Raise TamperedError unless the downloaded ``files`` are those recorded for ``version``
    and its tags agree with the metadata; False for a version registered before manifests."""
    number, tags = version.version, version.tags
    where = f"version {number}"
    found = manifest(files)
    recorded = tags.get(MANIFEST_TAG)
    if recorded is not None:
        try:
            expected = json.loads(recorded)
        except ValueError:
            raise TamperedError(f"{where}: its manifest tag is not JSON: refusing it") from None
        if not isinstance(expected, dict) or not expected:
            raise TamperedError(f"{where}: its manifest tag lists no files: refusing it")
        for name in sorted(expected.keys() | found.keys()):
            if name not in found:
                raise TamperedError(f"{where}: {name} is missing from its artifacts: refusing it")
            if name not in expected:
                raise TamperedError(f"{where}: {name} is not in its manifest: refusing it")
            if found[name] != expected[name]:
                raise TamperedError(
                    f"{where}: {name} does not match the hash recorded at registration "
                    "(manifest tag): refusing it"
                )
        if expected.get(train.MODEL_FILE) != tags.get(SHA256_TAG):
            raise TamperedError(f"{where}: its {SHA256_TAG} tag differs from its manifest")
    elif found.get(train.MODEL_FILE) != tags.get(SHA256_TAG) or not tags.get(SHA256_TAG):
        raise TamperedError(
            f"{where}: {train.MODEL_FILE} does not match the hash recorded at registration: "
            "refusing it"
        )
    try:
        metadata = json.loads((files / train.METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise TamperedError(f"{where}: {train.METADATA_FILE} is unreadable: refusing it") from None
    for key in ("threshold", "data_sha256"):
        if key in tags and str(metadata.get(key)) != tags[key]:
            raise TamperedError(
                f"{where}: {key} {metadata.get(key)!r} in {train.METADATA_FILE} differs from "
                f"the registry's tag {tags[key]!r}: refusing it"
            )
    return recorded is not None
