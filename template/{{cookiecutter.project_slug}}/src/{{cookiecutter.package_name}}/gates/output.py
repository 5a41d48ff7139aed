"""Show a gate result: a table in the terminal (plain lines in logs and pipes), Markdown for CI
summaries, JSON for machines.

All three show the same rows: criterion, status, evidence (or the problems found) and
what to fix.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .judge import PHASES, SPEC_FILE, GateResult, Status

COLUMNS = ("Criterion", "Status", "Evidence", "What to fix")
STATUS_STYLES = {"PASS": "green", "FAIL": "bold red", "WARN": "yellow"}
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"  # GitHub Actions shows Markdown appended to this file


def rows(result: GateResult) -> list[tuple[str, str, str, str]]:
    """One row per criterion; problems and warnings replace the evidence when there are any."""
    return [
        (
            f"{o.criterion.id}\n{o.criterion.title}",
            o.status.upper(),
            "\n".join(o.finding.problems + o.finding.warnings or o.finding.evidence),
            "" if o.status == "pass" else o.criterion.fix,
        )
        for o in result.outcomes
    ]


def title(result: GateResult) -> str:
    verdict = "passed" if result.passed else "FAILED"
    return f"Phase gate {result.phase} ({PHASES[result.phase]}): {verdict}"


def summary(result: GateResult) -> str:
    counts: dict[Status, int] = {"pass": 0, "fail": 0, "warn": 0}
    for outcome in result.outcomes:
        counts[outcome.status] += 1
    return (
        f"Gates 1 to {result.phase} of {SPEC_FILE} (claimed phase: {result.claimed_phase}): "
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['warn']} warnings."
    )


def print_lines(result: GateResult) -> None:
    """The rows as plain lines, for CI logs and pipes: a status and the criterion first, its
    evidence (or problems) and what to fix indented below; nothing is folded or cut."""
    print(title(result))
    for outcome, (_, status, evidence, fix) in zip(result.outcomes, rows(result), strict=True):
        print(f"{status:<4}  {outcome.criterion.id}  {outcome.criterion.title}")
        print("".join(f"      {line}\n" for line in evidence.splitlines()), end="")
        if fix:
            print(f"      fix: {fix}")
    print(summary(result))


def print_table(result: GateResult) -> None:
    """The table, drawn by rich (imported here: JSON and Markdown need the standard library)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(title=title(result), show_lines=True, expand=True)
    ids = max((len(o.criterion.id) for o in result.outcomes), default=0)  # never folded
    for column, ratio, least in zip(COLUMNS, (3, None, 6, 4), (ids, 6, None, None), strict=True):
        # Status: as wide as needed; fold, never cut, a long file name
        table.add_column(column, ratio=ratio, overflow="fold", min_width=least)
    for criterion, status, evidence, fix in rows(result):
        status_text = Text(status, STATUS_STYLES[status])
        table.add_row(Text(criterion), status_text, Text(evidence), Text(fix))
    console.print(table)
    console.print(Text(summary(result)))


def markdown(result: GateResult) -> str:
    lines = [f"## {title(result)}", "", summary(result), ""]
    lines += [f"| {' | '.join(COLUMNS)} |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(_cell(text) for text in row)} |" for row in rows(result)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def show(result: GateResult, output_format: str) -> None:
    """Print in the chosen format; Markdown is also appended to $GITHUB_STEP_SUMMARY if set."""
    if output_format == "json":
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        text = markdown(result)
        print(text, end="")
        if summary_file := os.environ.get(SUMMARY_ENV):
            with Path(summary_file).open("a", encoding="utf-8") as file:
                file.write(text + "\n")
    elif sys.stdout.isatty():
        print_table(result)
    else:
        print_lines(result)
