"""The performance verb of the command line (see cli/__init__.py for exit codes).

``performance [--window 30d] [--groups FILE]`` measures the champion on realized outcomes: the
logged predictions of the window joined to their outcomes (``operate.outcomes.joined``), per
week, model version and sensitive group, in reports/performance.{json,md,png}. A window without
outcomes is an error (exit 1) that leaves the last report in place.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from .declare import Verb, arg

if TYPE_CHECKING:
    import pandas as pd


def performance(settings: Settings, args: argparse.Namespace) -> int:
    from ..operate import performance as measure
    from ..operate import performance_report
    from ..operate.outcomes import joined

    days = args.window or settings.operate.window_days
    end = datetime.now(UTC)
    start = end - timedelta(days=days)
    report = measure.report(
        joined(settings, since=start),
        settings.business,
        start=start,
        end=end,
        run_cost_per_month=settings.operate.run_cost_per_month,
        groups=_groups(settings, args.groups),
        min_group_rows=settings.operate.min_group_rows,
    )
    path = performance_report.write(report, settings.reports_dir)
    overall, cur = report["overall"], report["currency"]
    roi = "n/a (run_cost_per_month is 0)" if overall["roi"] is None else f"{overall['roi']:.0%}"
    print(
        f"{report['with_outcome']} of {report['logged']} predictions of the last {days} days "
        f"have an outcome: cost per decision {overall['expected_cost_per_decision']:.2f} {cur}, "
        f"baseline {overall['baseline_cost_per_decision']:.2f} {cur}, ROI {roi}; report "
        f"{path.relative_to(settings.root) if path.is_relative_to(settings.root) else path}"
    )
    return 0


def _groups(settings: Settings, path: Path | None) -> pd.DataFrame | None:
    """The sensitive columns of FILE (default: the data file), indexed by the log's id."""
    from ..data import tables
    from ..operate.prediction_log import row_ids

    columns = list(settings.sensitive_attributes or ())
    if not columns:
        return None
    path = path or settings.data_path
    frame = tables.read(path)
    if missing := [name for name in columns if name not in frame.columns]:
        raise tables.DataError(f"{path}: column {missing[0]!r} (a sensitive attribute) is missing")
    return frame[columns].set_axis(row_ids(frame, settings.contract).to_numpy())


def window(text: str) -> int:
    """``30d``, ``4w`` or ``30``: whole days, at least 1."""
    found = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", text.lower())
    days = int(found[1]) * (7 if found[2] == "w" else 1) if found else 0
    if days < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: use days or weeks, e.g. 30d or 4w")
    return days


VERBS = (
    Verb(
        "performance",
        performance,
        "measure the champion on realized outcomes against the baseline rule (cost, ROI)",
        (
            arg(
                "--window",
                type=window,
                help="predictions scored in the last N days (30d, 4w; "
                "default [tool.phasegate.operate] window_days)",
            ),
            arg(
                "--groups",
                type=Path,
                help="file with the identifier and the sensitive columns (default: the data file)",
            ),
        ),
    ),
)
