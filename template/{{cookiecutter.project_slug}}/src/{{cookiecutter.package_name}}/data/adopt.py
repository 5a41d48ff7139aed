"""``adopt``: make a data file the project's data: the contract, the data settings in
pyproject.toml and a proposed baseline rule, checked before anything is written.

Nothing is written when a check fails; a contract the team edited is kept unless ``--force``.
Both files are written to temporary files first and moved into place together.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

import tomlkit

from ..config import Settings
from ..model import baseline
from . import tables
from .causes import summary
from .contract import dump, edited
from .profile import AdoptError, Request, profile, propose_rule

MIN_ROWS_SHARE = 0.8  # a later data file with fewer rows than this share of today's fails


def adopt(settings: Settings, source: Path, asked: Request, force: bool = False) -> list[str]:
    """Adopt ``source``; returns what a person must review."""
    target = settings.contract_path
    if target.is_file() and edited(target) and not force:
        raise AdoptError(
            f"{_shown(target, settings)} was edited by hand: keep it, or run adopt with --force "
            "to replace it (commit it first to keep a copy)"
        )
    frame = tables.read(source)
    found = profile(frame, asked)
    sensitive = asked.sensitive or settings.sensitive_attributes
    labelled = frame[frame[asked.target].notna()]
    new = replace(
        settings,
        data_path=source.resolve(),
        target=asked.target,
        positive=found.positive,
        min_rows=max(1, int(len(labelled) * MIN_ROWS_SHARE)),
        contract_path=target,
        sensitive_attributes=sensitive,
        timestamp_column=found.timestamp or "",
    )
    with _staged(target, dump(found.contract)) as staged:
        new = replace(new, contract_path=staged, baseline_rule="false")
        valid, report = tables.validate(frame, new)
        if valid is None:
            raise AdoptError(
                f"the data does not pass the contract written for it: {summary(report)}"
            )
        training = tables.split(valid, new).train  # the held-out rows judge the rule later
        rule = propose_rule(training, new.contract, training[new.target], settings.business)
        new = replace(new, baseline_rule=rule)
        baseline.decide(valid, new)
        pyproject = settings.root / "pyproject.toml"
        text = _settings_text(pyproject, replace(new, contract_path=target), source)
        _write(pyproject, text)
        os.replace(staged, target)
    return [
        *found.review,
        f"target {asked.target!r}: act when it is {found.positive!r}",
        f"min_rows = {new.min_rows} ({MIN_ROWS_SHARE:.0%} of the {len(labelled)} labelled rows)",
        f"baseline rule (a proposal: write the rule your team applies today): {rule}",
        *([] if sensitive is not None else ["sensitive_attributes: not decided yet (gate 2)"]),
    ]


def _settings_text(pyproject: Path, new: Settings, source: Path) -> str:
    document = tomlkit.parse(pyproject.read_text(encoding="utf-8"))
    phasegate = document["tool"]["phasegate"]
    table = phasegate["data"]
    inside = source.resolve().is_relative_to(new.root.resolve())
    table["path"] = (
        source.resolve().relative_to(new.root.resolve()).as_posix()
        if inside
        else str(source.resolve())
    )
    table["contract"] = new.contract_path.resolve().relative_to(new.root.resolve()).as_posix()
    table["target"] = new.target
    table["positive"] = new.positive
    table["min_rows"] = new.min_rows
    table.pop("max_null_fraction", None)  # replaced by each column's max_missing
    if new.sensitive_attributes is not None:
        table["sensitive_attributes"] = list(new.sensitive_attributes) or "none"
    table["timestamp_column"] = new.timestamp_column
    rule = phasegate["baseline"]
    for old in ("feature", "threshold"):
        rule.pop(old, None)
    rule["rule"] = new.baseline_rule
    return tomlkit.dumps(document)


class _staged:
    """A temporary file beside ``path`` holding ``text``, removed unless moved into place."""

    def __init__(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".toml")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        self.path = Path(name)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    with _staged(path, text) as staged:
        os.replace(staged, path)


def _shown(path: Path, settings: Settings) -> str:
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)
