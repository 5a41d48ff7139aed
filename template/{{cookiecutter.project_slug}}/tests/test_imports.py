"""Each verb imports only what it needs, checked in a fresh process as a person or CI runs it.

`python -X importtime -m {{ cookiecutter.package_name }} VERB` shows what each import costs;
pandas and pandera take about two seconds, scikit-learn and MLflow several more.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gate_project import copy_project

from {{ cookiecutter.package_name }} import cli, config
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
PYPROJECT = ["pyproject.toml"]  # the settings; the data are synthetic rows (copy_project)


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


@pytest.fixture(scope="module")
def imports_by_verb(tmp_path_factory, empty_registry) -> tuple[config.Settings, dict]:
    """Every verb of ALLOWED run once, in that order, in one copy of the project, as a project
    runs them: each finds what the verbs before it wrote (a model for `evaluate`, outcomes
    for `performance`). The value for a verb is its imports, or the error of its run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(config.DATA_ENV_VAR, raising=False)
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)  # tracking stays in the copy
        project = copy_project(tmp_path_factory.mktemp("verbs") / "project", files=PYPROJECT)
        shutil.copy(empty_registry, project / empty_registry.name)  # the tables made once
        patch.chdir(project)
        settings = config.load(project)
        found: dict[str, set[str] | AssertionError] = {}
        for argv, _ in ALLOWED:
            if argv[0] == "simulate-outcomes":  # it reads the predictions that were logged
                logged(settings)
            try:
                found[" ".join(argv)] = third_party(project, PACKAGE, *argv)
            except AssertionError as error:
                found[" ".join(argv)] = error
    return settings, found


@pytest.mark.parametrize(("argv", "allowed"), ALLOWED, ids=[" ".join(a) for a, _ in ALLOWED])
def test_a_verb_imports_only_what_it_needs(imports_by_verb, argv, allowed):
    settings, found = imports_by_verb
    imported = found[" ".join(argv)]
    if isinstance(imported, AssertionError):
        raise imported
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
