"""The command line: ``<package> VERB`` (``--help`` lists the verbs).

Pipeline (this module): validate, train, evaluate, pipeline, gate. Data (cli/adopt.py): adopt.
Experiments (cli/experiment.py): experiment.
Model lifecycle (cli/lifecycle.py): retrain, promote, rollback, smoke, predict, monitor,
simulate-drift. Governance (cli/governance.py): governance. Alerts (cli/alerts.py): alerts.
Operate (cli/operate.py): outcomes, simulate-outcomes; (cli/performance.py): performance.
Heavy libraries are imported inside the verbs so that ``--help`` stays fast.

Exit codes:
  0  success (monitor: no drift, or only warnings)
  1  a step failed (invalid data, no model, a refused promotion or rollback, a tampered
     or untrusted model) or a required gate criterion fails; nothing was changed
     (governance: a record could not be written; --check: a record is out of date)
  2  usage or configuration error
  3  the model does not beat the baseline (evaluate --fail-if-worse)
  4  monitor, alerts: a threshold asks for retraining or a rollback, or blocks promotion
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__, engines
from ..config import ConfigError, Settings, load
from . import adopt, alerts, experiment, governance, lifecycle, operate, performance

EXIT_FAILED, EXIT_USAGE, EXIT_WORSE_THAN_BASELINE = 1, 2, 3
EXIT_ACTION_NEEDED = lifecycle.EXIT_ACTION_NEEDED
ENGINE_VERBS = {"validate", "train", "evaluate", "pipeline", "retrain", "predict"}


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

        with step("Logging the run to MLflow tracking"):
            run = tracking.log_trained(settings, split, model)
        print(f"Tracked as MLflow run {run} (`nox -s mlflow-ui` shows it)")
    return 0


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
        from ..progress import step

        with step("Logging the run to MLflow tracking"):
            model = training.load(settings.models_dir, trusted_types=candidates.trusted_types)
            run = tracking.log_evaluated(settings, model)
        print(f"Tracked as MLflow run {run} (`nox -s mlflow-ui` shows it)")
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


VERBS = {
    "validate": (validate, "validate the data file against the schema (data/contract.toml)"),
    "train": (train, "train the model on validated data and save it with skops"),
    "evaluate": (evaluate, "evaluate model and baseline on held-out data, write reports"),
    "pipeline": (pipeline, "validate, train and evaluate in one go"),
    "gate": (gate, "check the phase gates of gates.toml up to the claimed phase"),
    **adopt.VERBS,
    **experiment.VERBS,
    **lifecycle.VERBS,
    **governance.VERBS,
    **operate.VERBS,
    **performance.VERBS,
    **alerts.VERBS,
}


# Old verb names that still work, with a note, until the release named.
ALIASES = {"report": ("governance", "0.5.0")}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog=__name__.partition(".")[0],
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=__version__)
    verbs = root.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, (_, help_text) in VERBS.items():
        old_names = [alias for alias, (new, _) in ALIASES.items() if new == name]
        verb = verbs.add_parser(name, aliases=old_names, help=help_text, description=help_text)
        verb.add_argument(
            "--data", type=Path, help="data file to use instead of [tool.phasegate.data] path"
        )
        verb.set_defaults(engine="local")
        if name in ENGINE_VERBS and len(engines.available()) > 1:
            verb.add_argument(
                "--engine",
                choices=engines.available(),
                default="local",
                help="where to run: an engine of src/…/engines/ (README: engines)",
            )
        if name in {"train", "pipeline"}:
            verb.add_argument(
                "--no-track", dest="track", action="store_false", help="do not log to MLflow"
            )
        if name in {"evaluate", "pipeline"}:
            verb.add_argument(
                "--fail-if-worse",
                action="store_true",
                help=f"exit {EXIT_WORSE_THAN_BASELINE} when the model does not beat the baseline",
            )
        adopt.add_arguments(name, verb)
        experiment.add_arguments(name, verb)
        lifecycle.add_arguments(name, verb)
        governance.add_arguments(name, verb)
        operate.add_arguments(name, verb)
        performance.add_arguments(name, verb)
        alerts.add_arguments(name, verb)
        if name == "gate":
            verb.add_argument(
                "--phase",
                type=int,
                choices=range(1, 6),
                help="check readiness for this phase (gates 1..N) instead of the claimed one",
            )
            verb.add_argument(
                "--format",
                choices=("table", "markdown", "json"),
                default="table",
                help="markdown is also appended to $GITHUB_STEP_SUMMARY when that is set",
            )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.verb in ALIASES:
        args.verb, until = ALIASES[args.verb]
        print(f"Note: this verb is now called `{args.verb}`; the old name works until {until}.",
              file=sys.stderr)  # fmt: skip
    try:
        settings = load(data=args.data)
        return VERBS[args.verb][0](settings, args)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, KeyError, OSError) as error:  # DataError and ModelError are ValueErrors
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_FAILED


def _shown(path: Path, settings: Settings) -> str:
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)
