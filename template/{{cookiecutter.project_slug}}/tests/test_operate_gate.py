"""Gate 5 judges adoption and ROI measured on real outcomes (reports/performance.json) against
the phase-1 targets in pyproject.toml, not figures typed into a document."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from gate_project import ROOT, TODAY, edit_document, write_performance

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.gates import judge as gates
from {{ cookiecutter.package_name }}.gates.evidence import Project

_, CRITERIA = gates.load_spec(config.load(ROOT))
MEASURED = {c.id: c for c in CRITERIA if c.kind == "measured"}


def judged(settings, criterion_id: str, days_later: int = 0):
    settings = config.load(settings.root)
    pyproject = gates.tomllib.loads((settings.root / "pyproject.toml").read_text())
    never = re.compile(r"(?!)")
    project = Project(settings, pyproject, never, TODAY + timedelta(days=days_later))
    return gates.judge(MEASURED[criterion_id], project)


def target(settings, name: str) -> float:
    return float(getattr(config.load(settings.root).business, name))


def test_gate_5_reads_adoption_and_roi_from_the_performance_report():
    assert {(c.params["metric"], c.params["target"]) for c in MEASURED.values()} == {
        ("adoption_rate", "tool.phasegate.business.adoption_target"),
        ("roi", "tool.phasegate.business.roi_target"),
    }
    assert all(
        c.phase == 5 and c.params["report"] == "reports/performance.json" for c in MEASURED.values()
    )


@pytest.mark.parametrize(
    ("criterion_id", "name"),
    [("operate.adoption", "adoption_target"), ("operate.roi", "roi_target")],
)
def test_a_figure_at_or_beyond_its_target_passes(settings, criterion_id, name):
    metric = MEASURED[criterion_id].params["metric"]
    write_performance(settings.root, **{metric: target(settings, name)})
    result = judged(settings, criterion_id)
    assert (result.status, result.finding.problems) == ("pass", [])
    assert result.finding.evidence[0].startswith(f"{metric} ")


@pytest.mark.parametrize(
    ("criterion_id", "name"),
    [("operate.adoption", "adoption_target"), ("operate.roi", "roi_target")],
)
def test_a_figure_short_of_its_target_fails(settings, criterion_id, name):
    metric = MEASURED[criterion_id].params["metric"]
    write_performance(settings.root, **{metric: target(settings, name) - 0.1})
    result = judged(settings, criterion_id)
    assert result.status == "fail"
    assert f"reports/performance.json {metric} = " in result.finding.problems[0]
    assert f"({'pyproject.toml [tool.phasegate.business] ' + name})" in result.finding.problems[0]


def test_the_target_follows_pyproject(settings):
    write_performance(settings.root, adoption_rate=0.6)
    edit_document(
        settings.root, "pyproject.toml", r"adoption_target = [\d.]+", "adoption_target = 0.7"
    )
    assert "needs >= 0.7" in judged(settings, "operate.adoption").finding.problems[0]
    edit_document(
        settings.root, "pyproject.toml", r"adoption_target = [\d.]+", "adoption_target = 0.55"
    )
    assert judged(settings, "operate.adoption").status == "pass"


def test_no_report_a_null_figure_too_few_rows_or_an_old_report_fail(settings):
    def problems(criterion_id: str, days_later: int = 0) -> str:
        return " ".join(judged(settings, criterion_id, days_later).finding.problems)

    params = MEASURED["operate.adoption"].params
    assert "reports/performance.json not found" in problems("operate.roi")
    write_performance(settings.root, roi=None)
    assert "measures no roi (null): set run_cost_per_month" in problems("operate.roi")
    write_performance(settings.root, rows=params["min_rows"] - 1)
    assert f"fewer than {params['min_rows']}" in problems("operate.adoption")
    write_performance(settings.root)
    limit = params["max_age_days"]
    assert f"days old (limit {limit})" in problems("operate.adoption", days_later=limit + 1)
