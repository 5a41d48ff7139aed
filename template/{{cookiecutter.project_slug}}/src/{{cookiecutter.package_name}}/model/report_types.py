"""The shapes of the model's records: its metadata (model.json beside the skops file, also
stored with each registered version), the evaluation report (reports/evaluation.json, and
evaluation.json stored with each registered version) as evaluate.py writes it and the CLI,
tracking, experiments, the model card and promotion read it back; the explanation in it
(explain.py); the experiment's leaderboard (reports/leaderboard.json, experiment.py). Standard
library only: any module may import it.

TypedDicts rather than dataclasses: the report is written with json and read back with json, so
the same dict is both the file and the typed value, and mypy checks every key a reader uses.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Rows(TypedDict):
    train: int
    validation: int


class ModelMetadata(TypedDict):
    """A trained model's facts (train.py; keys that models of earlier releases lack are
    NotRequired, and their readers say what such a model stands for)."""

    trained_at: str
    data_path: str
    data_sha256: str
    family: NotRequired[str]  # absent: train.FAMILY
    params: NotRequired[dict[str, Any]]  # the family's hyperparameters
    features: list[str]  # the model's inputs, in order
    categorical: NotRequired[list[str]]
    contract: NotRequired[str]  # the data contract's fingerprint
    threshold: float  # the decision threshold chosen on the validation rows
    rows: Rows
    scikit_learn: str  # its version
    split: NotRequired[str]  # the engine whose split it was trained beside (absent: local)
    training: NotRequired[str]  # how an engine other than the local one trained it
    model_sha256: NotRequired[str]  # the skops file's, added when saved


class Confusion(TypedDict):
    tn: int
    fp: int
    fn: int
    tp: int


class Decisions(TypedDict):
    """The business metric and the usual classification metrics of a set of decisions."""

    expected_cost_per_decision: float
    accuracy: float
    precision: float
    recall: float
    f1: float
    false_positive_rate: float
    false_negative_rate: float
    confusion: Confusion


class ModelDecisions(Decisions):
    roc_auc: float
    brier: float


class BaselineDecisions(Decisions):
    rule: str  # the baseline rule in words


class Business(TypedDict):
    decision: str
    saving_per_decision: float
    relative_saving: float
    beats_baseline: bool
    kpi_name: str
    kpi_unit: str
    kpi_baseline: float
    kpi_target: float
    kpi_projected: float


class Group(TypedDict):
    """One value of a sensitive attribute on the held-out rows."""

    rows: int
    positive_rate: float
    model: Decisions
    baseline: Decisions


class Driver(TypedDict):
    column: str
    importance: float
    coefficient: float | None  # None: measured by permutation importance
    category: str | None  # the strongest category of a categorical column
    spread: float | None  # permutation importance: the spread over the shuffles


class Explanation(TypedDict):
    """What drives the score (model/explain.py; also reports/explanation.json)."""

    family: str
    method: str  # "coefficients" or "permutation_importance"
    rows: int | None  # held-out rows shuffled (None: coefficients)
    drivers: list[Driver]


class CostCurve(TypedDict):
    thresholds: list[float]
    expected_cost: list[float]


class EvaluationReport(TypedDict):
    evaluated_at: str
    data_sha256: str
    model_trained_at: str
    held_out_rows: int
    positive_rate: float
    threshold: float
    threshold_chosen_on: str
    currency: str
    model: ModelDecisions
    baseline: BaselineDecisions
    business: Business
    groups: dict[str, dict[str, Group]]  # sensitive attribute → its value → figures
    explanation: NotRequired[Explanation]  # absent in versions registered before explanations
    cost_curve: CostCurve


class LeaderboardEntry(TypedDict):
    """A family's best candidate on the held-out rows (experiment.py)."""

    family: str
    complexity: int  # 1 is the simplest
    description: str
    params: dict[str, Any]  # its hyperparameters
    tried: int  # sets of hyperparameters tried
    threshold: float
    validation_cost: float
    expected_cost_per_decision: float
    baseline_cost_per_decision: float
    saving_per_decision: float
    beats_baseline: bool
    roc_auc: float
    precision: float
    recall: float


class Leaderboard(TypedDict):
    data_sha256: str
    contract: str  # the data contract's fingerprint
    seed: int
    held_out_rows: int
    currency: str
    margin: float  # the promotion margin the simplicity rule used
    candidates: list[LeaderboardEntry]
    recommended: str  # a family
    reason: str
