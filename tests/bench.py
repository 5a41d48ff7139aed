"""Speed figures for the closing notes and the README (run with `nox -s bench`).

Medians of several runs, because the machine is shared and noisy. Targets
(2 cores): copier copy <= 1.0 s to render, <= 3.0 s with the task that writes
uv.lock (our own target: resolving with a warm uv cache); copier update between
adjacent versions <= 3.0 s, lock refresh included (#15; `nox -s bench -- update` runs only
those, beside copier-uv's own update of one changed file, copier's floor for a template a
third our size); the render no slower than pawamoy's copier-uv (`nox -s bench -- render`; set
COPIER_UV to a local clone to run offline); default nox <= 20 s warm and <= 90 s from fresh
virtual environments with a filled package cache; 1 M-row validation <= 2 s.

copier renders from a packed copy of this tree, tagged as the newest release, as a team gets
the template from a git server; Python keeps bytecode, as on a user's machine.

The compute=spark figures (`nox -s bench -- spark` runs only those) time validation and batch
scoring of 1 M and 10 M synthetic rows (Parquet) on the local engine (pandas) and on Spark in
local mode with every core, so users see where Spark starts to pay on their machine.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script: tests/ (helpers) and the repository root (extensions) on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import PROJECT_PYTHON, REPO, git_init
from template_releases import USER, copy_at, git, template_copy

from extensions.releases import releases

RUNS = 5
VALIDATE_1M = """
import time, numpy as np, pandas as pd
from {package} import config
from {package}.data import schema, synthetic
settings = config.load()
frame = synthetic.rows(settings, 1_000_000)
contract = schema.build(settings.contract, settings.target, settings.min_rows)
times = []
for _ in range(3):
    start = time.perf_counter()
    contract.validate(frame, lazy=True)
    times.append(time.perf_counter() - start)
print(sorted(times)[1])
"""


MIXED_100K = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
n = 100_000
table = {f"amount_{i}": rng.normal(50, 10, n) for i in range(10)}
table.update({f"segment_{i}": rng.choice([f"s{j}" for j in range(6)], n) for i in range(8)})
table["amount_0"][rng.uniform(size=n) < 0.02] = np.nan
table["customer_id"] = [f"C{i}" for i in range(n)]
table["churned"] = np.where(rng.uniform(size=n) < 0.3, "yes", "no")
pd.DataFrame(table).to_csv("data/bench-100k.csv", index=False)
"""
MIXED_1M = """
from {package} import config
from {package}.data import synthetic
synthetic.rows(config.load(), 1_000_000).to_parquet("data/bench-1m.parquet", index=False)
"""


def data_figures(project: Path) -> list[tuple[str, float, float | None, str]]:
    """`adopt` on 100,000 rows by 20 mixed columns, then `train` and `experiment` on them and
    `validate` on 1,000,000 mixed rows, each end to end (process start and imports included)."""
    python = str(project / PROJECT_PYTHON)
    cli = [python, "-m", "bench"]
    subprocess.run([python, "-c", MIXED_100K], cwd=project, check=True)
    adopt = [*cli, "adopt", "data/bench-100k.csv", "--target", "churned", "--positive", "yes"]
    adopt += ["--id", "customer_id", "--force"]
    adopt_time = median_of(3, lambda: timed(adopt, project))
    train_time = median_of(3, lambda: timed([*cli, "train", "--no-track"], project))
    experiment = [*cli, "experiment", "--no-track"]  # the two default families, searched
    experiment_time = median_of(3, lambda: timed(experiment, project))
    subprocess.run([python, "-c", MIXED_1M.format(package="bench")], cwd=project, check=True)
    validate = [*cli, "validate", "--data", "data/bench-1m.parquet"]
    validate_time = median_of(3, lambda: timed(validate, project))
    return [
        ("`adopt`, 100,000 rows by 20 mixed columns", adopt_time, None, "end to end"),
        ("`validate`, 1,000,000 mixed rows (Parquet)", validate_time, 3.0, "end to end"),
        ("`train --no-track`, 100,000 mixed rows", train_time, None, "one-hot + imputation"),
        ("`experiment`, 100,000 mixed rows", experiment_time, None, "both default families"),
    ]


