"""Every combination of the choice questions renders a complete, lint-clean tree."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tomllib

import pytest
import yaml
from conftest import render

from extensions.validation import CHOICES

PHASE_DOCUMENTS = [
    "phases/README.md",
    "phases/1-define/problem-statement.md",
    "phases/1-define/success-metrics.md",
    "phases/2-data/data-audit.md",
    "phases/3-proof-of-concept/poc-plan.md",
    "phases/4-production/production-plan.md",
    "phases/5-operate/operating-plan.md",
]
ALWAYS = [
    ".copier-answers.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "LICENSE",
    "README.md",
    "noxfile.py",
    "pyproject.toml",
    "data/raw/breast_cancer.csv",
    "governance/README.md",
    *PHASE_DOCUMENTS,
]
GITHUB_WORKFLOWS = ["ci", "retrain", "monitor", "rollback"]
SPARK_MODULES = [f"engines/spark{part}.py" for part in ("", "_data", "_train", "_predict")]
HTTP_MODULES = [f"serving/{name}.py" for name in ("__init__", "app", "access", "rows", "batching")]
HTTP_FILES = ["tests/test_serve.py", "tools/serve_bench.py"]
PIPELINE_FILES = {
    "github": [
        *(f".github/workflows/{name}.yml" for name in GITHUB_WORKFLOWS),
        ".github/actions/setup/action.yml",  # uv and nox for every job
        ".github/zizmor.yml",
    ],
    "gitlab": [".gitlab-ci.yml", ".gitlab-respond.yml"],  # the child pipeline of a response
}
# Every combination of the choices that decide which files exist and what code runs; the
# choices that only change document text (KPI direction, risk tier) take each of their values
# in turn across those combinations, so every value is rendered and linted many times.
FILE_CHOICES = ["ci_provider", "serving", "compute", "python_version", "license"]
TEXT_CHOICES = [name for name in CHOICES if name not in FILE_CHOICES]
COMBINATIONS = [
    {
        **dict(zip(FILE_CHOICES, values, strict=True)),
        **{name: CHOICES[name][i % len(CHOICES[name])] for name in TEXT_CHOICES},
    }
    for i, values in enumerate(itertools.product(*(CHOICES[n] for n in FILE_CHOICES)))
]


def test_every_choice_value_is_rendered():
    for name, values in CHOICES.items():
        assert {combination[name] for combination in COMBINATIONS} == set(values), name


def test_default_tree(default_project):
    files = {p.relative_to(default_project).as_posix() for p in default_project.rglob("*")}
    assert set(ALWAYS) <= files
    modules = ("cli/__init__", "data/schema", "model/train", "model/evaluate", "gates/judge")
    assert {f"src/churn_guard/{m}.py" for m in modules} <= files
    assert ".gitlab-ci.yml" not in files
    assert "uv.lock" in files  # written by the copy task
    assert not any("{{" in name or "{%" in name for name in files)


@pytest.mark.parametrize("choices", COMBINATIONS, ids=["-".join(c.values()) for c in COMBINATIONS])
def test_combination(tmp_path, template_files, choices):
    slug = "p-" + "-".join(v.lower().replace(".", "")[:5] for v in choices.values())
    answers = {"project_name": "Matrix", "project_slug": slug, **choices}
    project = render(tmp_path / "p", tasks=False, source=template_files, **answers)
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert set(ALWAYS) <= files
    expected = {
        file
        for provider, pipeline_files in PIPELINE_FILES.items()
        if choices["ci_provider"] in (provider, "both")
        for file in pipeline_files
    }
    assert {f for f in files if f.startswith((".github/", ".gitlab"))} == expected
    package = f"src/{slug.replace('-', '_')[:30].rstrip('_')}"
    spark = choices["compute"] == "spark"
    spark_files = {f"{package}/{m}" for m in SPARK_MODULES} | {"tests/test_spark.py"}
    assert spark_files & files == (spark_files if spark else set())
    http_files = {f"{package}/{m}" for m in HTTP_MODULES} | set(HTTP_FILES)
    assert http_files & files == (http_files if choices["serving"] == "http" else set())

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert ("spark" in pyproject["dependency-groups"]) is spark
    assert ("spark" in pyproject["tool"]["phasegate"]) is spark
    assert ("pandas>=2.2,<3" in pyproject["project"]["dependencies"]) is spark
    assert pyproject["project"]["requires-python"] == f">={choices['python_version']}"
    assert pyproject["project"].get("license", "Proprietary") == choices["license"]
    assert pyproject["tool"]["phasegate"]["business"]["kpi_direction"] == choices["kpi_direction"]
    for path in project.rglob("*.y*ml"):
        yaml.safe_load(path.read_text())
    license_text = (project / "LICENSE").read_text()
    assert {
        "MIT": "MIT License",
        "BSD-3-Clause": "BSD 3-Clause",
        "Apache-2.0": "Apache License",
    }.get(choices["license"], "All rights reserved") in license_text

    ruff = shutil.which("ruff")
    assert ruff, "ruff is part of the test dependencies"
    for command in ([ruff, "check", "-q", "."], [ruff, "format", "--check", "-q", "."]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
