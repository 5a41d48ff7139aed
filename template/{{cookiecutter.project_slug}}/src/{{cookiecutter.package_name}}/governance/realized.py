"""The model card's realized performance: the champion's figures on real outcomes since it
became champion, from reports/performance.json (`performance`), or "no outcomes yet".

These figures move with every `performance` run, and reports/ is not committed, so
``governance --check`` leaves this section out of its comparison (documents.compared).
"""

from __future__ import annotations

import json

from ..config import Settings
from ..lifecycle import audit
from ..model.report_types import EvaluationReport

HEADING = "## Realized performance since promotion"
REPORT = "performance.json"
# (label, figure of the report, format); money figures carry the currency.
FIGURES = (
    ("Decisions with an outcome", "rows", "{:.0f}"),
    ("Expected cost per decision", "expected_cost_per_decision", "{:.2f} {cur}"),
    ("Baseline's cost on the same rows", "baseline_cost_per_decision", "{:.2f} {cur}"),
    ("Saving per decision", "saving_per_decision", "{:.2f} {cur}"),
    ("Precision", "precision", "{:.3f}"),
    ("Recall", "recall", "{:.3f}"),
    ("Calibration error (10 bins)", "calibration_error", "{:.3f}"),
    ("Adoption rate", "adoption_rate", "{:.1%}"),
    ("Realized saving", "realized_saving", "{:.2f} {cur}"),
    ("ROI (return on the run cost)", "roi", "{:.0%}"),
)


def since(settings: Settings, version: str) -> str | None:
    """When ``version`` last became champion (promotion or rollback in the audit log)."""
    moves = [
        e["when"]
        for e in audit.read(settings.audit_log)
        if e.get("action") in ("promote", "rollback") and str(e.get("to_version")) == version
    ]
    return max(moves, default=None)


def lines(settings: Settings, version: str, evaluation: EvaluationReport) -> list[str]:
    """The section: the champion's realized figures beside those of its evaluation."""
    path = settings.reports_dir / REPORT
    start = since(settings, version)
    became = f"champion since {start[:10]}" if start else "champion"
    report = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    found = [v for v in report.get("by_version", []) if str(v.get("model_version")) == version]
    if not found or not found[0].get("rows"):
        return [
            HEADING,
            "",
            f"No outcomes yet for version {version} ({became}): record outcomes "
            "(`outcomes FILE`) and run `nox -s performance`.",
        ]
    window, cur = report.get("window") or {}, report.get("currency", "")
    model, baseline = evaluation["model"], evaluation["baseline"]
    held_out = {
        "rows": evaluation.get("held_out_rows"),
        "expected_cost_per_decision": model.get("expected_cost_per_decision"),
        "baseline_cost_per_decision": baseline.get("expected_cost_per_decision"),
        "precision": model.get("precision"),
        "recall": model.get("recall"),
    }
    costs = (held_out["baseline_cost_per_decision"], held_out["expected_cost_per_decision"])
    if all(isinstance(cost, int | float) for cost in costs):
        held_out["saving_per_decision"] = costs[0] - costs[1]
    period = f"{str(window.get('start'))[:10]} to {str(window.get('end'))[:10]}"
    written = str(report.get("generated_at"))[:10]
    return [
        HEADING,
        "",
        f"Version {version}, {became}: the decisions it scored from {period} whose outcome is "
        f"known (reports/performance.json of {written}).",
        "",
        "| Figure | Realized | At evaluation (held out) |",
        "|---|---|---|",
        *[
            f"| {label} | {_shown(found[0].get(key), fmt, cur)} "
            f"| {_shown(held_out.get(key), fmt, cur)} |"
            for label, key, fmt in FIGURES
        ],
    ]


def _shown(value: object, fmt: str, currency: str) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "n/a"
    return fmt.format(value, cur=currency)
