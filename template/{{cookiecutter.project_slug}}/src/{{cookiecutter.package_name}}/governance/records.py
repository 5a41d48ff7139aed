"""Governance records generated from the project's reports, and the check that they are current.

Each record keeps the team's own text: only the part between ``<!-- generated:start -->``
and ``<!-- generated:end -->`` is written by ``<package> governance`` (``nox -s report``), and
``governance --check`` fails when that part differs from what the champion's evaluation report,
the last validation report, pyproject.toml and the audit log give today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..config import Settings
from ..gates.evidence import Finding, Project
from . import documents

START, END = "<!-- generated:start -->", "<!-- generated:end -->"
RERUN = "run `nox -s report`"


@dataclass(frozen=True)
class Record:
    path: str  # relative to the project root
    title: str
    intro: str
    build: Callable[[Settings], list[str]]


def _card(settings: Settings) -> list[str]:
    from . import model_card  # imports MLflow: only when the model card is asked for

    return model_card.card(settings, model_card.champion(settings))


RECORDS = (
    Record(
        "governance/model-card.md",
        "Model card",
        "What the current champion model is for, how well it does and what drives it.",
        _card,
    ),
    Record(
        "governance/datasheet.md",
        "Datasheet",
        "The training data: figures from the last validation report, answers of the data audit.",
        documents.datasheet,
    ),
    Record(
        "governance/model-update-policy.md",
        "Model update policy",
        "Who approves a model update, when a model is promoted, retrained or rolled back.",
        documents.update_policy,
    ),
    Record(
        "governance/audit-log.md",
        "Audit log",
        "Every promotion and rollback, from governance/audit-log.jsonl (append-only).",
        documents.audit_table,
    ),
)


def _span(lines: list[str]) -> tuple[int, int] | None:
    """Indexes of the start and end markers, or None when either is missing."""
    if START not in lines or END not in lines[lines.index(START) :]:
        return None
    return lines.index(START), lines.index(END, lines.index(START))


def generated(text: str) -> tuple[int, list[str]] | None:
    """The line number after the start marker and the generated lines, or None."""
    lines = text.splitlines()
    span = _span(lines)
    return None if span is None else (span[0] + 2, lines[span[0] + 1 : span[1]])


def replaced(text: str | None, record: Record, lines: list[str]) -> str:
    """The record's text with its generated part replaced (a new file when ``text`` is None)."""
    block = [START, *lines, END]
    if text is None:
        note = "<!-- Text outside the generated part is yours; `report` rewrites only that. -->"
        return "\n".join([f"# {record.title}", "", record.intro, "", note, "", *block]) + "\n"
    found = text.splitlines()
    span = _span(found)
    if span is None:
        return "\n".join([*found, "", *block]) + "\n"
    return "\n".join([*found[: span[0]], *block, *found[span[1] + 1 :]]) + "\n"


def write(settings: Settings) -> tuple[list[str], list[str]]:
    """Regenerate every record whose sources exist: (written paths, reasons for skipped ones).

    Every record is built before any file is touched, and each file is replaced whole (a
    temporary file, then a rename); when the registry cannot be reached nothing is written.
    """
    from ..lifecycle.audit import replace_text
    from ..lifecycle.registry_client import RegistryUnavailable

    built, skipped = [], []
    for record in RECORDS:
        try:
            built.append((record, record.build(settings)))
        except RegistryUnavailable:
            raise  # nothing written: the model card would be missing, the rest current
        except (ValueError, OSError) as error:  # no champion, no report, tampered model
            skipped.append(f"{record.path}: {error}")
    written = []
    for record, lines in built:
        path = settings.root / record.path
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        new = replaced(old, record, lines)
        if new != old:
            replace_text(path, new)
        written.append(record.path)
    return written, skipped


def check(settings: Settings) -> Finding:
    """A problem for every record whose generated part differs from its sources."""
    finding = Finding()
    for record in RECORDS:
        try:
            want = documents.comparable(record.build(settings))
        except (ValueError, OSError) as error:
            finding.problems.append(f"{record.path} cannot be checked: {error}")
            continue
        path = settings.root / record.path
        found = generated(path.read_text(encoding="utf-8")) if path.is_file() else None
        if found is None:
            finding.problems.append(f"{record.path} has no generated part: {RERUN}")
            continue
        first, got = found
        keep = documents.compared(got)
        kept = [(n, line) for (n, line), k in zip(enumerate(got, first), keep, strict=True) if k]
        if [line for _, line in kept] == want:
            finding.evidence.append(f"{record.path} matches its sources")
            continue
        differ = [(n, line) for (n, line), new in zip(kept, want, strict=False) if line != new]
        n, what = (
            (differ[0][0], f"found {differ[0][1].strip()!r}")
            if differ
            else (first + len(got), f"{len(kept)} lines where its sources give {len(want)}")
        )
        finding.problems.append(f"{record.path}:{n} differs from its sources ({what}): {RERUN}")
    return finding


def governance_current(params: dict, project: Project) -> Finding:
    """Gate kind: every generated governance record matches the champion and the reports."""
    return check(project.settings)
