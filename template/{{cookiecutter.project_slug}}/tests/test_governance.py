"""Governance records generated from the champion's report, and the check that they are current."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from gate_project import edit_document, edit_setting
from registry_project import audit_log

from {{ cookiecutter.package_name }} import cli, config

CARD, AUDIT_TABLE = "governance/model-card.md", "governance/audit-log.md"
METRICS = {
    "Expected cost per decision": ("expected_cost_per_decision", 0.005),
    "Accuracy": ("accuracy", 0.0005),
    "Precision": ("precision", 0.0005),
    "Recall": ("recall", 0.0005),
    "F1": ("f1", 0.0005),
}


def rows(text: str, width: int) -> list[list[str]]:
    """The cells of every Markdown table row with ``width`` cells."""
    lines = [line.strip().removeprefix("|").removesuffix("|") for line in text.splitlines()]
    found = [[c.strip() for c in re.split(r"(?<!\\)\|", line)] for line in lines]
    return [cells for cells in found if len(cells) == width and not cells[0].startswith("---")]


def test_model_card_numbers_are_the_evaluation_reports(lifecycle):
    assert cli.main(["pipeline"]) == 0  # train and evaluate: reports/evaluation.json
    assert cli.main(["retrain"]) == 0  # same data, same seed: version 1 is the same model
    assert cli.main(["governance"]) == 0
    evaluation = json.loads((lifecycle.reports_dir / "evaluation.json").read_text())
    card = (lifecycle.root / CARD).read_text()
    table = {cells[0]: cells[1:] for cells in rows(card, 3)}
    currency = evaluation["currency"]
    for label, (key, tolerance) in METRICS.items():
        model, baseline = (float(cell.removesuffix(currency)) for cell in table[label])
        assert model == pytest.approx(evaluation["model"][key], abs=tolerance), label
        assert baseline == pytest.approx(evaluation["baseline"][key], abs=tolerance), label
    assert float(table["ROC AUC"][0]) == pytest.approx(evaluation["model"]["roc_auc"], abs=5e-4)
    business = evaluation["business"]
    assert f"projected {business['kpi_projected']:.4g}" in card
    assert f"{business['saving_per_decision']:.2f} {currency}" in card
    assert f"decision threshold {evaluation['threshold']:.3f}" in card
    assert f"sha256 `{evaluation['data_sha256']}`" in card
    assert f"`{lifecycle.registry.model_name}` version 1." in card
    assert re.search(r"makes acting \(the decision above\) (more|less) likely", card)


def test_a_hand_edited_number_makes_the_check_fail(lifecycle, capsys):
    assert cli.main(["validate"]) == 0  # the datasheet's figures
    assert cli.main(["retrain"]) == 0
    assert cli.main(["governance"]) == 0
    assert cli.main(["governance", "--check"]) == 0
    assert cli.main(["validate"]) == 0  # a new validation run changes no compared figure
    assert cli.main(["governance", "--check"]) == 0
    capsys.readouterr()

    card = lifecycle.root / CARD
    accuracy = next(cells for cells in rows(card.read_text(), 3) if cells[0] == "Accuracy")
    edited = f"{float(accuracy[1]) + 0.05:.3f}"
    edit_document(
        lifecycle.root, CARD, rf"\| Accuracy \| {accuracy[1]} \|", f"| Accuracy | {edited} |"
    )
    assert cli.main(["governance", "--check"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert f"{CARD}:" in err and edited in err and "nox -s report" in err

    assert cli.main(["governance"]) == 0
    assert f"| Accuracy | {accuracy[1]} |" in card.read_text()
    assert cli.main(["governance", "--check"]) == 0


def test_audit_table_lists_every_promotion_and_rollback(lifecycle):
    edit_setting(lifecycle.root, "promotion_margin", "0.0")  # an equal challenger may replace
    assert cli.main(["validate"]) == 0
    assert cli.main(["retrain"]) == 0
    assert cli.main(["retrain"]) == 0
    assert cli.main(["governance"]) == 0
    assert "version 2." in (lifecycle.root / CARD).read_text()
    assert cli.main(["rollback", "--reason", "drill: v2 | misbehaves"]) == 0
    assert cli.main(["governance", "--check"]) == cli.EXIT_FAILED  # new champion, new audit line

    assert cli.main(["governance"]) == 0
    table = rows((lifecycle.root / AUDIT_TABLE).read_text(), 6)[1:]
    entries = audit_log(lifecycle)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in table] == [
        (e["when"], e["action"], e["from_version"] or "none", e["to_version"], e["who"])
        for e in entries
    ]
    assert [r[1:4] for r in table] == [
        ["promote", "none", "1"],
        ["promote", "1", "2"],
        ["rollback", "2", "1"],
    ]
    assert table[-1][5] == "drill: v2 \\| misbehaves"
    assert "version 1." in (lifecycle.root / CARD).read_text()
    assert cli.main(["governance", "--check"]) == 0


def test_no_champion_yet(lifecycle, capsys):
    assert cli.main(["validate"]) == 0
    assert cli.main(["governance"]) == cli.EXIT_FAILED
    captured = capsys.readouterr()
    assert f"not written: {CARD}: no model version has the alias 'champion' yet" in captured.err
    assert "written: governance/datasheet.md" in captured.out
    assert not (lifecycle.root / CARD).exists()
    assert cli.main(["governance", "--check"]) == cli.EXIT_FAILED


def test_the_teams_text_is_kept(filled):
    datasheet = filled / "governance/datasheet.md"
    own = "- Why the data was assembled: to decide which cases a specialist reviews first"
    text = datasheet.read_text()
    edited = text.replace(
        next(line for line in text.splitlines() if line.startswith("- Why the data")), own
    )
    datasheet.write_text(edited)
    assert cli.main(["governance", "--check"]) == 0  # the team's text is not compared
    assert cli.main(["governance"]) == 0
    text = datasheet.read_text()
    assert own in text
    validation = json.loads((filled / "reports/validation.json").read_text())
    assert f"sha256 `{validation['data_sha256']}`" in text
    assert f"- Rows: {validation['rows']} (minimum {validation['min_rows']})" in text
    audit = (filled / "phases/2-data/data-audit.md").read_text()
    sources = next(line for line in audit.splitlines() if line.startswith("- Sources:"))
    assert sources in text
    policy = (filled / "governance/model-update-policy.md").read_text()
    maintainers = tomllib.loads((filled / "pyproject.toml").read_text())["project"]["maintainers"]
    assert "at least 0.0% below" in policy and f"<{maintainers[0]['email']}>" in policy
    codeowners = (filled / "CODEOWNERS").read_text().splitlines()
    governance_owners = next(line for line in codeowners if line.startswith("/governance/"))
    assert ", ".join(governance_owners.split()[1:]) in policy
    settings = config.load(filled)
    for t in (*settings.monitoring.thresholds, *settings.operate.thresholds):
        assert f"| {t.metric} | {t.limit} | {t.action} | {', '.join(t.notify)} |" in policy


def test_the_old_verb_name_still_works_with_a_note(lifecycle, capsys):
    assert cli.main(["pipeline"]) == 0
    assert cli.main(["retrain"]) == 0
    assert cli.main(["report"]) == 0  # the name before 0.4.0
    assert "now called `governance`" in capsys.readouterr().err
    assert cli.main(["governance", "--check"]) == 0
