"""Command line: ``{{ cookiecutter.package_name }} VERB`` (``--help`` lists the verbs).

Data (cli_adopt.py): adopt. Pipeline: validate, train, evaluate, pipeline, gate.
Model lifecycle (cli_lifecycle.py): retrain, promote, rollback, smoke, predict, monitor,
simulate-drift. Governance (cli_governance.py): report.
Heavy libraries are imported inside the verbs so that ``--help`` stays fast.

Exit codes:
  0  success (monitor: no drift, or only warnings)
  1  a step failed (invalid data, no model, a refused promotion or rollback, a tampered
     or untrusted model) or a required gate criterion fails; nothing was changed
     (report: a record could not be written; report --check: a record is out of date)
  2  usage or configuration error
  3  the model does not beat the baseline (evaluate --fail-if-worse)
  4  monitor: a threshold asks for retraining or blocks promotion
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, cli_adopt, cli_governance, cli_lifecycle
from .config import ConfigError, Settings, load

EXIT_FAILED, EXIT_USAGE, EXIT_WORSE_THAN_BASELINE = 1, 2, 3
EXIT_ACTION_NEEDED = cli_lifecycle.EXIT_ACTION_NEEDED
{%- if cookiecutter.compute == "spark" %}
ENGINE_VERBS = {"validate", "train", "evaluate", "pipeline", "retrain", "predict"}
{%- endif %}


def validate(settings: Settings, args: argparse.Namespace) -> int:
    from . import causes, engine, report
    from .progress import step

    with step(f"Validating {settings.data_path.name}"):
        result = engine.get(args.engine).validation(settings)
    report.write_json(result, settings.reports_dir, report.VALIDATION)
    path = report.write_markdown(
        report.validation_markdown(result), settings.reports_dir, report.VALIDATION
    )
    status = "passed" if result["passed"] else f"FAILED ({causes.summary(result)})"
    print(f"Data validation {status}: {result['rows']} rows; report {_shown(path, settings)}")
    return 0 if result["passed"] else EXIT_FAILED


def train(settings: Settings, args: argparse.Namespace) -> int:
    from . import engine
    from . import train as training
    from .progress import step

    with step("Validating data and training the model"):
        _, model = engine.get(args.engine).fit_data(settings)
        path = training.save(model, settings.models_dir)
    print(f"Model saved to {_shown(path, settings)}; threshold {model.metadata['threshold']:.3f}")
    return 0


def evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from . import data, engine, report
    from . import train as training
    from .evaluate import evaluate as run_evaluation
    from .progress import step

    with step("Evaluating on held-out data"):
        model, used = training.load(settings.models_dir), engine.get(args.engine)
        if model.metadata["data_sha256"] != data.sha256(settings.data_path):
            raise data.DataError("the data changed since the model was trained: train again")
        if model.metadata.get("split", engine.SPLIT) != used.SPLIT:  # else it saw test rows
            raise data.DataError(f"the model was trained on the {model.metadata['split']} split")
        result = run_evaluation(model, used.held_out(settings), settings)
    with step("Writing the evaluation report"):
        report.write_json(result, settings.reports_dir, report.EVALUATION)
        report.cost_chart(result, settings.reports_dir)
        path = report.write_markdown(
            report.evaluation_markdown(result), settings.reports_dir, report.EVALUATION
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
    """validate → train → evaluate in one process (imports are paid once)."""
    for verb in (validate, train, evaluate):
        if code := verb(settings, args):
            return code
    return 0


def gate(settings: Settings, args: argparse.Namespace) -> int:
    """Check the phase gates (gates.toml) up to the claimed phase, or up to --phase."""
    from . import gate as gates
    from . import report
    from .gate_output import show

    result = gates.run(settings, args.phase)
    show(result, args.format)
    report.write_json(result.as_dict(), settings.reports_dir, "gate")  # for CI and fleet reports
    return 0 if result.passed else EXIT_FAILED


VERBS = {
    "validate": (validate, "validate the data file against the schema (src/…/schema.py)"),
    "train": (train, "train the model on validated data and save it with skops"),
    "evaluate": (evaluate, "evaluate model and baseline on held-out data, write reports"),
    "pipeline": (pipeline, "validate, train and evaluate in one go"),
    "gate": (gate, "check the phase gates of gates.toml up to the claimed phase"),
    **cli_adopt.VERBS,
    **cli_lifecycle.VERBS,
    **cli_governance.VERBS,
}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="{{ cookiecutter.package_name }}",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=__version__)
    verbs = root.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, (_, help_text) in VERBS.items():
        verb = verbs.add_parser(name, help=help_text, description=help_text)
        verb.add_argument(
            "--data", type=Path, help="data file to use instead of [tool.phasegate.data] path"
        )
        verb.set_defaults(engine="local")
{%- if cookiecutter.compute == "spark" %}
        if name in ENGINE_VERBS:
            verb.add_argument(
                "--engine",
                choices=("local", "spark"),
                default="local",
                help="spark: run on Spark ([tool.phasegate.spark] in pyproject.toml)",
            )
{%- endif %}
        if name in {"evaluate", "pipeline"}:
            verb.add_argument(
                "--fail-if-worse",
                action="store_true",
                help=f"exit {EXIT_WORSE_THAN_BASELINE} when the model does not beat the baseline",
            )
        cli_adopt.add_arguments(name, verb)
        cli_lifecycle.add_arguments(name, verb)
        cli_governance.add_arguments(name, verb)
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
