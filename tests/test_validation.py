"""Bad answers are refused with a message that says what is allowed, and nothing is written."""

from __future__ import annotations

import pytest
import yaml
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
    ("package_name", "mlflow", "shadow a dependency"),
    ("package_name", "pyarrow", "shadow a dependency"),
    ("project_slug", "mlflow", "'mlflow' is the name of a dependency of the generated project"),
    ("project_slug", "scikit-learn", "choose another project slug"),
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
    # Optional groups' dependencies are refused only with the answer that adds them.
    ("package_name", "fastapi"),
    ("project_slug", "httpx"),
    ("package_name", "pyspark"),
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


@pytest.mark.parametrize(
    ("choice", "value", "name", "taken"),
    [
        ("serving", "http", "package_name", "fastapi"),
        ("serving", "http", "package_name", "uvicorn"),
        ("serving", "http", "project_slug", "httpx"),
        ("compute", "spark", "package_name", "pyspark"),
    ],
)
def test_names_of_optional_dependencies_are_refused_with_their_choice(choice, value, name, taken):
    answers = {name: taken, choice: value}
    # at the name, when the choice is known (cookiecutter; copier with -d)
    assert "dependency" in validation.check(name, answers)
    assert validation.check(name, {name: taken}) == ""
    # at the choice, when the name came first (copier asks the names before serving and compute)
    message = validation.check(choice, answers)
    assert message.startswith(f"with {choice} '{value}', '{taken}'")
    assert validation.check(choice, {name: taken, choice: CHOICES_OFF[choice]}) == ""
    assert validation.check(choice, {name: "churn_guard", choice: value}) == ""


CHOICES_OFF = {"serving": "none", "compute": "local"}


def test_names_clashing_without_the_choice_are_reported_at_the_name_only():
    answers = {"project_slug": "mlflow", "package_name": "mlflow", "serving": "http"}
    assert set(validation.check_all(answers)) == {"project_slug", "package_name"}


def test_choice_questions_that_add_dependencies_have_a_validator():
    """Without one, copier never re-checks the names asked before the choice."""
    for name, question in validation.questions().items():
        lists = {
            tuple(validation.dependencies({name: v})) for v in validation.CHOICES.get(name, ())
        }
        if len(lists) > 1:
            assert question.get("validator") == f"{{{{ '{name}' | validate_answer }}}}", name


@pytest.mark.parametrize(
    ("name", "slug", "package"),
    [
        ("Überwachung", "uberwachung", "uberwachung"),
        ("Crème brûlée", "creme-brulee", "creme_brulee"),
        ("Straße der Daten", "strasse-der-daten", "strasse_der_daten"),
        ("Øresund Ærø Łódź", "oresund-aero-lodz", "oresund_aero_lodz"),
        ("Churn Guard", "churn-guard", "churn_guard"),
        ("2024 forecast", "forecast", "forecast"),
    ],
)
def test_non_ascii_names_are_transliterated(name, slug, package):
    assert validation.slug_from_name(name) == slug
    assert validation.package_from_slug(slug) == package
    assert validation.check_all({"project_slug": slug, "package_name": package}) == {}


def test_package_from_a_non_ascii_slug():
    assert validation.package_from_slug("café-crème") == "cafe_creme"


def test_copier_derives_ascii_names(tmp_path):
    project = render(tmp_path / "project", tasks=False, project_name="Überwachung")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert (answers["project_slug"], answers["package_name"]) == ("uberwachung", "uberwachung")
    assert (project / "src" / "uberwachung" / "cli" / "__init__.py").is_file()


@pytest.mark.parametrize(
    ("answers", "question", "message"),
    [
        ({"project_name": "MLflow"}, "project_slug", "'mlflow' is the name of a dependency"),
        ({"project_name": "fastapi", "serving": "http"}, "project_slug", "fastapi in dependency"),
        (
            {"project_name": "Scoring", "package_name": "uvicorn", "serving": "http"},
            "package_name",
            "'uvicorn' would shadow a dependency of the project (uvicorn in dependency group",
        ),
    ],
)
def test_copier_refuses_names_of_dependencies(tmp_path, answers, question, message):
    destination = tmp_path / "project"
    with pytest.raises(ValueError, match=f"question '{question}'") as error:
        render(destination, **answers)
    assert message in str(error.value)
    assert not destination.exists()