SPARK_ROWS = (1_000_000, 10_000_000)
SPARK_RUNS = 3
ENGINES_BENCH = """
import json, os, statistics, sys, time
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
from pyspark.sql import SparkSession, functions as F
os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's Python workers: this venv
spark = (SparkSession.builder.master("local[*]").config("spark.driver.memory", "6g")
         .config("spark.ui.showConsoleProgress", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
from {package} import config
from {package}.data import schema
from {package}.engines import local, spark as spark_engine, spark_schema
settings = config.load()
champion = SimpleNamespace(model=local.fit_data(settings)[1], number="1")
local_contract = schema.build(settings.contract, settings.target, settings.min_rows)
spark_contract = schema.build(
    settings.contract, settings.target, settings.min_rows, backend=spark_schema.backend()
)
def median(measure):
    return statistics.median(measure() for _ in range({runs}))
def seconds(work):
    start = time.perf_counter(); work(); return time.perf_counter() - start
figures = {{}}
for rows in {rows}:
    path = Path(f"bench-{{rows}}.parquet")
    ranges = enumerate(settings.contract.columns)
    columns = [(F.rand(i) * (c.max - c.min) + c.min).alias(c.name) for i, c in ranges]
    target = (F.rand(99) < 0.37).cast("long").alias(settings.target)
    spark.range(rows).select(*columns, target).write.mode("overwrite").parquet(str(path))
    out = Path(f"bench-{{rows}}-scored.parquet")
    figures[rows] = {{
        "validate local": median(lambda: seconds(
            lambda: local_contract.validate(pd.read_parquet(path), lazy=True))),
        "validate spark": median(lambda: seconds(
            lambda: spark_contract.validate(spark.read.parquet(str(path)), lazy=True))),
        "score local": median(lambda: seconds(lambda: local.predict_files(
            settings, champion, path, out.with_suffix(".local.parquet"), Path("rejects.parquet")))),
        "score spark": median(lambda: seconds(lambda: spark_engine.predict_files(
            settings, champion, path, out, Path("rejects-spark.parquet")))),
    }}
print(json.dumps(figures))
"""


def engine_figures(work: Path) -> list[tuple[str, float, float | None, str]]:
    """Validation and batch scoring, local engine against Spark in local mode (compute=spark)."""
    project = work / "spark"
    copy = copier("copy", "--vcs-ref", "HEAD", "-d", "project_name=Bench", "-d", "compute=spark")
    subprocess.run([*copy, str(REPO), str(project)], check=True, capture_output=True)
    uv = [sys.executable, "-m", "uv"]
    subprocess.run([*uv, "venv", "-q", ".venv"], cwd=project, check=True)
    python = str(project / ".venv/bin/python")
    install = [*uv, "pip", "install", "-q", "--python", python, "-e", ".", "--group", "spark"]
    subprocess.run(install, cwd=project, check=True)
    script = project / "bench_engines.py"  # a file: PySpark misbehaves under `python -c`
    script.write_text(ENGINES_BENCH.format(package="bench", rows=SPARK_ROWS, runs=SPARK_RUNS))
    out = subprocess.run([python, script.name], cwd=project, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"the engine benchmark failed:\n{out.stderr[-5000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        (f"{task}, {int(rows):,} rows", seconds, None, "Parquet in; 2 cores here")
        for rows, tasks in figures.items()
        for task, seconds in tasks.items()
    ]


# Timed commands run as on a user's machine, where Python keeps the bytecode of what it
# imports (this workplace sets PYTHONDONTWRITEBYTECODE=1); each median follows one run that
# is not counted and fills that cache, as a team's first use of copier or nox does.
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=USER_ENV)
    return time.perf_counter() - start


def median_of(runs: int, measure) -> float:
    measure()  # warms the caches; not counted
    return statistics.median(measure() for _ in range(runs))


def packed_template(work: Path, release: str | None = None) -> Path:
    """This tree as one commit of a packed clone, as copier gets it from a git server (copier
    clones the template for each render; loose objects of a working clone cost seconds);
    ``release``: that commit tagged as the newest release, which `copier copy` takes."""
    shutil.rmtree(work, ignore_errors=True)
    template = template_copy(work)
    git("add", "-A", cwd=template)
    git(*USER, "commit", "--allow-empty", "-qm", "bench: working tree", cwd=template)
    if release:
        git("tag", release, cwd=template)
    git("gc", "-q", "--prune=now", cwd=template)
    return template


def next_release(template: Path, readme: Path) -> tuple[str, str]:
    """Tags HEAD v98.0.0 and a next commit, which adds a line to ``readme``, v99.0.0."""
    git("tag", "v98.0.0", cwd=template)
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    git(*USER, "commit", "-qam", "bench: next release", cwd=template)
    git("tag", "v99.0.0", cwd=template)
    git("gc", "-q", "--prune=now", cwd=template)
    return "v98.0.0", "v99.0.0"


