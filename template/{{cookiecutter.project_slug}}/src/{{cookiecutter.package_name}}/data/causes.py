"""A validation report that names causes: each failed check once, with its count and a few
example values; missing columns and unreadable values first, truncation said out loud."""

from __future__ import annotations

import pandas as pd

from .report_types import Cause, Failure, ValidationReport

SHOWN_CASES = 200  # failure cases kept in the report
EXAMPLES = 3  # example values per cause
FAILURE_KEYS = ("column", "check", "failure_case", "index")  # of each failure case
# The order a person should read causes in: what makes every other check meaningless first.
FIRST = ("column_in_dataframe", "target", "coerce_dtype", "dtype", "not_nullable")


def record(report: ValidationReport, cases: pd.DataFrame, target_problems: list[str]) -> None:
    """Put the failure cases, grouped into causes, into the validation report."""
    target = report["target"]
    if target_problems:
        rows = [{"column": target, "check": "target", "failure_case": p} for p in target_problems]
        cases = pd.concat([pd.DataFrame(rows), cases], ignore_index=True)
    cases = cases.astype(object).where(cases.notna(), "")
    missing = cases["check"].astype(str) == "column_in_dataframe"
    cases.loc[missing, "column"] = cases.loc[missing, "failure_case"]  # name the column
    cases = cases[~cases["check"].astype(str).str.startswith("dtype(")]  # repeats coerce_dtype
    report["failures"] = [failure(row) for _, row in cases.head(SHOWN_CASES).iterrows()]
    report["failure_count"] = len(cases)
    report["failures_left_out"] = max(0, len(cases) - SHOWN_CASES)
    report["causes"] = grouped(cases)


def failure(row: pd.Series) -> Failure:
    column, check, case, index = (str(row.get(key, "")) for key in FAILURE_KEYS)
    return {"column": column, "check": check, "failure_case": case, "index": index}


def grouped(cases: pd.DataFrame) -> list[Cause]:
    causes: list[Cause] = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        examples = list(dict.fromkeys(str(v) for v in group["failure_case"]))[:EXAMPLES]
        causes.append(
            {"column": str(column), "check": str(check), "count": len(group), "examples": examples}
        )
    return sorted(causes, key=lambda c: (_rank(c["check"]), -c["count"]))


def _rank(check: str) -> int:
    return next((i for i, first in enumerate(FIRST) if check.startswith(first)), len(FIRST))


def describe(cause: Cause) -> str:
    """One cause in words: "Contract: isin(...) (12 rows, e.g. 'Monthly')"."""
    if cause["check"] == "column_in_dataframe":
        return f"column {cause['column']!r} is missing"
    if cause["check"] == "target":
        return f"target {cause['column']!r}: {cause['examples'][0]}"
    where = f"{cause['column']}: " if cause["column"] else ""
    examples = ", ".join(repr(e) for e in cause["examples"] if e != "")
    count = f"{cause['count']} case{'s' if cause['count'] != 1 else ''}"
    return f"{where}{cause['check']} ({count}{', e.g. ' + examples if examples else ''})"


def summary(report: ValidationReport, most: int = 3) -> str:
    """The top causes in one line, saying how many more there are."""
    found = report.get("causes", [])
    shown = "; ".join(describe(c) for c in found[:most])
    more = len(found) - most
    return shown + (f"; and {more} more cause{'s' if more > 1 else ''}" if more > 0 else "")
