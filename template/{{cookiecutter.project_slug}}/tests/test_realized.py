"""The model card's realized performance since promotion: the champion's figures from
reports/performance.json beside its evaluation, or "no outcomes yet"; left out of the staleness
check, since they move with every `performance` run."""

from __future__ import annotations

from gate_project import write_performance

from {{ cookiecutter.package_name }}.governance import documents, realized
from {{ cookiecutter.package_name }}.lifecycle import audit

EVALUATION = {
    "held_out_rows": 120,
    "model": {"expected_cost_per_decision": 3.5, "precision": 0.75, "recall": 0.8},
    "baseline": {"expected_cost_per_decision": 6.0},
}


def test_without_a_report_the_card_says_no_outcomes_yet(settings):
    lines = realized.lines(settings, "3", EVALUATION)
    assert lines[0] == realized.HEADING
    assert lines[-1].startswith("No outcomes yet for version 3 (champion)")


def test_a_report_without_this_version_is_no_outcomes_yet(settings):
    write_performance(settings.root, version="2")
    assert realized.lines(settings, "3", EVALUATION)[-1].startswith("No outcomes yet")


def test_the_champions_figures_beside_its_evaluation_since_its_promotion(settings):
    report = write_performance(settings.root, version="3", saving_per_decision=-0.5)
    audit.append(settings.audit_log, audit.entry("promote", "2", "3", "approved"))
    promoted = audit.read(settings.audit_log)[-1]["when"][:10]
    lines = realized.lines(settings, "3", EVALUATION)
    text = "\n".join(lines)
    assert f"Version 3, champion since {promoted}:" in text
    assert report["window"]["start"][:10] in text
    currency = report["currency"]
    assert f"| Saving per decision | -0.50 {currency} | 2.50 {currency} |" in lines
    assert f"| Expected cost per decision | 3.00 {currency} | 3.50 {currency} |" in lines
    assert "| Adoption rate | 90.0% | n/a |" in lines
    assert "| ROI (return on the run cost) | 300% | n/a |" in lines
    assert "| Decisions with an outcome | 400 | 120 |" in lines


def test_the_staleness_check_leaves_the_realized_section_out(settings):
    write_performance(settings.root, version="3")
    section = realized.lines(settings, "3", EVALUATION)
    card = ["## Business metric", "- saves 2.50", "", *section, "", "## What drives it", "- x"]
    kept = documents.comparable(card)
    assert kept == ["## Business metric", "- saves 2.50", "", "## What drives it", "- x"]
