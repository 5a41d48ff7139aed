"""The shape of the performance report (reports/performance.json, Contract 2 of the operate
loop), as performance.py writes it and performance_report.py and the CLI read it. Standard
library only: any module may import it.

A TypedDict rather than a dataclass: the report is written with json and read back with json,
so the same dict is both the file and the typed value, and mypy checks every key a reader uses.
"""

from __future__ import annotations

from typing import Any, TypedDict

# One slice's figures: ``rows`` (an int), every figure of performance._figures (a float, or
# None where it cannot be measured), the slice's keys (``period``, ``model_version``, ``group``)
# and, for a group too small to show, ``suppressed``. Built from a frame's columns and read by
# the figure names thresholds and gates configure, so it stays a dict.
Figures = dict[str, Any]


class Window(TypedDict):
    start: str  # ISO 8601, UTC
    end: str
    days: float  # a whole number of days is an int


class PerformanceReport(TypedDict):
    generated_at: str
    window: Window
    logged: int  # predictions logged in the window
    with_outcome: int
    late: int  # outcomes that arrived after late_after_days
    currency: str
    run_cost_per_month: float
    min_group_rows: int
    overall: Figures
    by_period: list[Figures]  # per week and model version
    by_version: list[Figures]
    by_group: dict[str, list[Figures]]  # sensitive column → its groups
