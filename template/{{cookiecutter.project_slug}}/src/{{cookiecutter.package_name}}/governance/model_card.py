"""The model card of the current champion: what it is for, how well it does, what drives it.

Every number comes from the champion's evaluation report, stored with the version in the
registry at registration (``model/evaluation.json``) and read only after the version's manifest
verified it (``registry.load``). A version registered without a manifest or an evaluation
report falls back to ``reports/evaluation.json`` when that report is for the champion's data
file and decision threshold. The explanation comes from the champion model itself, loaded only
after every file's sha256 and the model's types were checked.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..lifecycle import registry
from ..model import reports
from ..model.train import TrainedModel
from . import realized
from .documents import bullets

TOP_FEATURES = 5
PROBLEM = "phases/1-define/problem-statement.md"


class CardError(ValueError):
    """The champion's evaluation report cannot be found."""


@dataclass(frozen=True)
class Champion:
    number: str
    evaluation: dict
    source: str  # where the evaluation report came from
    model: TrainedModel
    tags: dict


def champion(settings: Settings) -> Champion:
    """The champion (every file checked against its manifest) and its evaluation report."""
    loaded = registry.load(registry.connect(settings), registry.CHAMPION)
    version = loaded.version
    evaluation = loaded.evaluation
    source = (
        f"the evaluation report stored with version {loaded.number} in the model registry "
        f"(`{registry.ARTIFACTS}/{registry.EVALUATION_FILE}`)"
    )
    if evaluation is None:
        evaluation, source = _fallback(settings, loaded.model), "`reports/evaluation.json`"
    return Champion(loaded.number, evaluation, source, loaded.model, dict(version.tags))


def _fallback(settings: Settings, model: TrainedModel) -> dict:
    path = settings.reports_dir / f"{reports.EVALUATION}.json"
    found = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    same = {key: found.get(key) == model.metadata[key] for key in ("data_sha256", "threshold")}
    if not found or not all(same.values()):
        raise CardError(
            "the champion has no evaluation report in the registry and reports/evaluation.json "
            "is not for its data file and threshold: register it again with `nox -s retrain`"
        )
    return found


def explanation(model: TrainedModel) -> list[tuple[str, float, str | None]]:
    """(source column, coefficient, category or None) of the final linear step, one per source
    column (its strongest category for a categorical one), largest effect first."""
    final = model.pipeline[-1]
    if not hasattr(final, "coef_"):
        raise CardError(f"{type(final).__name__} has no coefficients to explain the model with")
    pairs = zip(terms(model), final.coef_[0].tolist(), strict=True)
    strongest: dict[str, tuple[str, float, str | None]] = {}
    for (column, category), coefficient in pairs:
        if column not in strongest or abs(coefficient) > abs(strongest[column][1]):
            strongest[column] = (column, coefficient, category)
    return sorted(strongest.values(), key=lambda term: -abs(term[1]))


def terms(model: TrainedModel) -> list[tuple[str, str | None]]:
    """The model's inputs after preprocessing, as (source column, category or None)."""
    first = model.pipeline[0]
    if not hasattr(first, "transformers_"):  # numbers only: one input per column
        return [(name, None) for name in model.metadata["features"]]
    found: list[tuple[str, str | None]] = []
    for _, transformer, columns in first.transformers_:
        if isinstance(transformer, str) or not len(columns):
            continue  # "drop" or "passthrough" of nothing
        encoder = transformer[-1]
        if hasattr(encoder, "categories_"):
            for column, categories in zip(columns, encoder.categories_, strict=True):
                found += [(column, str(category)) for category in categories]
        else:
            found += [(column, None) for column in columns]
    return found


def plain_words(name: str, coefficient: float, category: str | None, action: str) -> str:
    """One sentence a business user can read."""
    way = "more" if coefficient > 0 else "less"
    factor = math.exp(abs(coefficient))
    change = "multiplies" if coefficient > 0 else "divides"
    if category is not None:
        return (
            f"`{name}` = {category} makes {action} {way} likely: it {change} the odds by "
            f"{factor:.2f} (against the model's average)."
        )
    return (
        f"Higher `{name}` makes {action} {way} likely: one standard deviation more "
        f"{change} the odds by {factor:.2f}."
    )


def card(settings: Settings, found: Champion) -> list[str]:
    """The generated part of governance/model-card.md."""
    ev, biz = found.evaluation, found.evaluation["business"]
    meta = found.model.metadata
    verdict = "beats" if biz["beats_baseline"] else "does NOT beat"
    out_of_scope = bullets(settings, PROBLEM, "Out of scope")
    process = bullets(settings, PROBLEM, "How the model enters today's process")
    action = "acting (the decision above)"
    top = explanation(found.model)[:TOP_FEATURES]
    return [
        f"Champion: `{settings.registry.model_name}` version {found.number}. Numbers below come "
        f"from {found.source}; the explanation from the registered model file.",
        "",
        "## Model",
        "",
        f"- Version: {found.number}, model file sha256 `{found.tags.get(registry.SHA256_TAG)}`",
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
        "## What drives its decisions",
        "",
        "The logistic regression's coefficients on standardised inputs, one line per source "
        "column of the data (its strongest category for a categorical one), largest effect "
        "first:",
        "",
        *[f"- {plain_words(*term, action)}" for term in top],
        *reports.groups_markdown(ev),
    ]
