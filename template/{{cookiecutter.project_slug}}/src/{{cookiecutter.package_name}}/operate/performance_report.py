"""The performance report for people (Markdown and a chart of cost per decision per week) and
the writing of all three files: each to a temporary file first, then moved into place, so that
a failed run leaves the previous report whole."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import date
from pathlib import Path

from ..model import reports
from .report_types import Figures, PerformanceReport

NAME = "performance"
CHART = f"{NAME}.png"
HEADS = {"period": "Week starting", "model_version": "Model version", "group": "Group"}


def write(report: PerformanceReport, folder: Path) -> Path:
    """reports/performance.json, .md and .png; the Markdown's path."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, sort_keys=True, allow_nan=False) + "\n"
    lines = markdown(report)
    staged = {
        folder / f".{NAME}.partial.json": (folder / f"{NAME}.json"),
        folder / f".{NAME}.partial.md": (folder / f"{NAME}.md"),
        folder / f".{NAME}.partial.png": (folder / CHART),
    }
    partial_json, partial_md, partial_png = staged
    try:
        partial_json.write_text(text, encoding="utf-8")
        partial_md.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
        chart(report, partial_png)
        for partial, final in staged.items():
            os.replace(partial, final)
    finally:
        for partial in staged:
            partial.unlink(missing_ok=True)
    return folder / f"{NAME}.md"


def markdown(report: PerformanceReport) -> list[str]:
    """What a business owner reads: cost against today's rule, saving, ROI, adoption, quality."""
    overall, cur, window = report["overall"], report["currency"], report["window"]
    lines = [
        f"# Performance on realized outcomes, {window['start'][:10]} to {window['end'][:10]}",
        "",
        f"Predictions logged: {report['logged']}; with an outcome: {report['with_outcome']} "
        f"(arrived late: {report['late']}). Figures use the predictions with an outcome; "
        "adoption and time to decision use every logged prediction.",
        "",
        "## In short",
        "",
        *_summary(overall, cur, report["run_cost_per_month"], window["days"]),
        "",
        f"![Cost per decision per week, model and baseline rule]({CHART})",
    ]
    lines += _table("Per week", report["by_period"], ["period", "model_version"], report)
    lines += _table("Per model version", report["by_version"], ["model_version"], report)
    if not report["by_group"]:
        lines += ["", "No per-group figures: `sensitive_attributes` in `[tool.phasegate.data]` "
                  "lists no column."]  # fmt: skip
    for column, groups in report["by_group"].items():
        lines += _table(f"Per group of `{column}`", groups, ["group"], report)
    return lines


def _summary(m: Figures, cur: str, per_month: float, days: float) -> list[str]:
    saving, base = m["saving_per_decision"], m["baseline_cost_per_decision"]
    relative = f" ({saving / base:.1%} of the baseline's)" if base else ""
    lines = [
        f"- Cost of wrong decisions per decision: model {m['expected_cost_per_decision']:.2f} "
        f"{cur}, today's rule (baseline) {base:.2f} {cur} on the same cases.",
        f"- Saving per decision: {saving:.2f} {cur}{relative}; realized saving over the "
        f"window: {m['realized_saving']:.2f} {cur}.",
    ]
    if m["roi"] is None:
        lines.append(
            "- Return on investment: not computed, `run_cost_per_month` in "
            "`[tool.phasegate.operate]` is 0 (set it to what running the model costs a month)."
        )
    else:
        lines.append(
            f"- Return on investment: {m['roi']:.0%} (realized saving against a run cost of "
            f"{m['run_cost']:.2f} {cur}: {per_month:g} {cur} a month over {days:g} days)."
        )
    adoption = m["adoption_rate"]
    lines.append(
        "- Adoption: not reported (no outcome file says whether people acted)."
        if adoption is None
        else f"- Adoption: people acted on {adoption:.0%} of the model's recommendations to act "
        "(among those where it was reported)."
    )
    lines += [
        f"- Precision {_f(m['precision'])}: of the cases the model flagged, the share that "
        f"turned out positive. Recall {_f(m['recall'])}: of the positive cases, the share "
        "it flagged.",
        f"- Calibration error {_f(m['calibration_error'])}: the average gap between the "
        "predicted probability and the observed rate (10 score bands; 0 is perfect).",
        "- Median time from data to decision: "
        + (
            "not known (no `timestamp_column` in `[tool.phasegate.data]`)."
            if m["median_hours_data_to_decision"] is None
            else f"{m['median_hours_data_to_decision']:.1f} hours."
        ),
    ]
    return lines


def _table(
    title: str, entries: list[Figures], keys: list[str], report: PerformanceReport
) -> list[str]:
    heads = [HEADS.get(key, key) for key in keys]
    cur = report["currency"]
    lines = ["", f"## {title}", "", "| " + " | ".join(heads) + f" | Rows | Model cost ({cur}) "
             f"| Baseline cost ({cur}) | Saving ({cur}) | Precision | Recall "
             "| Calibration error | Adoption |"]  # fmt: skip
    lines.append("|" + "---|" * (len(keys) + 8))
    for e in entries:
        cells = [str(e[key]).replace("|", "/") for key in keys] + [str(e["rows"])]
        if e.get("suppressed"):
            cells.append(f"fewer than {report['min_group_rows']} rows: not shown |" + " |" * 6)
        else:
            names = ("expected_cost_per_decision", "baseline_cost_per_decision",
                     "saving_per_decision", "precision", "recall", "calibration_error")  # fmt: skip
            cells += [_f(e[name], 2 if "decision" in name else 3) for name in names]
            cells.append(_f(e["adoption_rate"], 2))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def chart(report: PerformanceReport, path: Path) -> Path:
    """Cost per decision per week: one line per model version, the baseline rule dashed."""
    plt, fig, ax = reports._axes()
    weeks: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for version in sorted({e["model_version"] for e in report["by_period"]}, key=_numeric):
        shown = [e for e in report["by_period"] if e["model_version"] == version and e["rows"]]
        when = [date.fromisoformat(e["period"]) for e in shown]
        ax.plot(when, [e["expected_cost_per_decision"] for e in shown], marker="o",
                label=f"model version {version}")  # fmt: skip
        for day, e in zip(when, shown, strict=True):  # the baseline over every version's rows
            weeks[day][0] += e["baseline_cost_per_decision"] * e["rows"]
            weeks[day][1] += e["rows"]
    periods = sorted(weeks)
    ax.plot(periods, [weeks[p][0] / weeks[p][1] for p in periods], color="tab:red",
            linestyle="--", marker="s", label="baseline rule (same cases)")  # fmt: skip
    ax.set(
        xlabel="week starting", ylabel=f"cost per decision ({report['currency']})", ylim=(0, None)
    )
    ax.set_title("Realized cost of wrong decisions per decision")
    ax.legend(loc="best")
    fig.autofmt_xdate()
    return reports._save(plt, fig, path.parent, path.name)


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _numeric(version: str) -> tuple[int, str]:
    return len(version), version  # registry versions are numbers: "2" before "10"
