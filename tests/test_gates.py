"""Phase gates in a rendered project: its real CLI and `nox -s gate`, on files a user edits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_PYTHON, git_init, render, run
from markdown_it import MarkdownIt

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("gates")]  # one pipeline run
PACKAGE = "churn_guard"
TABLE = ("table_open", "table_close")
DECISION = "Which customers the retention desk calls each Monday"
ANSWERS = {  # the placeholders the default answers leave, as a team fills them in
    "which decision, taken by whom, will this model improve?": DECISION,
    "business KPI": "Monthly churn rate",
    "business owner": "Dana Berg",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project, committed, with the pipeline's reports and virtual environment."""
    project = render(tmp_path_factory.mktemp("gates") / "project")
    git_init(project)
    run([sys.executable, "-m", "nox", "-s", "pipeline"], project)
    return project


@pytest.fixture(autouse=True)
def undo_edits(project: Path):
    yield
    run(["git", "checkout", "-q", "--", "."], project)


def gate(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`churn_guard gate ARGS` in the environment the verbs' sessions share."""
    command = [str(project / PROJECT_PYTHON), "-m", PACKAGE, "gate", *args]
    env = {**os.environ, **env}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def gate_json(project: Path, *args: str) -> tuple[int, dict]:
    result = gate(project, "--format", "json", *args)
    return result.returncode, json.loads(result.stdout)


def statuses(report: dict) -> dict[str, str]:
    return {criterion["id"]: criterion["status"] for criterion in report["criteria"]}


def fill_in(path: Path) -> None:
    """Replace every placeholder with the team's answer, as a user edits the file."""

    def answer(placeholder: re.Match[str]) -> str:
        return ANSWERS.get(placeholder[1], f"Agreed with Dana Berg ({placeholder[1]})")

    text = re.sub(r"\\?\[FILL IN: ([^\]\\]*)\\?\]", answer, path.read_text(encoding="utf-8"))
    text = text.replace("business.owner@example.com", "dana.berg@acme.eu")
    path.write_text(text.replace("@example-org/", "@acme/"), encoding="utf-8")


def set_line(path: Path, key: str, value: str) -> None:
    text, count = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", path.read_text())
    assert count == 1, f"{key} in {path.name}"
    path.write_text(text)


def test_fresh_project_fails_gate_1_naming_what_to_fill(project):
    session = subprocess.run(
        [sys.executable, "-m", "nox", "-s", "gate"], cwd=project, capture_output=True, text=True
    )
    assert session.returncode != 0
    assert "Phase gate 1 (define): FAILED" in session.stdout + session.stderr

    code, report = gate_json(project)
    assert code == 1 and report["phase"] == report["claimed_phase"] == 1
    assert set(statuses(report).values()) == {"fail"}
    problems = "\n".join(p for c in report["criteria"] for p in c["problems"])
    for named in (
        'phases/1-define/problem-statement.md:13 § Decision: fill in "[FILL IN: which decision',
        '§ Business owner: fill in "Name", "E-mail", "ML owner"',
        "phases/1-define/success-metrics.md:12 § Business KPI",
        "pyproject.toml [tool.phasegate.business] decision is still template text",
        "pyproject.toml [tool.phasegate.business] kpi_name is still template text",
        "pyproject.toml [project] maintainers (0.name, 0.email) is still template text",
    ):
        assert named in problems


def test_filling_phase_1_passes_gate_1(project):
    for document in ("problem-statement.md", "success-metrics.md"):
        fill_in(project / "phases" / "1-define" / document)
    code, report = gate_json(project)
    assert code == 1  # the documents are done; pyproject.toml still holds the defaults
    assert {c: s for c, s in statuses(report).items() if s == "fail"} == {
        "define.decision": "fail",
        "define.kpi": "fail",
        "define.owner": "fail",
    }

    fill_in(project / "pyproject.toml")
    passed = gate(project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Phase gate 1 (define): passed" in passed.stdout
    assert gate(project, "--phase", "2").returncode == 1


def test_claiming_phase_3_fails_while_the_model_misses_the_margin(project):
    for path in [project / "pyproject.toml", *project.glob("phases/1-define/*.md")]:
        fill_in(path)
    run([str(project / PROJECT_PYTHON), "-m", PACKAGE, "pipeline"], project)
    set_line(project / "pyproject.toml", "phase", "3")
    code, report = gate_json(project)
    assert code == 1 and report["phase"] == 3
    beats = next(c for c in report["criteria"] if c["id"] == "poc.beats_baseline")
    assert beats["status"] == "pass", beats

    gates = project / "gates.toml"
    gates.write_text(gates.read_text().replace("value = 0.1\n", "value = 0.95\n"))
    code, report = gate_json(project)
    beats = next(c for c in report["criteria"] if c["id"] == "poc.beats_baseline")
    assert code == 1 and beats["status"] == "fail"
    assert re.fullmatch(
        r"reports/evaluation\.json business\.relative_saving = 0\.\d+: needs >= 0\.95 "
        r"\(gates\.toml\)",
        beats["problems"][0],
    )


def test_table_markdown_and_json_agree(project, tmp_path):
    code, report = gate_json(project, "--phase", "5")
    expected = [(c["id"], c["status"].upper()) for c in report["criteria"]]
    assert code == 1 and {status for _, status in expected} == {"PASS", "FAIL", "WARN"}

    summary = tmp_path / "summary.md"
    markdown = gate(project, "--phase", "5", "--format", "markdown", GITHUB_STEP_SUMMARY=summary)
    assert summary.read_text() == markdown.stdout + "\n"
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown.stdout)
    start, end = (next(i for i, t in enumerate(tokens) if t.type == kind) for kind in TABLE)
    cells = [t.content for t in tokens[start:end] if t.type == "inline"]
    header, rows = cells[:4], [cells[i : i + 4] for i in range(4, len(cells), 4)]
    assert header == ["Criterion", "Status", "Evidence", "What to fix"]
    assert [(row[0].split("<br>")[0], row[1]) for row in rows] == expected

    table = gate(project, "--phase", "5").stdout
    lines = re.findall(r"^(PASS|FAIL|WARN) +(\S+) ", table, flags=re.MULTILINE)  # a log: plain
    assert [(criterion, status) for status, criterion in lines] == expected
