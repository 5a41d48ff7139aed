"""Each verb imports only what it needs, checked in a fresh process as a person or CI runs it.

`python -X importtime -m {{ cookiecutter.package_name }} VERB` shows what each import costs;
pandas and pandera take about two seconds, scikit-learn and MLflow several more.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.data import tables
from {{ cookiecutter.package_name }}.operate import prediction_log

pytestmark = pytest.mark.integration

# The libraries that cost an import of their own (each pulls in more of its kind).
HEAVY = {"pandas", "pandera", "sklearn", "skops", "scipy", "mlflow", "matplotlib"}
{%- if cookiecutter.compute == "spark" %}
# And a started Spark session (a JVM). Importing pyspark is not counted: pandera imports
# pyspark.pandas whenever PySpark is installed, whatever the verb.
SPARK = "a-spark-session"
HEAVY.add(SPARK)
{%- endif %}
DATA = {"pandas", "pandera"}
MODEL = DATA | {"sklearn", "skops", "scipy"}
# In the order a project runs them: the verb, and the heavy libraries it may import
# (None: the standard library only).
ALLOWED = [
    (["gate", "--format", "json"], None),
    (["gate"], set()),  # the table for people is drawn by rich, a light library
    (["validate"], DATA),
    (["train", "--no-track"], MODEL),
    (["train"], MODEL | {"mlflow"}),  # tracked (the default): the run is logged to MLflow
    (["evaluate"], MODEL | {"matplotlib"}),  # it writes the cost chart
    (["simulate-outcomes"], DATA),  # from a prediction log written by the test
    (["outcomes", "data/simulated-outcomes.csv"], DATA),
    (["performance"], DATA | {"matplotlib"}),  # it writes the chart
    (["alerts"], None),  # CI's scheduled job: thresholds on JSON reports, the standard library
]
PROBE = """
import runpy, sys
target, *args, package = sys.argv[1:]
sys.argv = [target, *args]
try:
    run = runpy.run_path if target.endswith(".py") else runpy.run_module
    run(target, run_name="__main__")
except SystemExit:
    pass
loaded = set(name.partition(".")[0] for name in sys.modules)
{%- if cookiecutter.compute == "spark" %}
spark = sys.modules.get("pyspark")
if spark is not None and spark.SparkContext._active_spark_context is not None:
    loaded.add(SPARK)
{%- endif %}
print("IMPORTED", *sorted(loaded - set(sys.stdlib_module_names) - {package}))
"""{% if cookiecutter.compute == "spark" %}.replace("SPARK", repr(SPARK)){% endif %}
PACKAGE = cli.__name__.partition(".")[0]


def third_party(cwd: Path, target: str, *argv: str) -> set[str]:
    """The top-level third-party modules loaded by ``python -m target *argv`` (or a script)."""
    run = subprocess.run(  # noqa: S603 - this interpreter, this test's code
        [sys.executable, "-c", PROBE, target, *argv, PACKAGE],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("IMPORTED")]
    assert lines, run.stdout + run.stderr
    return set(lines[-1].split()[1:]) - {"__main__"}


@pytest.mark.parametrize(("argv", "allowed"), ALLOWED, ids=[" ".join(a) for a, _ in ALLOWED])
def test_a_verb_imports_only_what_it_needs(settings, argv, allowed):
    if argv[0] == "evaluate":  # it needs a model
        third_party(settings.root, PACKAGE, "train", "--no-track")
    if argv[0] in {"simulate-outcomes", "outcomes", "performance"}:  # they need logged predictions
        logged(settings)
        if argv[0] != "simulate-outcomes":
            third_party(settings.root, PACKAGE, "simulate-outcomes")
        if argv[0] == "performance":  # and outcomes
            third_party(settings.root, PACKAGE, "outcomes", "data/simulated-outcomes.csv")
    imported = third_party(settings.root, PACKAGE, *argv)
    if argv[0] == "performance":
        assert (settings.reports_dir / "performance.png").is_file()  # the whole verb ran
    extra = imported if allowed is None else (imported & HEAVY) - allowed
    assert not extra, f"`{' '.join(argv)}` imports {sorted(extra)}"


def logged(settings) -> None:
    """A few predictions in the project's log, as `predict` writes them."""
    frame = tables.read(settings.data_path).head(20)
    scored = frame.assign(score=0.5, model_version="1")
    log = prediction_log.entries(scored, settings, threshold=0.5)
    prediction_log.append(log, settings.operate.prediction_log)


@pytest.mark.parametrize("name", ["template_check.py", "open_alert_issues.py"])
def test_the_tools_need_the_standard_library_only(settings, name):
    script = Path(__file__).resolve().parent.parent / "tools" / name
    own = {path.stem for path in script.parent.glob("*.py")}  # tools/ modules beside it
    assert third_party(settings.root, str(script)) - own == set()
