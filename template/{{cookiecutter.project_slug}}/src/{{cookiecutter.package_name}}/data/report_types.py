"""The shape of the data validation report (reports/validation.json), as every engine writes it
(data/tables.py for the local one) and the CLI, the reports and the datasheet read it.
Standard library only: any module may import it.

TypedDicts rather than dataclasses: the report is written with json and read back with json, so
the same dict is both the file and the typed value, and mypy checks every key a reader uses.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Failure(TypedDict):
    """One failure case, as pandera names it (all text; ``index``: the row, "" when unknown)."""

    column: str
    check: str
    failure_case: str
    index: str


class Cause(TypedDict):
    """One failed check, once, with how many cases it has and a few example values."""

    column: str
    check: str
    count: int
    examples: list[str]


class ValidationReport(TypedDict):
    data_path: str
    data_sha256: str
    data_modified_at: str
    newest_record_at: str | None  # None: no timestamp column configured
    validated_at: str
    rows: int
    columns: int
    min_rows: int
    target: str
    positive: str
    passed: bool  # the data may be used
    failures: list[Failure]  # the first causes.SHOWN_CASES cases
    failure_count: int
    failures_left_out: int
    causes: list[Cause]
    # The local engine's only:
    ignored_columns: NotRequired[list[str]]  # not in the data contract, dropped
    kept_out_of_model: NotRequired[dict[str, str]]  # in the contract, not a model input: kind
    unlabelled_rows: NotRequired[int]  # without a target value, set aside
