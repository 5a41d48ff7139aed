"""cookiecutter and copier render the same project from the same files, refuse the same answers."""

from __future__ import annotations

import filecmp
import json
import shutil
import tomllib
from pathlib import Path

import copier
import pytest
import yaml
from conftest import DEFAULT_ANSWERS, REPO, git_init, render
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from template_releases import USER, commit_all, edit, git, template_copy, update_to

from extensions import frontends

ANSWER_SETS = {
    "defaults": {},
    "gitlab-mit-decrease": {
        "ci_provider": "gitlab",
        "license": "MIT",
        "kpi_direction": "decrease",
        "kpi_baseline": 12.5,
        "kpi_target": 10,
    },
    "both-apache-quotes": {
        "project_name": 'Fraud "Watch" for O\'Brien',
        "description": "Flags $(risky) claims — naïvely \\ carefully",
        "ci_provider": "both",
        "license": "Apache-2.0",
        "cost_false_positive": 0.75,
        "compute": "spark",
    },
}


def render_cookiecutter(output: Path, **answers: object) -> Path:
    extra = {name: str(value) for name, value in {**DEFAULT_ANSWERS, **answers}.items()}
    project = cookiecutter(
        str(REPO), directory="template", no_input=True, extra_context=extra, output_dir=str(output)
    )
    return Path(project)


def locked(project: Path) -> set[str]:
    """The names of the packages in a project's uv.lock."""
    return {
        package["name"] for package in tomllib.loads((project / "uv.lock").read_text())["package"]
    }


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_cookiecutter_json_is_derived_from_copier_yml():
    stored = (REPO / "template" / "cookiecutter.json").read_text(encoding="utf-8")
    assert stored == frontends.render_json(), "run: python -m extensions.frontends"
    assert list(json.loads(stored))[:3] == ["project_name", "project_slug", "package_name"]


@pytest.mark.parametrize("answers", ANSWER_SETS.values(), ids=ANSWER_SETS.keys())
def test_same_project_from_both_front_ends(tmp_path, answers):
    by_copier = render(tmp_path / "copier", **answers)
    by_cookiecutter = render_cookiecutter(tmp_path / "cookiecutter", **answers)
    copier_files = tree(by_copier) - {".copier-answers.yml"}
    assert "uv.lock" in copier_files  # both front ends run hooks/post_gen_project.py
    assert copier_files == tree(by_cookiecutter) - {frontends.RECORD}
    compared = sorted(copier_files - {"uv.lock"})  # resolved minutes apart: versions may move
    _, mismatch, errors = filecmp.cmpfiles(by_copier, by_cookiecutter, compared)
    assert (mismatch, errors) == (["catalog-info.yaml"], [])
    assert locked(by_copier) == locked(by_cookiecutter)  # the same packages, from the same hook
    # Only copier knows the template version it rendered.
    differing = set((by_copier / "catalog-info.yaml").read_text().splitlines()) ^ set(
        (by_cookiecutter / "catalog-info.yaml").read_text().splitlines()
    )
    assert {line.split(":")[0].strip() for line in differing} == {"phasegate/template-version"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("project_slug", "Bad_Slug"),
        ("kpi_target", 50),
        ("ml_owner", "nobody"),
        ("currency", "eu"),
        ("project_name", "MLflow"),  # its default slug names a dependency
        ("package_name", "pyarrow"),
    ],
)
def test_both_front_ends_refuse_with_the_same_message(tmp_path, capfd, name, value):
    with pytest.raises(ValueError) as copier_error:
        render(tmp_path / "copier", **{name: value})
    with pytest.raises(FailedHookException):
        render_cookiecutter(tmp_path / "cookiecutter", **{name: value})
    assert str(copier_error.value) in capfd.readouterr().err
    assert list((tmp_path / "cookiecutter").iterdir()) == []  # nothing left behind


def test_cookiecutter_project_records_its_answers_and_release(tmp_path, capsys):
    """Each project keeps its own record (the replay file is one per machine and template)."""
    project = render_cookiecutter(tmp_path, ml_owner="@acme/ml", risk_tier="high")
    record = project / frontends.RECORD
    assert frontends.answers_from_replay(record)["ml_owner"] == "@acme/ml"
    assert frontends.answers_from_replay(record)["risk_tier"] == "high"
    frontends.main(["release", str(record)])
    assert capsys.readouterr().out == f"{frontends.template_release()}\n"
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(SystemExit, match=r"bad\.json: not a cookiecutter record"):
        frontends.main(["answers", str(tmp_path / "bad.json")])


def test_cookiecutter_transliterates_names_as_copier_does(tmp_path):
    project = render_cookiecutter(tmp_path, project_name="Crème brûlée")
    assert project.name == "creme-brulee"
    assert (project / "src" / "creme_brulee" / "cli" / "__init__.py").is_file()


def test_cookiecutter_refuses_a_choice_that_adds_a_dependency_named_like_the_package(
    tmp_path, capfd
):
    with pytest.raises(FailedHookException):
        render_cookiecutter(tmp_path, package_name="fastapi", serving="http")
    err = capfd.readouterr().err
    assert "Validation error for question 'serving': with serving 'http', 'fastapi'" in err
    assert list(tmp_path.iterdir()) == []


def test_cookiecutter_project_adopts_copier_updates(tmp_path):
    """The README's adoption steps: answers from the replay file, then `copier update`."""
    template = template_copy(tmp_path / "template")
    git("add", "-A", cwd=template)
    git(*USER, "commit", "-qm", "work in progress", "--allow-empty", cwd=template)
    git("tag", "v98.0.0", cwd=template)
    project = Path(
        cookiecutter(
            str(template),
            directory="template",
            no_input=True,
            extra_context={"project_name": "Adopted"},
            output_dir=str(tmp_path),
            default_config={"replay_dir": str(tmp_path / "replay")},
        )
    )
    edit(project / "README.md", "## Development", "## Development (team)")
    git_init(project)

    answers = frontends.answers_from_replay(tmp_path / "replay" / "template.json")
    adopt = tmp_path / "adopt"
    copier.run_copy(
        str(template), adopt, data=answers, defaults=True, unsafe=True, vcs_ref="v98.0.0"
    )
    shutil.copy(adopt / ".copier-answers.yml", project)
    commit_all(project, "Adopt copier")

    source = template / "template" / "{{cookiecutter.project_slug}}"
    edit(source / "LICENSE", "All rights reserved.", "All rights reserved worldwide.")
    git(*USER, "commit", "-qam", "newer release", cwd=template)
    git("tag", "v99.0.0", cwd=template)
    update_to(project, "v99.0.0")

    assert "## Development (team)" in (project / "README.md").read_text()
    assert "All rights reserved worldwide." in (project / "LICENSE").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v99.0.0"
