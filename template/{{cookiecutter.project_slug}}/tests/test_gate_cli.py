"""The gate command as a team runs it: exit codes, and three outputs that agree.

(That a freshly generated project fails gate 1 is the template's own test.)"""

from __future__ import annotations

import json
import re

from gate_project import edit_setting

from {{ cookiecutter.package_name }} import cli


def gate_json(capsys, *args):
    code = cli.main(["gate", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_template_text_in_settings_is_named(filled, capsys):
    edit_setting(filled, "kpi_name", '"[FILL IN: business KPI]"')
    _, result = gate_json(capsys, "--phase", "1")
    kpi = next(c for c in result["criteria"] if c["id"] == "define.kpi")
    assert kpi["problems"] == [
        "pyproject.toml [tool.phasegate.business] kpi_name is still template text"
    ]


def test_filled_project_may_claim_phase_3_but_not_4(filled, capsys):
    (filled / "mlflow.db").unlink()  # no registry, hence no champion and no drill to rely on
    (filled / "governance/audit-log.jsonl").unlink()
    edit_setting(filled, "phase", "3")
    assert cli.main(["gate"]) == 0
    assert "Phase gate 3 (proof of concept): passed" in capsys.readouterr().out
    code, result = gate_json(capsys, "--phase", "4")
    assert code == cli.EXIT_FAILED and result["claimed_phase"] == 3
    failed = {c["id"] for c in result["criteria"] if c["status"] == "fail"}
    assert failed == {"production.registry", "production.rollback"}


def test_reports_written_before_phase_1_was_filled_in_do_not_count(copied, capsys):
    edit_setting(copied, "kpi_name", '"[FILL IN: business KPI]"')
    assert cli.main(["pipeline", "--no-track"]) == 0
    capsys.readouterr()
    _, result = gate_json(capsys, "--phase", "3")
    beats = next(c for c in result["criteria"] if c["id"] == "poc.beats_baseline")
    assert beats["status"] == "fail"
    assert beats["problems"][0].startswith("reports/evaluation.json holds template text (")
    assert "business.kpi_name" in beats["problems"][0]


def test_table_markdown_and_json_agree(filled, capsys, tmp_path, monkeypatch):
    (filled / "governance/model-card.md").unlink()  # so that one criterion fails
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _, result = gate_json(capsys, "--phase", "5")
    from_json = [(c["id"], c["status"].upper()) for c in result["criteria"]]
    assert {status for _, status in from_json} == {"PASS", "FAIL"}

    assert cli.main(["gate", "--phase", "5", "--format", "markdown"]) == cli.EXIT_FAILED
    markdown = capsys.readouterr().out
    rows = [line.split(" | ") for line in markdown.splitlines() if line.startswith("| ")][1:]
    assert [(row[0].removeprefix("| ").split("<br>")[0], row[1]) for row in rows] == from_json
    assert summary.read_text() == f"earlier step\n{markdown}\n"

    assert cli.main(["gate", "--phase", "5"]) == cli.EXIT_FAILED
    table = capsys.readouterr().out
    lines = re.findall(r"^(PASS|FAIL|WARN) +(\S+) ", table, flags=re.MULTILINE)
    assert [(criterion, status) for status, criterion in lines] == from_json
    assert "Phase gate 5 (operate): FAILED" in table


def test_people_at_a_terminal_get_a_table(filled, capsys):
    from {{ cookiecutter.package_name }} import config
    from {{ cookiecutter.package_name }}.gates import judge, output

    output.print_table(judge.run(config.load(filled), 5))
    table = capsys.readouterr().out
    assert "Phase gate 5 (operate)" in table and "Criterion" in table and "│" in table
