"""Hostile answers reach every generated file escaped: it parses and carries the exact text."""

from __future__ import annotations

import ast
import tomllib

import pytest
import yaml
from conftest import render
from markdown_it import MarkdownIt

from extensions import escaping

HOSTILE = [
    "Say \"hi\" and 'bye'",
    "back\\slash \\n not a newline",
    "$(rm -rf /) and `id` and $HOME",
    "ünïcødé — naïve café 北京",
    "<script>alert(1)</script> | *not bold* _x_ [link](http://x) # no heading",
    "- starts like a list",
    "1. starts like an ordered list",
    "# starts like a heading",
    "tricky: { key: value } & [a, b] ! @ %",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("language", ["toml", "yaml", "py"])
def test_filters_round_trip(text, language):
    literal = escaping.FILTERS[language](text)
    parsed = {
        "toml": lambda: tomllib.loads(f"value = {literal}")["value"],
        "yaml": lambda: yaml.safe_load(f"value: {literal}")["value"],
        "py": lambda: ast.literal_eval(literal),
    }[language]()
    assert parsed == text


@pytest.mark.parametrize("text", [*HOSTILE, "$CI_JOB_TOKEN", "$$ and ${CI_JOB_TOKEN}$"])
def test_gitlab_filter_leaves_nothing_for_gitlab_to_expand(text):
    parsed = yaml.safe_load(f"value: {escaping.gitlab(text)}")["value"]
    assert "$" not in parsed.replace("$$", "")  # GitLab expands a single $ only
    assert parsed.replace("$$", "$") == text  # and reads $$ as one $


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_filter_renders_the_exact_text(text):
    assert markdown_text(f"Owner: {escaping.markdown(text)}") == f"Owner: {text}"
    assert markdown_text(escaping.markdown(text)) == text  # also at the start of a line


@pytest.mark.parametrize("number", [0, 100, 2.5, -0.125, 1e-9, 110.00000000000001])
def test_numbers_are_exact(number):
    assert float(tomllib.loads(f"x = {escaping.number(number)}")["x"]) == float(number)


def test_hostile_answers_in_a_rendered_project(tmp_path):
    answers = {
        "project_name": HOSTILE[0],
        "description": HOSTILE[1],
        "organisation": HOSTILE[2],
        "business_owner_name": HOSTILE[3],
        "decision": HOSTILE[4],
        "kpi_name": HOSTILE[5],
        "kpi_unit": HOSTILE[6],
        "ci_provider": "both",
        "project_slug": "hostile",
    }
    project = render(tmp_path / "project", tasks=False, **answers)

    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == answers["description"]
    assert pyproject["project"]["authors"] == [{"name": answers["organisation"]}]
    assert pyproject["project"]["maintainers"][0]["name"] == answers["business_owner_name"]
    business = pyproject["tool"]["phasegate"]["business"]
    assert business["decision"] == answers["decision"]
    assert (business["kpi_name"], business["kpi_unit"]) == (
        answers["kpi_name"],
        answers["kpi_unit"],
    )

    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((project / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert workflow["name"] == gitlab["workflow"]["name"] == f"{answers['project_name']} CI"

    answers_file = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert all(answers_file[name] == value for name, value in answers.items())

    for path in project.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    for path in project.rglob("*.y*ml"):
        yaml.safe_load(path.read_text(encoding="utf-8"))

    readme = markdown_text((project / "README.md").read_text(encoding="utf-8"))
    for name in ("project_name", "description", "organisation", "decision", "kpi_name"):
        assert answers[name] in readme, name
    statement = markdown_text(
        (project / "phases/1-define/problem-statement.md").read_text(encoding="utf-8")
    )
    assert answers["decision"] in statement and answers["business_owner_name"] in statement


def test_gitlab_does_not_expand_variables_in_answers(tmp_path):
    name = "Leak $CI_JOB_TOKEN"
    project = render(
        tmp_path / "project",
        tasks=False,
        project_name=name,
        ci_provider="both",
        project_slug="leak",
    )
    gitlab = yaml.safe_load((project / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["workflow"]["name"] == "Leak $$CI_JOB_TOKEN CI"
    # GitHub expands ${{ }} only (refused by the validators), so its workflow keeps one $.
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert workflow["name"] == f"{name} CI"


def markdown_text(source: str) -> str:
    """The text a reader sees: inline text of every block; raw HTML is markup, not text."""
    tokens = MarkdownIt("commonmark").parse(source)
    lines = []
    for token in tokens:
        if token.type == "inline":
            lines.append("".join(_visible(child) for child in token.children or []))
    return "\n".join(lines)


def _visible(token) -> str:
    if token.type in {"text", "code_inline"}:
        return token.content
    if token.type in {"softbreak", "hardbreak"}:
        return "\n"
    return ""
