"""Each criterion of gates.toml passes once the project is filled in, and fails when it is not."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from gate_project import (
    ROOT,
    TIMEBOX_START,
    TODAY,
    edit_criterion,
    edit_document,
    edit_setting,
    write_performance,
)

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.gates import judge as gates

_, CRITERIA = gates.load_spec(config.load(ROOT))
JUDGED = [c.id for c in CRITERIA if c.kind != "pending"]
WITH_SECTIONS = [c.id for c in CRITERIA if "sections" in c.params]


def judge(project, phase=5, days_later=0):
    return gates.run(config.load(project), phase, today=TODAY + timedelta(days=days_later))


def outcome(project, criterion_id, days_later=0):
    """One criterion judged alone, as `gate` judges it among the others."""
    on, criteria = gates.judged_on(config.load(project), TODAY + timedelta(days=days_later))
    (criterion,) = (c for c in criteria if c.id == criterion_id)
    return gates.judge(criterion, on)


def remove_ci_files(project):
    for path in (".github/workflows/ci.yml", ".gitlab-ci.yml"):
        (project / path).unlink(missing_ok=True)


def revalidate_with_a_duplicate_row(project):
    data = config.load(project).data_path
    lines = data.read_text().splitlines(keepends=True)
    data.write_text("".join([*lines, lines[1]]))
    assert cli.main(["validate"]) == cli.EXIT_FAILED


def raise_the_margin_above_the_saving(project):
    report = json.loads((project / "reports/evaluation.json").read_text())
    margin = report["business"]["relative_saving"] + 0.01
    edit_criterion(project, "poc.beats_baseline", f"value = {margin}")


def recommend_the_other_family(project):
    path = project / "reports/leaderboard.json"
    board = json.loads(path.read_text())
    board["recommended"] = next(
        e["family"] for e in board["candidates"] if e["family"] != board["recommended"]
    )
    path.write_text(json.dumps(board))


# Failing cases of the criteria that check more than document sections.
BROKEN = {
    "define.decision": (lambda p: edit_setting(p, "decision", '""'), "decision is not set"),
    "define.kpi": (
        lambda p: edit_setting(p, "kpi_target", str(config.load(p).business.kpi_baseline)),
        "does not",
    ),
    "define.error_costs": (
        lambda p: edit_setting(p, "cost_false_negative", "0"),
        "cost_false_negative = 0: must be a number > 0",
    ),
    "define.owner": (
        lambda p: edit_document(p, "phases/1-define/problem-statement.md", r"\S+@\S+\.\w+", "-"),
        "no e-mail address",
    ),
    "data.validation": (revalidate_with_a_duplicate_row, "passed = False: needs == True"),
    "data.volume": (lambda p: edit_setting(p, "min_rows", "100000"), "needs >= 100000"),
    "data.freshness": (
        lambda p: edit_criterion(p, "data.freshness", "max_age_days = 7"),
        "days old, more than 7",
    ),
    "data.sensitive_attributes": (
        lambda p: edit_setting(p, "sensitive_attributes", "[]"),
        "sensitive_attributes = []",
    ),
    "poc.baseline": (
        lambda p: (p / "reports/evaluation.json").unlink(),
        "reports/evaluation.json not found",
    ),
    "poc.beats_baseline": (raise_the_margin_above_the_saving, "business.relative_saving = "),
    "poc.simplest_first": (recommend_the_other_family, "the simplicity rule"),
    "poc.timebox": (
        lambda p: edit_document(
            p, "phases/3-proof-of-concept/poc-plan.md", r"End: \S+", f"End: {TIMEBOX_START}"
        ),
        "0.0 weeks from Start to End, not 4 to 8",
    ),
    "production.ci": (remove_ci_files, "not found"),
    "production.registry": (lambda p: (p / "mlflow.db").unlink(), "no model registry"),
    "production.monitoring": (
        lambda p: edit_document(p, "pyproject.toml", r'action = "retrain"', 'action = "warn"'),
        'no threshold with action = "retrain"',
    ),
    "production.rollback": (
        lambda p: (p / "governance/audit-log.jsonl").unlink(),  # the registry still has copies
        "records no verified rollback",
    ),
    "operate.adoption": (
        lambda p: write_performance(p, adoption_rate=config.load(p).business.adoption_target / 2),
        "reports/performance.json adoption_rate = ",
    ),
    "operate.roi": (lambda p: write_performance(p, roi=None), "measures no roi (null)"),
    "operate.governance": (
        lambda p: edit_document(p, "governance/model-card.md", r"\| Recall \| \d", "| Recall | 9"),
        "governance/model-card.md:",
    ),
}


@pytest.mark.parametrize("criterion_id", JUDGED)
def test_passes_once_filled_in(filled, criterion_id):
    result = outcome(filled, criterion_id)
    assert (result.status, result.finding.problems) == ("pass", [])
    assert result.finding.evidence


@pytest.mark.parametrize("criterion_id", BROKEN)
def test_fails_on_bad_evidence(filled, criterion_id):
    break_evidence, message = BROKEN[criterion_id]
    break_evidence(filled)
    result = outcome(filled, criterion_id)
    required = next(c.required for c in CRITERIA if c.id == criterion_id)
    assert result.status == ("fail" if required else "warn")  # not required: a warning
    assert any(message in problem for problem in result.finding.problems), result.finding


@pytest.mark.parametrize("criterion_id", WITH_SECTIONS)
def test_fails_on_template_text_in_its_sections(filled, criterion_id):
    params = next(c.params for c in CRITERIA if c.id == criterion_id)
    heading = params["sections"][-1]
    placeholder = r"\1- Reviewer: [FILL IN: name]\n"
    edit_document(filled, params["file"], f"(## {re.escape(heading)}\n)", placeholder)
    problems = outcome(filled, criterion_id).finding.problems
    assert any(
        problem.startswith(params["file"]) and f"§ {heading}" in problem and '"Reviewer"' in problem
        for problem in problems
    ), problems


def test_every_criterion_has_a_failing_case():
    documents_only = {c.id for c in CRITERIA if c.kind == "document"}
    assert set(JUDGED) - documents_only == set(BROKEN)


def test_pending_evidence_never_passes(filled):
    # No shipped criterion waits any more; a team's criterion may, until its evidence exists.
    edit_criterion(filled, "operate.adoption", 'kind = "pending"')
    edit_criterion(filled, "operate.adoption", 'waits_for = "the adoption dashboard"')
    result = outcome(filled, "operate.adoption")
    assert result.status == "fail"
    waiting = "cannot pass yet: the evidence comes with the adoption dashboard"
    assert waiting in result.finding.problems[-1]


def test_timebox_that_ran_out_warns_without_failing(filled):
    result = outcome(filled, "poc.timebox", days_later=6 * 7)
    assert result.status == "warn" and "decide go / no-go" in result.finding.warnings[0]
    assert judge(filled, phase=3, days_later=6 * 7).passed


def test_rollback_drill_must_be_recent(filled):
    assert outcome(filled, "production.rollback", days_later=90).status == "pass"
    result = outcome(filled, "production.rollback", days_later=91)
    assert result.status == "fail" and "91 days ago (limit 90)" in result.finding.problems[0]


def test_file_date_stands_in_for_data_age_with_a_warning(filled):
    edit_setting(filled, "timestamp_column", '""')
    result = outcome(filled, "data.freshness")
    assert result.status == "warn" and "modification time" in result.finding.evidence[0]
    assert outcome(filled, "data.freshness", days_later=400).status == "fail"


def test_sensitive_attributes_stated_as_none_pass(filled):
    edit_setting(filled, "sensitive_attributes", '"none"')
    assert outcome(filled, "data.sensitive_attributes").status == "pass"


def test_listed_attribute_without_group_metrics_fails(filled):
    edit_setting(filled, "sensitive_attributes", '["segment", "recorded_on"]')
    problems = outcome(filled, "data.sensitive_attributes").finding.problems
    assert problems == [
        "reports/evaluation.json has no per-group metrics for 'recorded_on': run `nox -s pipeline`"
    ]


def test_sensitive_attribute_is_compared_per_group_but_not_a_model_input(filled):
    groups = json.loads((filled / "reports/evaluation.json").read_text())["groups"]["segment"]
    assert set(groups) == {"branch", "online"}
    assert sum(group["rows"] for group in groups.values()) > 0
    assert all("false_negative_rate" in group["model"] for group in groups.values())
    assert "segment" not in json.loads((filled / "models/model.json").read_text())["features"]


def test_reports_for_other_data_fail(filled):
    data = config.load(filled).data_path
    data.write_text(data.read_text() + data.read_text().splitlines()[1] + "\n")
    problems = outcome(filled, "data.validation").finding.problems
    assert problems == [
        f"reports/validation.json is not for the current data file {data.name}: "
        "run `nox -s pipeline`"
    ]


def test_optional_criterion_only_warns(filled):
    BROKEN["poc.timebox"][0](filled)
    edit_criterion(filled, "poc.timebox", "required = false")
    assert outcome(filled, "poc.timebox").status == "warn"


@pytest.mark.parametrize(
    ("line", "message"),
    [('kind = "magic"', "unknown kind 'magic'"), ('op = "~"', "op must be one of")],
)
def test_unusable_specification_is_a_usage_error(filled, capsys, line, message):
    edit_criterion(filled, "data.volume", line)
    assert cli.main(["gate"]) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err
