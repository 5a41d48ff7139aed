"""Tracked runs in MLflow: every ``train``, ``retrain`` and ``experiment`` candidate, with its
parameters, metrics and reports, comparable in the MLflow UI (``nox -s mlflow-ui``).

Parameters: the model family and its hyperparameters (every plain setting of the final
estimator, ``model.*``), the split seed, the data file's and the data contract's sha256 and the
template version (``.copier-answers.yml``). Metrics, on the held-out rows: the expected cost per
decision and the baseline's, the saving, ROC AUC, precision and recall at the chosen threshold,
and per group of every sensitive column (``group.<column>.<value>.*``). Artifacts: the
evaluation report, the explanation (JSON and Markdown) and the cost chart, under ``reports/``
(a ``train`` on its own leaves the chart to ``evaluate``; ``pipeline`` logs its training run
after ``evaluate``, with that evaluation and its chart).
``train`` and ``retrain`` log to the registered model's experiment (a retrain to the run of the
version it registers), ``experiment`` to ``<model>-experiments``. MLflow is imported only here,
and only when a run is logged; calls go through registry_client.connect (bounded, quiet).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Literal

from ..config import Settings
from ..data.tables import Split
from ..model import explain, reports
from ..model.evaluate import evaluate
from ..model.report_types import EvaluationReport
from ..model.train import FAMILY, TrainedModel

ANSWERS = ".copier-answers.yml"
REPORTS = "reports"  # the artifact folder of a run's reports
PLAIN = (str, int, float, bool, type(None))
Main = Literal["expected_cost_per_decision", "roc_auc", "precision", "recall"]
PerGroup = Literal["expected_cost_per_decision", "false_positive_rate", "false_negative_rate"]
MAIN: tuple[Main, ...] = ("expected_cost_per_decision", "roc_auc", "precision", "recall")
PER_GROUP: tuple[PerGroup, ...] = (
    "expected_cost_per_decision",
    "false_positive_rate",
    "false_negative_rate",
)


def template_version(root: Path) -> str:
    """The template commit the project was made from or last updated to ("unknown": none)."""
    path = root / ANSWERS
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    found = re.search(r"^_commit:\s*['\"]?([^'\"\s]+)", text, re.MULTILINE)
    return found.group(1) if found else "unknown"


def params(settings: Settings, model: TrainedModel) -> dict[str, str]:
    meta, hyper = model.metadata, model.pipeline[-1].get_params(deep=False)
    return {
        "family": meta.get("family", FAMILY),
        **{f"model.{k}": str(v) for k, v in sorted(hyper.items()) if isinstance(v, PLAIN)},
        "seed": str(settings.seed),
        "data_sha256": meta["data_sha256"],
        "contract_sha256": meta.get("contract") or "unknown",
        "template_version": template_version(settings.root),
    }


def metrics(evaluation: EvaluationReport) -> dict[str, float]:
    model, baseline, business = evaluation["model"], evaluation["baseline"], evaluation["business"]
    found: dict[str, float] = {key: float(model[key]) for key in MAIN}
    found |= {
        "baseline_cost_per_decision": float(baseline["expected_cost_per_decision"]),
        "saving_per_decision": float(business["saving_per_decision"]),
        "relative_saving": float(business["relative_saving"]),
        "threshold": float(evaluation["threshold"]),
    }
    for column, groups in evaluation.get("groups", {}).items():
        for value, group in groups.items():
            prefix = f"group.{_key(column)}.{_key(value)}"
            found |= {f"{prefix}.{key}": float(group["model"][key]) for key in PER_GROUP}
            found[f"{prefix}.baseline_cost_per_decision"] = float(
                group["baseline"]["expected_cost_per_decision"]
            )
    return found


def _key(text: str) -> str:
    """A name MLflow accepts in a key (letters, digits, _ - . space /)."""
    return re.sub(r"[^\w\-. /]", "_", str(text))


def log(
    settings: Settings,
    model: TrainedModel,
    evaluation: EvaluationReport,
    name: str,
    experiment: str = "",
    run_id: str | None = None,
    tags: dict[str, str] | None = None,
    chart: bool | Path = True,
) -> str:
    """Log one run (a new one in ``experiment``, default the registered model's, or the
    existing ``run_id``): parameters, metrics and reports, with the cost chart (drawn, or the
    file ``chart`` names; none if False). Its run id."""
    from mlflow.entities import Metric, Param, RunTag

    from . import registry_client

    connected = registry_client.connect(settings)
    client = connected.client
    with registry_client.errors(connected.uri), tempfile.TemporaryDirectory() as folder:
        if run_id is None:
            where = registry_client.experiment_id(connected, settings, experiment)
            run_id = client.create_run(where, run_name=name).info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric(k, v, 0, 0) for k, v in metrics(evaluation).items()],
            params=[Param(k, v) for k, v in params(settings, model).items()],
            tags=[RunTag(k, v) for k, v in {"mlflow.runName": name, **(tags or {})}.items()],
        )
        written = Path(folder)
        reports.write_json(evaluation, written, reports.EVALUATION)
        reports.write_json(evaluation["explanation"], written, explain.REPORT)
        reports.write_markdown(explain.markdown(evaluation["explanation"]), written, explain.REPORT)
        if isinstance(chart, Path):
            shutil.copyfile(chart, written / reports.COST_CHART)
        elif chart:
            reports.cost_chart(evaluation, written)
        client.log_artifacts(run_id, folder, REPORTS)
        client.set_terminated(run_id)
    return run_id


def log_trained(settings: Settings, split: Split, model: TrainedModel) -> str:
    """``train``'s run: the model evaluated on the held-out rows, without the cost chart
    (``evaluate`` draws it; matplotlib would cost ``train`` another second)."""
    return log(settings, model, evaluate(model, split, settings), "train", chart=False)


def log_evaluated(settings: Settings, model: TrainedModel) -> str:
    """``pipeline``'s training run, logged once ``evaluate`` wrote its report and cost chart:
    the model is evaluated once, and the run has the chart."""
    folder = settings.data_reports_dir
    evaluation = json.loads((folder / f"{reports.EVALUATION}.json").read_text(encoding="utf-8"))
    return log(settings, model, evaluation, "train", chart=folder / reports.COST_CHART)
