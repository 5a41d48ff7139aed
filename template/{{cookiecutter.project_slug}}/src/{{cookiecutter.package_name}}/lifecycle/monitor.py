"""`monitor`: recent data and the champion's predictions against its training reference.

Writes reports/monitoring.json (promotion reads it: a crossed `block` threshold stops every
promotion until monitoring is fine again), reports/monitoring.md and reports/drift.png.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..config import Settings
from ..data import tables
from ..digest import sha256
from ..model import reports
from ..model.predict import checked
from ..model.train import check_contract, scores
from ..thresholds import Action, Threshold, most_serious
from . import drift
from .promotion import SCORE
from .registry import load
from .registry_client import CHAMPION, connect
from .report_types import CategoryDrift, MonitoringReport, NumericDrift

MONITORING = "monitoring"
CHART = "drift.png"
COLOURS = {Action.OK: "tab:green", Action.WARN: "tab:orange", Action.RETRAIN: "tab:red"}
COLOURS |= {Action.ROLLBACK: "tab:purple", Action.BLOCK: "black"}
FOLLOW_UP = {
    Action.OK: "Nothing to do.",
    Action.WARN: "Look at the drifted features below; no action is required yet.",
    Action.RETRAIN: "Retraining is requested: CI runs `retrain` (exit code 4 of `monitor`).",
    Action.ROLLBACK: (
        "A rollback is requested: CI rolls the champion back (`alerts`, exit code 4)."
    ),
    Action.BLOCK: (
        "Promotion is blocked until a person has checked the data and monitoring passes."
    ),
}


def run(settings: Settings) -> MonitoringReport:
    """Compare the data file with the champion's training data; write the three reports."""
    champion = load(connect(settings), CHAMPION)
    check_contract(champion.model, settings.contract, f"the champion (version {champion.number})")
    recent, rejects = checked(tables.read(settings.data_path), settings.contract)
    if recent.empty:
        raise tables.DataError(f"no usable rows in {settings.data_path} to monitor")
    recent = recent[champion.model.metadata["features"]]
    recent = recent.assign(**{SCORE: scores(champion.model, recent)})
    result: MonitoringReport = {
        "monitored_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_path": str(settings.data_path),
        "data_sha256": sha256(settings.data_path),
        "champion_version": champion.number,
        "reference_rows": len(champion.reference),
        "recent_rows": len(recent),
        "rejected_rows": len(rejects),
        **drift.measure(champion.reference, recent, settings.monitoring, settings.contract),
    }
    reports.write_json(result, settings.reports_dir, MONITORING)
    chart(result, champion.reference[SCORE], recent[SCORE], settings)
    reports.write_markdown(markdown(result), settings.reports_dir, MONITORING)
    return result


def markdown(result: MonitoringReport) -> list[str]:
    lines = [
        f"# Monitoring: {result['status'].upper()}",
        "",
        FOLLOW_UP[result["status"]],
        "",
        f"Champion version {result['champion_version']}: {result['reference_rows']} training rows "
        f"against {result['recent_rows']} recent rows of `{result['data_path']}` "
        f"({result['rejected_rows']} rows failed the schema and were left out).",
        "",
        f"![Drift per feature and of the scores]({CHART})",
        "",
        "| Threshold | Value | Above | Action |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {c['metric']} | {c['value']:.3f} | {c['above']:g} | {c['action']} |"
        for c in result["crossed"]
    ] or ["| (none crossed) | | | |"]
    lines += [
        "",
        "| Column | PSI | Test | p-value | Drifted | Training | Recent |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = {**result["features"], "model score": result["prediction"]}
    lines += [
        f"| {name} | {s['psi']:.3f} | {cells(s)[0]} | {s['p_value']:.2g} "
        f"| {'yes' if s['drifted'] else 'no'} | {cells(s)[1]} | {cells(s)[2]} |"
        for name, s in rows.items()
    ]
    return lines


def cells(statistics: NumericDrift | CategoryDrift) -> tuple[str, str, str]:
    """The test and the two summaries of one column: means for numbers, top categories else."""
    if "ks_statistic" in statistics:
        s = statistics
        return (
            f"KS {s['ks_statistic']:.3f}",
            f"mean {s['reference_mean']:.4g}",
            f"mean {s['recent_mean']:.4g}",
        )
    return (
        "chi-squared",
        f"mostly {statistics['reference_top']}",
        f"mostly {statistics['recent_top']}",
    )


def level(psi: float, limits: list[Threshold]) -> Action:
    """The most serious action among the thresholds this PSI crosses (OK for none)."""
    return most_serious(limit.action for limit in limits if psi > limit.above) or Action.OK


def chart(
    result: MonitoringReport, reference: pd.Series, recent: pd.Series, settings: Settings
) -> Path:
    """Left: PSI per feature against the thresholds. Right: the scores, before and now."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    features = sorted(result["features"].items(), key=lambda item: item[1]["psi"])
    limits = [t for t in settings.monitoring.thresholds if t.metric == "max_feature_psi"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=100)
    colours = [COLOURS[level(s["psi"], limits)] for _, s in features]
    left.barh([name for name, _ in features], [s["psi"] for _, s in features], color=colours)
    for limit in limits:
        left.axvline(limit.above, color=COLOURS[limit.action], linestyle="--", label=limit.action)
    left.set(xlabel="population stability index (PSI)", title="Drift per feature")
    if limits:
        left.legend(title="threshold", loc="lower right")
    right.hist(reference, bins=20, range=(0, 1), alpha=0.6, density=True, label="training")
    right.hist(recent, bins=20, range=(0, 1), alpha=0.6, density=True, label="recent")
    right.set(xlabel="model score", ylabel="density", title="Scores: training against recent")
    right.legend()
    fig.suptitle(f"Monitoring: {result['status'].upper()} (champion v{result['champion_version']})")
    fig.tight_layout()
    path = settings.reports_dir / CHART
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path
