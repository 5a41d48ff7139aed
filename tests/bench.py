"""Speed figures for the closing notes and the README (run with `nox -s bench`).

Medians of several runs, because the machine is shared and noisy. Targets
(2 cores): copier copy <= 1.0 s to render, <= 3.0 s with the task that writes
uv.lock (our own target: resolving with a warm uv cache); copier update between
adjacent versions <= 1.5 s; default nox <= 20 s warm and <= 90 s from fresh
virtual environments with a filled package cache; 1 M-row validation <= 2 s.
"""

from __future__ import annotations

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
from conftest import REPO, git_init
from lifecycle import USER, copy_at, git, template_copy

from extensions.releases import releases

RUNS = 5
VALIDATE_1M = """
import time, numpy as np, pandas as pd
from {package} import config, schema
settings = config.load()
rng = np.random.default_rng(0)
n = 1_000_000
ranges = schema.FEATURES.items()
frame = pd.DataFrame({{name: rng.uniform(low, high, n) for name, (low, high) in ranges}})
frame[settings.target] = rng.integers(0, 2, n)
contract = schema.build(settings.target, settings.min_rows, settings.max_null_fraction)
times = []
for _ in range(3):
    start = time.perf_counter()
    contract.validate(frame, lazy=True)
    times.append(time.perf_counter() - start)
print(sorted(times)[1])
"""


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def time_update(work: Path) -> float:
    """`copier update` of a project made from the previous release, to this tree."""
    shutil.rmtree(work / "update", ignore_errors=True)
    template = template_copy(work / "update" / "template")
    git("add", "-A", cwd=template)
    git(*USER, "commit", "--allow-empty", "-qm", "bench: working tree", cwd=template)
    previous = list(releases())[-1]
    project = copy_at(template, previous, work / "update" / "project")
    update = [sys.executable, "-m", "copier", "update", "--trust", "--defaults", "--quiet"]
    return timed([*update, "--vcs-ref", "HEAD"], project)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="phasegate-bench-"))
    copy = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet"]
    copy += ["--vcs-ref", "HEAD", "-d", "project_name=Bench", str(REPO)]

    def copy_once() -> float:
        shutil.rmtree(work / "copy", ignore_errors=True)
        return timed([*copy, str(work / "copy")], work)

    def render_once() -> float:  # the same copy without the task that writes uv.lock
        shutil.rmtree(work / "copy", ignore_errors=True)
        return timed([*copy, "--skip-tasks", str(work / "copy")], work)

    render_time = median_of(RUNS, render_once)
    copy_time = median_of(RUNS, copy_once)
    files = sum(1 for p in (work / "copy").rglob("*") if p.is_file())
    update_time = median_of(RUNS, lambda: time_update(work))

    project = work / "copy"
    git_init(project)
    nox = [sys.executable, "-m", "nox"]
    timed(nox, project)  # fills the package cache

    def fresh() -> float:
        shutil.rmtree(project / ".nox", ignore_errors=True)
        return timed(nox, project)

    fresh_time = median_of(3, fresh)
    warm_time = median_of(3, lambda: timed([*nox, "-r"], project))
    python = project / ".nox/pipeline/bin/python"
    script = VALIDATE_1M.format(package="bench")
    out = subprocess.run([python, "-c", script], cwd=project, check=True, capture_output=True)
    validate_time = float(out.stdout)

    rows = [
        ("copier copy --skip-tasks (render only)", render_time, 1.0, f"{files} files"),
        ("copier copy (render, then `uv lock`)", copy_time, 3.0, "warm uv cache"),
        ("copier update, previous release → HEAD", update_time, 1.5, ""),
        ("generated `nox`, fresh venvs, filled cache", fresh_time, 90.0, ""),
        ("generated `nox -r`, warm venvs", warm_time, 20.0, ""),
        ("pandera validation, 1,000,000 rows", validate_time, 2.0, ""),
    ]
    print("| measure | median (s) | target (s) | note |\n|---|---|---|---|")
    for name, seconds, target, note in rows:
        flag = "" if seconds <= target else " (over target)"
        print(f"| {name} | {seconds:.2f}{flag} | {target:g} | {note} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
