"""compute=spark: the project gains a Spark engine without changing what a local project gets,
and its own `nox -s spark` runs the Spark tests (PySpark in local mode, needs Java)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib

import pytest
from conftest import PROJECT_ENVIRONMENT, git_init, render, run, run_commit_hooks

SPARK_WORDS = re.compile(r"spark", re.IGNORECASE)


def test_spark_settings_and_sessions(tmp_path):
    project = render(tmp_path / "spark", tasks=False, compute="spark")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["phasegate"]["spark"] == {
        "master": "local[*]",
        "training": "mllib",
        "sample_rows": 1_000_000,
    }
    assert any(d.startswith("pyspark") for d in pyproject["dependency-groups"]["spark"])
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("spark:") for marker in markers)
    noxfile = (project / "noxfile.py").read_text()
    assert '"spark", *session.posargs, extra=["spark"])' in noxfile
    assert 'and not spark"' in noxfile  # the default tests session needs no PySpark


def test_a_local_project_has_no_spark(default_project):
    found = [
        path.relative_to(default_project).as_posix()
        for path in default_project.rglob("*")
        if path.is_file()
        and path.name != ".copier-answers.yml"  # it names the template's folder
        and path.suffix in {".py", ".toml", ".yml", ".md"}
        and SPARK_WORDS.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.e2e
@pytest.mark.skipif(not shutil.which("java"), reason="PySpark needs Java (.ci/run installs it)")
def test_spark_project_runs_its_spark_tests(tmp_path):
    """Every optional module at once. The Spark session runs the Spark tests, and the HTTP
    service's tests run in the integration session (the Spark session collects the service's
    module too, so it installs the service's group). The other integration tests are the
    default render's (tests/test_generated_project.py): here they are only counted.

    The commit hooks include `nox -s typecheck`: this is also the strict type check of the
    Spark + HTTP render (a second Spark render would lock and install PySpark again)."""
    project = render(
        tmp_path / "project", project_name="Spark check", compute="spark", serving="http"
    )
    git_init(project)
    run_commit_hooks(project)
    nox = [sys.executable, "-m", "nox"]
    ran = run([*nox, "-s", "lint", "tests", "spark"], project)
    served = run([*nox, "-s", "integration", "--", "tests/test_serve.py"], project)
    listed = run([*nox, "-R", "-s", "integration", "--", "--collect-only", "-q"], project)
    output = ran.stdout + ran.stderr
    counts = re.findall(r"(\d+) passed, (?:(\d+) skipped, )?(\d+) deselected", output)
    assert len(counts) == 2, output[-3000:]
    (fast, fast_skipped, fast_left), (spark, spark_skipped, spark_left) = counts
    assert fast_skipped == spark_skipped == "", output[-3000:]  # none skipped
    serve = re.search(r"(\d+) passed(, \d+ skipped)?", served.stdout + served.stderr)
    assert serve and not serve[2], served.stdout[-3000:]
    assert int(serve[1]) >= 10  # the HTTP service's tests, in the integration session
    assert int(spark) >= 10  # the Spark tests, in their own session
    integration = re.search(r"(\d+)/\d+ tests collected", listed.stdout)
    assert integration, listed.stdout[-3000:]
    slow = int(integration[1])
    assert int(spark_left) == int(fast) + slow  # every test runs in one of the sessions
    # The fast loop does not even collect the modules of integration tests only.
    assert int(fast_left) < slow + int(spark)
    assert not list((project / PROJECT_ENVIRONMENT).glob("lib/python*/site-packages/pyspark"))
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    )
    assert status.stdout == "", f"nox or pre-commit changed tracked files:\n{status.stdout}"
