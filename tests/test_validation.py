"""Bad answers are refused with a message that says what is allowed, and nothing is written."""

from __future__ import annotations

import pytest
from conftest import render

from extensions import validation

REFUSED = [
    # (answer, bad value, words the message must contain)
    ("project_name", "", "must not be empty"),
    ("project_name", "---", "letter or digit"),
    ("project_name", "two\nlines", "one line"),
    ("project_slug", "Churn_Guard", "lowercase letters, digits and single hyphens"),
    ("project_slug", "churn--guard", "single hyphens"),
    ("project_slug", "9lives", "starting with a letter"),
    ("project_slug", "a" * 51, "at most 50"),
    ("package_name", "churn-guard", "lowercase letters, digits and"),
    ("package_name", "class", "keyword"),
    ("package_name", "match", "keyword"),
    ("package_name", "json", "standard-library"),
    ("package_name", "sklearn", "shadow a dependency"),
    ("package_name", "p" * 31, "at most 30"),
    ("description", "x" * 201, "at most 200"),
    ("description", "see {{ secrets }}", "template delimiters"),
    ("description", "run ${{ github.token }}", "template delimiters"),
    ("organisation", "tab\there", "control characters"),
    ("business_owner_email", "jane.doe", "e-mail address"),
    ("business_owner_email", "jane doe@example.com", "e-mail address"),
    ("ml_owner", "jdoe", "handle such as @jdoe"),
    ("ml_owner", "@-bad", "handle"),
    ("decision", "   ", "must not be empty"),
    ("kpi_baseline", "lots", "finite number"),
    ("kpi_baseline", "nan", "finite number"),
    ("kpi_target", 90.0, "must be above the baseline (100)"),
    ("cost_false_positive", 0, "greater than 0"),
    ("cost_false_negative", -5, "greater than 0"),
    ("currency", "euro", "three-letter ISO 4217"),
    ("ci_provider", "jenkins", "github, gitlab, both"),
    ("python_version", "3.10", "3.11, 3.12, 3.13"),
    ("compute", "gpu", "local, spark"),
    ("package_name", "pyspark", "shadow a dependency"),
    ("license", "GPL", "Proprietary, MIT, Apache-2.0, BSD-3-Clause"),
]

ACCEPTED = [
    ("project_name", "Churn Guard (EMEA) — phase 1"),
    ("project_slug", "churn-guard-2"),
    ("package_name", "churn_guard"),
    ("business_owner_email", "zoë.o'brien@example.co.uk"),
    ("ml_owner", "@acme/ml-team"),
    ("ml_owner", "@acme/data/ml-team"),
    ("kpi_target", 110.0),
    ("description", "Quotes \"double\" 'single', back\\slash, $(date), `ticks`, <b>, ünïcode"),
]


@pytest.mark.parametrize(("name", "value", "message"), REFUSED)
def test_refused_with_what_is_allowed(name, value, message):
    answers = {"kpi_baseline": 100.0, "kpi_direction": "increase", name: value}
    assert message in validation.check(name, answers)


@pytest.mark.parametrize(("name", "value"), ACCEPTED)
def test_accepted(name, value):
    answers = {"kpi_baseline": 100.0, "kpi_direction": "increase", name: value}
    assert validation.check(name, answers) == ""


def test_decreasing_kpi_needs_a_lower_target():
    answers = {"kpi_baseline": 5.0, "kpi_direction": "decrease"}
    assert "below the baseline" in validation.check("kpi_target", {**answers, "kpi_target": 6})
    assert validation.check("kpi_target", {**answers, "kpi_target": 4}) == ""


def test_check_all_reports_every_problem_by_name():
    problems = validation.check_all({"project_slug": "Bad", "currency": "eur", "license": "MIT"})
    assert set(problems) == {"project_slug", "currency"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        row
        for row in REFUSED
        if row[0] in {"project_slug", "package_name", "kpi_target", "ml_owner"}
    ],
)
def test_copier_refuses_and_writes_nothing(tmp_path, name, value, message):
    destination = tmp_path / "project"
    with pytest.raises(ValueError, match=f"question '{name}'") as error:
        render(destination, **{name: value})
    assert message in str(error.value)
    assert not destination.exists()
