"""Facts written once: each copy is derived from its source or held to it by a test here."""

from __future__ import annotations

import json
import re
import tomllib

import yaml
from conftest import REPO, render

from extensions import releases, validation


def test_template_version_is_the_newest_release():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    newest = list(releases.releases())[-1]
    assert f"v{pyproject['project']['version']}" == newest, (
        "set [project] version in pyproject.toml"
    )


def test_choice_lists_are_copier_yml_s():
    copier_yml = yaml.safe_load((REPO / "copier.yml").read_text(encoding="utf-8"))
    asked = {name: q["choices"] for name, q in copier_yml.items() if "choices" in q}
    assert {name: tuple(map(str, c)) for name, c in asked.items()} == validation.CHOICES
    cookiecutter = json.loads((REPO / "template" / "cookiecutter.json").read_text("utf-8"))
    assert {name: set(cookiecutter[name]) for name in asked} == {
        name: set(choices) for name, choices in validation.CHOICES.items()
    }
    for name, choices in validation.CHOICES.items():
        for value in choices:
            assert validation.check(name, {name: value}) == "", (name, value)
        assert "not allowed" in validation.check(name, {name: "not-a-choice"})


def test_refused_names_are_the_rendered_project_s_dependencies(tmp_path):
    """The names refused are read from the same pyproject.toml that copier renders."""
    answers = {"serving": "http", "compute": "spark"}
    project = render(tmp_path / "project", tasks=False, **answers)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [
        *pyproject["project"]["dependencies"],
        *(r for group in pyproject["dependency-groups"].values() for r in group),
    ]
    names = {
        validation.normalise(re.match(r"[A-Za-z0-9._-]+", r)[0])
        for r in requirements
        if isinstance(r, str)
    }
    assert set(validation.dependencies(answers)) == names
    assert {"mlflow", "pyarrow", "fastapi", "uvicorn", "httpx", "pyspark"} <= names
    assert not {"fastapi", "pyspark"} & set(validation.dependencies({}))
    # import names that differ from the distribution's belong to a real dependency
    assert set(validation.IMPORT_NAMES) <= names
