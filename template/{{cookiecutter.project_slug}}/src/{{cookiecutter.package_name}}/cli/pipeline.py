"""The pipeline verbs of the command line (see cli/__init__.py for exit codes).

``validate``, ``train`` and ``evaluate`` run on the engine named by ``--engine`` (``local`` by
default); ``pipeline`` runs the three in one process; ``gate`` checks the gates of gates.toml.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .. import engines
from ..config import Settings
from .declare import Verb, arg

EXIT_FAILED, EXIT_WORSE_THAN_BASELINE = 1, 3


def validate(settings: Settings, args: argparse.Namespace) -> int:
    from ..data import causes
    from ..model import reports
    from ..progress import step

    with step(f"Validating {settings.data_path.name}"):
        result = engines.get(args.engine).validation(settings)
    reports.write_json(result, settings.data_reports_dir, reports.VALIDATION)
    path = reports.write_markdown(
        reports.validation_markdown(result), settings.data_reports_dir, reports.VALIDATION
    )
    status = "passed" if result["passed"] else f"FAILED ({causes.summary(result)})"
    print(f"Data validation {status}: {result['rows']} rows; report {_shown(path, settings)}")
    return 0 if result["passed"] else EXIT_FAILED


def train(settings: Settings, args: argparse.Namespace) -> int:
    from ..model import train as training
    from ..progress import step

    with step("Validating data and training the model"):
        split, model = engines.get(args.engine).fit_data(settings)
        path = training.save(model, settings.models_dir)
    print(f"Model saved to {_shown(path, settings)}; threshold {model.metadata['threshold']:.3f}")
    if args.track:
        from ..lifecycle import tracking

        _tracked(lambda: tracking.log_trained(settings, split, model))
    return 0


def _tracked(log: Callable[[], str]) -> None:
    """Log a training run to MLflow tracking (``log`` returns its run id) and say where."""
    from ..progress import step

    with step("Logging the run to MLflow tracking"):
        run = log()
    print(f"Tracked as MLflow run {run} (`nox -s mlflow-ui` shows it)")


def evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from ..model import candidates, explain, reports
    from ..model import train as training
    from ..model.evaluate import evaluate as run_evaluation
    from ..progress import step

    with step("Evaluating on held-out data"):
        model = training.load(settings.models_dir, trusted_types=candidates.trusted_types)
        used = engines.get(args.engine)
        training.check_trained_beside(model, settings.data_path, used.SPLIT)
        result = run_evaluation(model, used.held_out(settings), settings)
    with step("Writing the evaluation report"):
        reports.write_json(result, settings.data_reports_dir, reports.EVALUATION)
        reports.cost_chart(result, settings.data_reports_dir)
        reports.write_json(result["explanation"], settings.data_reports_dir, explain.REPORT)
        reports.write_markdown(
            explain.markdown(result["explanation"]), settings.data_reports_dir, explain.REPORT
        )
        path = reports.write_markdown(
            reports.evaluation_markdown(result), settings.data_reports_dir, reports.EVALUATION
        )
    biz, cur = result["business"], result["currency"]
    print(
        f"Expected cost per decision: model {result['model']['expected_cost_per_decision']:.2f} "
        f"{cur}, baseline {result['baseline']['expected_cost_per_decision']:.2f} {cur}; "
        f"report {_shown(path, settings)}"
    )
    if args.fail_if_worse and not biz["beats_baseline"]:
        print("The model does not beat the baseline.", file=sys.stderr)
        return EXIT_WORSE_THAN_BASELINE
    return 0


def pipeline(settings: Settings, args: argparse.Namespace) -> int:
    """validate → train → evaluate in one process (imports are paid once). The training run
    is tracked last, with evaluate's report and cost chart: the model is evaluated once."""
    untracked = argparse.Namespace(**{**vars(args), "track": False})
    for verb in (validate, train):
        if code := verb(settings, untracked):
            return code
    code = evaluate(settings, untracked)
    if args.track:  # also when the model does not beat the baseline: it was trained
        from ..lifecycle import tracking
        from ..model import candidates
        from ..model import train as training

        model = training.load(settings.models_dir, trusted_types=candidates.trusted_types)
        _tracked(lambda: tracking.log_evaluated(settings, model))
    return code


def gate(settings: Settings, args: argparse.Namespace) -> int:
    """Check the phase gates (gates.toml) up to the claimed phase, or up to --phase."""
    from ..gates import judge as gates
    from ..gates.output import show
    from ..model import reports

    result = gates.run(settings, args.phase)
    show(result, args.format)
    reports.write_json(result.as_dict(), settings.reports_dir, "gate")  # for CI and fleet reports
    return 0 if result.passed else EXIT_FAILED


NO_TRACK = arg("--no-track", dest="track", action="store_false", help="do not log to MLflow")
FAIL_IF_WORSE = arg(
    "--fail-if-worse",
    action="store_true",
    help=f"exit {EXIT_WORSE_THAN_BASELINE} when the model does not beat the baseline",
)
VERBS = (
    Verb(
        "validate",
        validate,
        "validate the data file against the schema (data/contract.toml)",
        engine=True,
    ),
    Verb(
        "train",
        train,
        "train the model on validated data and save it with skops",
        (NO_TRACK,),
        engine=True,
    ),
    Verb(
        "evaluate",
        evaluate,
        "evaluate model and baseline on held-out data, write reports",
        (FAIL_IF_WORSE,),
        engine=True,
    ),
    Verb(
        "pipeline",
        pipeline,
        "validate, train and evaluate in one go",
        (NO_TRACK, FAIL_IF_WORSE),
        engine=True,
    ),
    Verb(
        "gate",
        gate,
        "check the phase gates of gates.toml up to the claimed phase",
        (
            arg(
                "--phase",
                type=int,
                choices=range(1, 6),
                help="check readiness for this phase (gates 1..N) instead of the claimed one",
            ),
            arg(
                "--format",
                choices=("table", "markdown", "json"),
                default="table",
                help="markdown is also appended to $GITHUB_STEP_SUMMARY when that is set",
            ),
        ),
    ),
)


def _shown(path: Path, settings: Settings) -> str:
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)