def time_update(work: Path, adjacent: bool = False, released: bool = False) -> float:
    """`copier update` of a project made from the previous release, to this tree; adjacent:
    from this tree (v98.0.0) to a release that changes one file (v99.0.0); released: from the
    release before the last to the last (what a team on the previous release last ran)."""
    template = work / "update" / "template"
    if not template.exists():  # the project is made anew below; the template is kept
        packed_template(template)
    previous, target = list(releases())[-1], "HEAD"
    if released:
        previous, target = list(releases())[-2:]
    if adjacent:
        if "v99.0.0" not in git("tag", cwd=template).split():
            # The generated README (template/hooks and template/extensions are links).
            next_release(template, template / "template" / README)
        previous, target = "v98.0.0", "v99.0.0"
    shutil.rmtree(work / "update" / "project", ignore_errors=True)
    project = copy_at(template, previous, work / "update" / "project")
    return timed(copier("update", "--vcs-ref", target), project)


README = "{{cookiecutter.project_slug}}/README.md"


# pawamoy's copier-uv, the render speed we measure ourselves against (#17); a local clone
# in $COPIER_UV saves the download.
COPIER_UV = "https://github.com/pawamoy/copier-uv.git"
COPIER_UV_ANSWERS = {
    "project_name": "Bench",
    "project_description": "Bench",
    "author_fullname": "Bench",
    "author_email": "bench@example.com",
    "author_username": "bench",
    "repository_namespace": "bench",
    "copyright_holder": "Bench",
    "copyright_holder_email": "bench@example.com",
}


def alternately(runs: int, ours, theirs) -> tuple[float, float]:
    """Medians of two measures taken in turn (the machine's load changes from minute to
    minute), each after one run that is not counted."""
    ours()
    theirs()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(ours())
        times[1].append(theirs())
    return statistics.median(times[0]), statistics.median(times[1])


def copier(verb: str, *args: str) -> list[str]:
    """copier's command line, unattended, as every timing here runs it."""
    return [sys.executable, "-m", "copier", verb, "--trust", "--defaults", "--quiet", *args]


COPIER_UV_DATA = [a for k, v in COPIER_UV_ANSWERS.items() for a in ("-d", f"{k}={v}")]


def render_ratio(work: Path, ours: list[str]) -> list[tuple[str, float, float | None, str]]:
    """Our render-only copy (``ours``, without the destination) against copier-uv's: the median
    of ours over the median of theirs."""
    source = os.environ.get("COPIER_UV", COPIER_UV)
    theirs = copier("copy", *COPIER_UV_DATA, "--skip-tasks", source)

    def render(command: list[str]) -> float:
        shutil.rmtree(work / "ratio", ignore_errors=True)
        return timed([*command, str(work / "ratio")], work)

    try:
        mine, other = alternately(RUNS, lambda: render(ours), lambda: render(theirs))
    except subprocess.CalledProcessError:
        return [("render ratio to copier-uv", 0.0, None, f"not measured: {source}")]
    note = f"copier-uv {other:.2f} s; alternate runs"
    return [("render-only time ÷ copier-uv's (ratio)", mine / other, 1.0, note)]


def copier_uv_update(work: Path) -> float:
    """copier-uv's own `copier update` of one changed file (no tasks, no lock), as ours."""
    template = work / "copier-uv-update" / "template"
    if not template.exists():
        git("clone", "-q", os.environ.get("COPIER_UV", COPIER_UV), str(template), cwd=work)
        next_release(template, next(template.glob("*/README.md.jinja")))
    project = work / "copier-uv-update" / "project"
    shutil.rmtree(project, ignore_errors=True)
    copy = copier("copy", *COPIER_UV_DATA, "--vcs-ref", "v98.0.0", str(template), str(project))
    subprocess.run(copy, check=True, capture_output=True, env=USER_ENV)
    git_init(project)
    return timed(copier("update", "--vcs-ref", "v99.0.0"), project)


