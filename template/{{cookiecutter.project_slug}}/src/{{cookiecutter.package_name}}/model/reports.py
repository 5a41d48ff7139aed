"""Write reports: JSON for the machines (gates, CI), Markdown and a chart for people."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from ..data.report_types import ValidationReport
from .report_types import EvaluationReport, Leaderboard

VALIDATION = "validation"
EVALUATION = "evaluation"
COST_CHART = "cost-curve.png"
Shown = Literal["expected_cost_per_decision", "accuracy", "precision", "recall", "f1"]


def write_json(report: Mapping[str, object], folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_markdown(lines: list[str], folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def validation_markdown(report: ValidationReport) -> list[str]:
    status = "PASSED" if report["passed"] else "FAILED"
    lines = [
        f"# Data validation: {status}",
        "",
        f"- Data: `{report['data_path']}` (sha256 `{report['data_sha256'][:12]}`)",
        f"- Rows: {report['rows']} (minimum {report['min_rows']}); columns: {report['columns']}",
        f"- Validated at: {report['validated_at']}; data file modified at "
        f"{report['data_modified_at']}; newest record: {report['newest_record_at'] or 'n/a'}",
        "",
    ]
    if report.get("unlabelled_rows"):
        lines += [f"- Rows without a target value, set aside: {report['unlabelled_rows']}", ""]
    if report.get("ignored_columns"):
        names = ", ".join(f"`{name}`" for name in report["ignored_columns"])
        lines += [f"- Columns not in the data contract, dropped: {names}", ""]
    if kept := report.get("kept_out_of_model"):
        names = ", ".join(f"`{name}` ({kind})" for name, kind in kept.items())
        lines += [f"- In the contract but not model inputs: {names}", ""]
    if report["failures"]:
        lines += ["## Causes", "", "| Column | Check | Cases | Examples |", "|---|---|---|---|"]
        lines += [
            f"| {c['column']} | {c['check']} | {c['count']} | {', '.join(c['examples'])} |"
            for c in report.get("causes", [])
        ]
        lines += ["", "## Failure cases", "", "| Column | Check | Failure case | Row |"]
        lines += ["|---|---|---|---|"]
        lines += [
            f"| {f['column']} | {f['check']} | {f['failure_case']} | {f['index']} |"
            for f in report["failures"][:50]
        ]
        if (left_out := report.get("failure_count", 0) - min(50, len(report["failures"]))) > 0:
            lines += ["", f"{left_out} more failure cases are not shown here."]
    else:
        lines.append("Every check of the data contract (`data/contract.toml`) passed.")
    return lines


def evaluation_markdown(report: EvaluationReport) -> list[str]:
    biz = report["business"]
    verdict = "beats" if biz["beats_baseline"] else "does NOT beat"
    lines = [
        f"# Evaluation: the model {verdict} today's process",
        "",
        f"Decision: {biz['decision']}",
        "",
        *metrics_table(report),
        "",
        "## Business metric",
        "",
        *business_lines(report),
        "",
        f"![Expected cost against threshold]({COST_CHART})",
    ]
    return lines + groups_markdown(report)


def metrics_table(report: EvaluationReport) -> list[str]:
    """Held-out size, threshold, and model against baseline on each metric (also in the card)."""
    model, base, cur = report["model"], report["baseline"], report["currency"]
    rows: list[tuple[str, Shown, str]] = [
        ("Expected cost per decision", "expected_cost_per_decision", "{:.2f} " + cur),
        ("Accuracy", "accuracy", "{:.3f}"),
        ("Precision", "precision", "{:.3f}"),
        ("Recall", "recall", "{:.3f}"),
        ("F1", "f1", "{:.3f}"),
    ]
    lines = [
        f"Held-out rows: {report['held_out_rows']}; decision threshold "
        f"{report['threshold']:.3f} (chosen on validation data to minimise expected cost).",
        "",
        "| Metric | Model | Baseline (" + base["rule"] + ") |",
        "|---|---|---|",
    ]
    for label, key, fmt in rows:
        lines.append(f"| {label} | {fmt.format(model[key])} | {fmt.format(base[key])} |")
    return [*lines, f"| ROC AUC | {model['roc_auc']:.3f} | n/a |"]


def business_lines(report: EvaluationReport) -> list[str]:
    """The saving against the baseline and the projected KPI."""
    biz, cur = report["business"], report["currency"]
    return [
        f"- Saving per decision against the baseline: {biz['saving_per_decision']:.2f} {cur} "
        f"({biz['relative_saving']:.1%})",
        f"- {biz['kpi_name']}: baseline {biz['kpi_baseline']:g} {biz['kpi_unit']}, "
        f"target {biz['kpi_target']:g}, projected {biz['kpi_projected']:.4g} "
        "(assumes the KPI moves in proportion to the cost saving)",
    ]


def groups_markdown(report: EvaluationReport) -> list[str]:
    """Per-group comparison for every sensitive attribute (none when none are listed)."""
    cur, lines = report["currency"], []
    for attribute, groups in report.get("groups", {}).items():
        lines += [
            "",
            f"## Per group of `{attribute}` (held-out data)",
            "",
            "| Group | Rows | Model cost | Baseline cost | Model false pos. rate "
            "| Model false neg. rate |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {value.replace('|', '/')} | {group['rows']} "
            f"| {group['model']['expected_cost_per_decision']:.2f} {cur} "
            f"| {group['baseline']['expected_cost_per_decision']:.2f} {cur} "
            f"| {group['model']['false_positive_rate']:.3f} "
            f"| {group['model']['false_negative_rate']:.3f} |"
            for value, group in groups.items()
        ]
    return lines


def _axes() -> tuple[Any, Any, Any]:  # matplotlib is imported only when a chart is written
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    return plt, fig, ax


def _save(plt: Any, fig: Any, folder: Path, name: str) -> Path:
    fig.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def cost_chart(report: EvaluationReport, folder: Path) -> Path:
    """Expected cost per decision against threshold, baseline and chosen threshold marked."""
    plt, fig, ax = _axes()
    curve, cur = report["cost_curve"], report["currency"]
    ax.plot(curve["thresholds"], curve["expected_cost"], label="model (held-out data)")
    ax.axhline(
        report["baseline"]["expected_cost_per_decision"],
        color="tab:red",
        linestyle="--",
        label=f"baseline: {report['baseline']['rule']}",
    )
    ax.axvline(report["threshold"], color="tab:green", linestyle=":", label="chosen threshold")
    ax.set(xlabel="decision threshold", ylabel=f"expected cost per decision ({cur})")
    ax.set_title("Cost of being wrong against decision threshold")
    ax.legend(loc="upper center")
    return _save(plt, fig, folder, COST_CHART)


def leaderboard_chart(board: Leaderboard, folder: Path, name: str) -> Path:
    """Expected cost per decision of each candidate family, the baseline's as a line."""
    plt, fig, ax = _axes()
    entries = board["candidates"]
    colours = ["tab:green" if e["family"] == board["recommended"] else "tab:blue" for e in entries]
    ax.bar([e["family"] for e in entries], [e["expected_cost_per_decision"] for e in entries],
           color=colours)  # fmt: skip
    ax.axhline(entries[0]["baseline_cost_per_decision"], color="tab:red", linestyle="--",
               label="baseline (same rows)")  # fmt: skip
    ax.set(ylabel=f"expected cost per decision ({board['currency']})")
    ax.set_title("Candidates on the held-out rows (green: recommended)")
    ax.legend(loc="upper right")
    return _save(plt, fig, folder, name)
