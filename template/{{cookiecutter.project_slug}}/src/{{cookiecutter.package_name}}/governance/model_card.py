"""The model card of the current champion: what it is for, how well it does, what drives it.

Every number comes from the champion's evaluation report, stored with the version in the
registry at registration (``model/evaluation.json``) and read only after the version's manifest
verified it (``registry.load``). A version registered without a manifest or an evaluation
report falls back to ``reports/evaluation.json`` when that report is for the champion's data
file and decision threshold. What drives the score is the report's explanation
(model/explain.py); for a version registered before explanations, the coefficients of the
champion model itself, loaded only after every file's sha256 and the model's types were checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..lifecycle.integrity import SHA256_TAG
from ..lifecycle.registry import ARTIFACTS, EVALUATION_FILE, load
from ..lifecycle.registry_client import CHAMPION, connect
from ..model import explain, reports
from ..model.report_types import EvaluationReport
from ..model.train import FAMILY, TrainedModel
from . import realized
from .documents import bullets

TOP_FEATURES = 5
PROBLEM = "phases/1-define/problem-statement.md"


class CardError(ValueError):
    """The champion's evaluation report cannot be found."""


@dataclass(frozen=True)
class Champion:
    number: str
    evaluation: EvaluationReport
    source: str  # where the evaluation report came from
    model: TrainedModel
    tags: dict


def champion(settings: Settings) -> Champion:
    """The champion (every file checked against its manifest) and its evaluation report."""
    loaded = load(connect(settings), CHAMPION)
    version = loaded.version
    evaluation = loaded.evaluation
    source = (
        f"the evaluation report stored with version {loaded.number} in the model registry "
        f"(`{ARTIFACTS}/{EVALUATION_FILE}`)"
    )
    if evaluation is None:
        evaluation, source = _fallback(settings, loaded.model), "`reports/evaluation.json`"
    return Champion(loaded.number, evaluation, source, loaded.model, dict(version.tags))


def _fallback(settings: Settings, model: TrainedModel) -> EvaluationReport:
    path = settings.reports_dir / f"{reports.EVALUATION}.json"
    found: EvaluationReport | None = (
        json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    )
    meta = model.metadata
    made_for = (meta["data_sha256"], meta["threshold"])
    if not found or (found.get("data_sha256"), found.get("threshold")) != made_for:
        raise CardError(
            "the champion has no evaluation report in the registry and reports/evaluation.json "
            "is not for its data file and threshold: register it again with `nox -s retrain`"
        )
    return found


def drivers(found: Champion, action: str) -> list[str]:
    """The "What drives the score" section: the explanation stored in the champion's
    evaluation report (model/explain.py), or, for a version registered before explanations
    were, its coefficients when it has them."""
    stored = found.evaluation.get("explanation")
    if not stored or stored["family"] != found.model.metadata.get("family", FAMILY):
        stored = explain.by_coefficients(found.model)  # not this model's explanation
    if stored is None:
        return ["## What drives the score", "", "No explanation is stored with this version: "
                "register it again with `nox -s retrain`."]  # fmt: skip
    return [
        "## What drives the score",
        "",
        f"Measured by {explain.how(stored)}, largest effect first:",
        "",
        *[f"- {explain.sentence(d, action)}" for d in stored["drivers"][:TOP_FEATURES]],
    ]


def card(settings: Settings, found: Champion) -> list[str]:
    """The generated part of governance/model-card.md."""
    ev, biz = found.evaluation, found.evaluation["business"]
    meta = found.model.metadata
    verdict = "beats" if biz["beats_baseline"] else "does NOT beat"
    out_of_scope = bullets(settings, PROBLEM, "Out of scope")
    process = bullets(settings, PROBLEM, "How the model enters today's process")
    action = "acting (the decision above)"
    return [
        f"Champion: `{settings.registry.model_name}` version {found.number}. Numbers below come "
        f"from {found.source}, the explanation too (or the registered model's coefficients).",
        "",
        "## Model",
        "",
        f"- Version: {found.number}, model file sha256 `{found.tags.get(SHA256_TAG)}`",
        f"- Trained: {ev['model_trained_at']}; evaluated: {ev['evaluated_at']}",
        f"- Training data: `{Path(meta['data_path']).name}`, sha256 `{ev['data_sha256']}`; "
        f"rows: {meta['rows']['train']} training, {meta['rows']['validation']} validation, "
        f"{ev['held_out_rows']} held out",
        f"- Method: {' → '.join(type(step).__name__ for step in found.model.pipeline)} "
        f"(scikit-learn {meta['scikit_learn']})",
        "",
        "## Intended use",
        "",
        f"- Decision it supports: {biz['decision']}",
        f"- KPI: {biz['kpi_name']} ({biz['kpi_unit']}), today {biz['kpi_baseline']:g}, "
        f"target {biz['kpi_target']:g}",
        *process,
        "",
        "## Out of scope and limits",
        "",
        *out_of_scope,
        f"- Measured on {ev['held_out_rows']} held-out rows of the data file above (positive "
        f"rate {ev['positive_rate']:.1%}); on other populations or later periods its "
        "performance is unknown until monitoring and new evaluations show it.",
        f"- It acts when the score is at least {ev['threshold']:.3f}; the threshold depends on "
        "the costs of errors in pyproject.toml and changes only by retraining.",
        "",
        f"## Performance: the model {verdict} today's process",
        "",
        *reports.metrics_table(ev),
        "",
        "## Business metric",
        "",
        *reports.business_lines(ev),
        "",
        *realized.lines(settings, found.number, ev),
        "",
        *drivers(found, action),
        *reports.groups_markdown(ev),
    ]