def update_figures(work: Path) -> list[tuple[str, float, float | None, str]]:
    latest = median_of(RUNS, lambda: time_update(work))
    adjacent, theirs = alternately(
        RUNS, lambda: time_update(work, adjacent=True), lambda: copier_uv_update(work)
    )
    first, last = list(releases())[-2:]
    released = median_of(RUNS, lambda: time_update(work, released=True))
    return [
        ("copier update, previous release → HEAD", latest, 3.0, "`uv lock` included"),
        ("copier update, adjacent releases", adjacent, 3.0, "one file changed"),
        ("copier-uv's copier update, one file changed", theirs, None, "its floor: no lock"),
        ("adjacent update ÷ copier-uv's (ratio)", adjacent / theirs, None, "alternate runs"),
        (f"copier update, {first} → {last}", released, None, "the releases' hooks; `uv lock`"),
    ]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="phasegate-bench-"))
    if sys.argv[1:] == ["update"]:
        show(update_figures(work))
        shutil.rmtree(work, ignore_errors=True)
        return
    if sys.argv[1:] == ["spark"]:
        show(engine_figures(work))
        shutil.rmtree(work, ignore_errors=True)
        return
    if sys.argv[1:] == ["data"]:
        project = work / "data"
        command = copier("copy", "--vcs-ref", "HEAD", "-d", "project_name=Bench")
        command += [str(REPO), str(project)]
        subprocess.run(command, check=True, capture_output=True)
        timed([sys.executable, "-m", "nox", "-s", "pipeline"], project)
        show(data_figures(project))
        shutil.rmtree(work, ignore_errors=True)
        return
    # This tree as the newest release: `copier copy` of a template's latest, as teams run it
    # and as copier-uv's is timed.
    source = packed_template(work / "template", release="v100.0.0")
    copy = copier("copy", "-d", "project_name=Bench", str(source))

    def copy_once() -> float:
        shutil.rmtree(work / "copy", ignore_errors=True)
        return timed([*copy, str(work / "copy")], work)

    def render_once() -> float:  # the same copy without the task that writes uv.lock
        shutil.rmtree(work / "copy", ignore_errors=True)
        return timed([*copy, "--skip-tasks", str(work / "copy")], work)

    render_time = median_of(RUNS, render_once)
    ratio = render_ratio(work, [*copy, "--skip-tasks"])
    if sys.argv[1:] == ["render"]:
        show([("copier copy --skip-tasks (render only)", render_time, 1.0, ""), *ratio])
        shutil.rmtree(work, ignore_errors=True)
        return
    copy_time = median_of(RUNS, copy_once)
    files = sum(1 for p in (work / "copy").rglob("*") if p.is_file())
    updates = update_figures(work)

    project = work / "copy"
    git_init(project)
    nox = [sys.executable, "-m", "nox"]
    timed(nox, project)  # fills the package cache

    def fresh() -> float:
        shutil.rmtree(project / ".nox", ignore_errors=True)
        return timed(nox, project)

    fresh_time = median_of(3, fresh)
    warm_time = median_of(3, lambda: timed([*nox, "-r"], project))
    timed([*nox, "-s", "pipeline"], project)  # in the environment `nox`'s tests made
    python = project / PROJECT_PYTHON
    script = VALIDATE_1M.format(package="bench")
    out = subprocess.run([python, "-c", script], cwd=project, check=True, capture_output=True)
    validate_time = float(out.stdout)
    # `performance` over 1 M logged predictions with outcomes: the generated project's own tool.
    tool = [str(python), "tools/bench_performance.py", "--stores"]
    operate = json.loads(subprocess.run(tool, cwd=project, check=True, capture_output=True).stdout)

    rows = [
        ("copier copy --skip-tasks (render only)", render_time, 1.0, f"{files} files"),
        *ratio,
        ("copier copy (render, then `uv lock`)", copy_time, 3.0, "warm uv cache"),
        *updates,
        ("generated `nox`, fresh venvs, filled cache", fresh_time, 90.0, ""),
        ("generated `nox -r`, warm venvs", warm_time, 20.0, ""),
        ("pandera validation, 1,000,000 rows", validate_time, 2.0, ""),
        *(
            (
                f"performance over 1 M predictions: {step}",
                operate[f"{step}_seconds_median"],
                None,
                "",
            )
            for step in ("joined", "compute", "write")
        ),
        *data_figures(project),
        *engine_figures(work),
    ]
    show(rows)
    shutil.rmtree(work, ignore_errors=True)


def show(rows: list[tuple[str, float, float | None, str]]) -> None:
    print("| measure | median (s) | target (s) | note |\n|---|---|---|---|")
    for name, seconds, target, note in rows:
        flag = "" if target is None or seconds <= target else " (over target)"
        shown = "" if target is None else f"{target:g}"
        print(f"| {name} | {seconds:.2f}{flag} | {shown} | {note} |")


if __name__ == "__main__":
    main()
