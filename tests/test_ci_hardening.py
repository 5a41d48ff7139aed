"""CI a risk reviewer can sign off (#16): moves of the champion serialised and never
cancelled, registry calls bounded, CI's own tools and images pinned, local reusable
workflows in the form GitHub Enterprise Server runs, no answer expanded by GitLab."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, render

from extensions.jinja_phasegate import CI, TOOL_PINS
from extensions.validation import CHOICES

# The sessions that move the champion, or register the challenger a promotion moves to it
# (`respond` runs the rollback or the retraining an alert asks for).
MOVES = re.compile(r"nox -s (promote|rollback|retrain|respond)(?![\w-])")  # not respond-plan
DIGEST = re.compile(r"^[\w.:/-]+:[\w.-]+@sha256:[0-9a-f]{64}$")
GITLAB_KEYWORDS = {"default", "include", "stages", "variables", "workflow"}
SETUP_UV = "astral-sh/setup-uv@"
CHILD = ".gitlab-respond.yml"  # the child pipeline of GitLab's response to an alert


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(
        tmp_path_factory.mktemp("ci") / "project", tasks=False, ci_provider="both", compute="spark"
    )


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflows(project: Path) -> dict[str, dict]:
    found = {p.name: load(p) for p in sorted((project / ".github/workflows").glob("*.yml"))}
    assert {"ci.yml", "retrain.yml", "monitor.yml", "rollback.yml"} <= set(found)
    return found


def github_jobs(project: Path):
    for name, workflow in workflows(project).items():
        for job_name, job in workflow["jobs"].items():
            yield name, job_name, job, workflow


def steps_run(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def gitlab_jobs(pipeline: dict) -> dict[str, dict]:
    """Every job with its `extends` resolved (top-level keys: all this file needs)."""

    def resolved(job: dict) -> dict:
        merged: dict = {}
        parents = job.get("extends", [])
        for parent in [parents] if isinstance(parents, str) else parents:
            merged.update(resolved(pipeline[parent]))
        merged.update(job)
        return merged

    return {
        name: resolved(job)
        for name, job in pipeline.items()
        if isinstance(job, dict) and not name.startswith(".") and name not in GITLAB_KEYWORDS
    }


def script(job: dict) -> str:
    lines = job.get("script", [])
    return "\n".join([lines] if isinstance(lines, str) else lines)


# --- One group for every move of the champion, never cancelled in progress -------------------


def test_github_moves_share_one_group_that_is_never_cancelled(project):
    movers = {
        (f, name): job for f, name, job, _ in github_jobs(project) if MOVES.search(steps_run(job))
    }
    assert {
        ("ci.yml", "deploy-staging"),
        ("ci.yml", "deploy-production"),
        ("retrain.yml", "retrain"),
        ("rollback.yml", "rollback"),
    } <= set(movers)
    for where, job in movers.items():
        assert job.get("concurrency") == {
            "group": CI["champion_group"],
            "cancel-in-progress": False,
        }, where
    for name, workflow in workflows(project).items():
        # A workflow-level group that cancels would cancel the movers with the whole run:
        # allowed only where it is unique to the run outside pull requests (which never deploy).
        group = workflow.get("concurrency") or {}
        assert group.get("group") != CI["champion_group"], name
        if group.get("cancel-in-progress") is not False and group:
            assert (
                "github.event_name == 'pull_request' && github.ref || github.run_id"
                in (group["group"])
            ), name
    others = [
        job.get("concurrency", {}).get("group")
        for f, name, job, _ in github_jobs(project)
        if (f, name) not in movers
    ]
    assert CI["champion_group"] not in others


def test_an_alert_starts_the_retrain_or_rollback_workflow_with_its_reason(project):
    monitor = workflows(project)["monitor.yml"]["jobs"]
    assert "nox -s alerts" in steps_run(monitor["monitor"])
    assert monitor["monitor"]["outputs"]["response"] == "${{ steps.alerts.outputs.response }}"
    assert monitor["retrain"]["uses"] == "./.github/workflows/retrain.yml"
    assert monitor["rollback"]["uses"] == "./.github/workflows/rollback.yml"
    assert "'retrain'" in monitor["retrain"]["if"] and "'rollback'" in monitor["rollback"]["if"]
    assert monitor["rollback"]["with"] == {"reason": "${{ needs.monitor.outputs.reason }}"}
    called = workflows(project)["rollback.yml"][True]["workflow_call"]["inputs"]  # `on:` is True
    assert called["reason"]["required"] is True
    issues = next(s for s in monitor["monitor"]["steps"] if "alert-issues" in s.get("run", ""))
    assert issues["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    assert monitor["monitor"]["permissions"] == {"contents": "read", "issues": "write"}
    gitlab = gitlab_jobs(load(project / ".gitlab-ci.yml"))
    assert script(gitlab_jobs(load(project / CHILD))["rollback-after-alert"]) == (
        "nox -s respond -- rollback"
    )
    assert gitlab["alerts"]["allow_failure"] == {"exit_codes": [4]}


def test_a_gitlab_response_is_a_deployment_only_when_it_acts(project):
    """`respond-plan` writes the child pipeline `respond` runs: only the job of the move the
    alerts ask for is created (its rules are read here as GitLab reads them), and only a move
    declares the production environment, so GitLab records no deployment when nothing is done."""
    gitlab = gitlab_jobs(load(project / ".gitlab-ci.yml"))
    assert "environment" not in gitlab["respond-plan"] and "environment" not in gitlab["respond"]
    assert gitlab["respond"]["trigger"] == {
        "include": [{"artifact": "respond.yml", "job": "respond-plan"}],
        "strategy": "depend",
    }
    assert gitlab["respond-plan"]["artifacts"] == {"paths": ["respond.yml"]}
    child = gitlab_jobs(load(project / CHILD))
    created = {}
    for response in ("rollback", "retrain", "none"):
        (project / "reports").mkdir(exist_ok=True)
        (project / "reports/alerts.json").write_text(json.dumps({"response": response}))
        command = [sys.executable, "-m", "nox", "-s", "respond-plan"]
        subprocess.run(command, cwd=project, check=True, capture_output=True)
        plan = load(project / "respond.yml")
        assert plan["include"] == [{"local": CHILD}]
        condition = '$RESPONSE == "{}"'.format(plan["variables"]["RESPONSE"])
        created[response] = {
            name for name, job in child.items() if job["rules"] == [{"if": condition}]
        }
    assert created == {
        "rollback": {"rollback-after-alert"},
        "retrain": {"retrain-after-drift"},
        "none": {"no-response"},
    }
    assert {name: child[name].get("environment") for name in child} == {
        "rollback-after-alert": "production",
        "retrain-after-drift": "production",
        "no-response": None,
    }
    for name in ("rollback-after-alert", "retrain-after-drift"):  # the parent's alerts report
        assert child[name]["needs"] == [{"pipeline": "$PARENT_PIPELINE_ID", "job": "alerts"}]
    assert gitlab["respond"]["variables"] == {"PARENT_PIPELINE_ID": "$CI_PIPELINE_ID"}


def test_github_lint_and_tests_still_cancel_on_pull_requests(project):
    ci = workflows(project)["ci.yml"]
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert "concurrency" not in ci["jobs"]["checks"]  # the run's group, which cancels


def test_gitlab_moves_share_one_resource_group_and_are_not_interruptible(project):
    pipeline = load(project / ".gitlab-ci.yml")
    jobs = gitlab_jobs(pipeline)
    default_interruptible = pipeline["default"].get("interruptible", False)
    all_movers = set()
    for file in (".gitlab-ci.yml", CHILD):  # the child pipeline's moves queue with the others
        defined = load(project / file)
        found = gitlab_jobs(defined)
        interruptible = defined["default"].get("interruptible", False)
        movers = {name for name, job in found.items() if MOVES.search(script(job))}
        all_movers |= movers
        for name in movers:
            assert found[name].get("resource_group") == CI["champion_group"], name
            assert found[name].get("interruptible", interruptible) is False, name
        for name, job in found.items():
            if name not in movers:
                assert "resource_group" not in job, name
    assert {
        "deploy-staging",
        "deploy-production",
        "rollback-after-failed-deploy",
        "retrain",
        "retrain-after-drift",
        "rollback-after-alert",
        "rollback",
    } <= all_movers
    for name in ("lint", "tests"):  # a newer pipeline may still cancel the checks
        assert jobs[name].get("interruptible", default_interruptible) is True


# --- Registry calls bounded ---------------------------------------------------------------


def worst_case_seconds(settings: dict[str, str]) -> float:
    """MLflow's HTTP client (urllib3 Retry): every attempt may time out, then back off."""
    timeout = int(settings["MLFLOW_HTTP_REQUEST_TIMEOUT"])  # MLflow parses these three as int
    retries = int(settings["MLFLOW_HTTP_REQUEST_MAX_RETRIES"])
    factor = int(settings["MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"])
    jitter = float(settings["MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"])
    backoff = sum(factor * 2 ** (errors - 1) for errors in range(2, retries + 1))
    return (retries + 1) * timeout + backoff + retries * jitter


def test_registry_settings_fail_within_30_seconds():
    assert worst_case_seconds(CI["mlflow_http"]) <= 30
    assert int(CI["mlflow_http"]["MLFLOW_HTTP_REQUEST_MAX_RETRIES"]) >= 1  # one blip is retried


def test_every_job_that_reaches_the_registry_has_the_bounds(project):
    expected = CI["mlflow_http"]
    for name, workflow in workflows(project).items():
        env = workflow.get("env", {})
        assert "MLFLOW_TRACKING_URI" in env, name
        assert {key: env.get(key) for key in expected} == expected, name
    variables = load(project / ".gitlab-ci.yml")["variables"]
    assert {key: variables.get(key) for key in expected} == expected
    for name, job in gitlab_jobs(load(project / ".gitlab-ci.yml")).items():
        overridden = set(job.get("variables", {})) & set(expected)
        assert not overridden, name


# --- CI's own tools pinned ----------------------------------------------------------------


def requirements(project: Path) -> dict[str, str]:
    lines = (project / CI["requirements"]).read_text(encoding="utf-8").splitlines()
    pins = [line.split("#")[0].strip() for line in lines]
    return dict(re.fullmatch(r"([a-z]+)==([\w.]+)", pin).groups() for pin in pins if pin)


def test_uv_and_nox_are_pinned_in_one_file(project):
    assert requirements(project) == {"uv": TOOL_PINS["uv"], "nox": TOOL_PINS["nox"]}


def test_github_jobs_get_uv_and_nox_from_the_pinned_file(project):
    action = load(project / ".github/actions/setup/action.yml")
    setup_uv = [s for s in action["runs"]["steps"] if s.get("uses", "").startswith(SETUP_UV)]
    assert len(setup_uv) == 1
    assert setup_uv[0]["with"]["version-file"] == CI["requirements"]
    assert "version" not in setup_uv[0]["with"]
    installs = steps_run(action["runs"])
    assert f"uv tool install --constraints {CI['requirements']} nox" in installs

    for f, name, job, _ in github_jobs(project):
        uses = [step.get("uses", "") for step in job.get("steps", [])]
        assert not [u for u in uses if u.startswith(SETUP_UV)], (f, name)  # only in the action
        commands = steps_run(job)
        assert not re.search(r"\buvx\b|pip install", commands), (f, name)
        if "nox -s" in commands:
            assert "./.github/actions/setup" in uses, (f, name)


def test_gitlab_installs_the_pinned_file_in_a_pinned_image(project):
    pipeline = load(project / ".gitlab-ci.yml")
    images = [pipeline["default"]["image"]]
    images += [job["image"] for job in gitlab_jobs(pipeline).values() if "image" in job]
    for image in images:
        assert DIGEST.match(image if isinstance(image, str) else image["name"]), image
    before = [pipeline["default"]["before_script"]]
    before += [
        job["before_script"] for job in gitlab_jobs(pipeline).values() if "before_script" in job
    ]
    pip = [line for lines in before for line in lines if "pip install" in line]
    assert pip and all(f"-r {CI['requirements']}" in line for line in pip), pip


@pytest.mark.parametrize("python_version", CHOICES["python_version"])
def test_every_python_version_has_an_image_digest(python_version):
    digest = CI["image_digests"][python_version]
    assert DIGEST.match(f"python:{python_version}-slim@{digest}")


def test_renovate_keeps_the_pins_fresh(project):
    renovate = json.loads((project / "renovate.json").read_text(encoding="utf-8"))
    patterns = renovate["pip_requirements"]["managerFilePatterns"]
    assert any(re.search(p.strip("/").replace("\\\\", "\\"), CI["requirements"]) for p in patterns)
    docker = [
        rule for rule in renovate["packageRules"] if "docker" in rule.get("matchDatasources", [])
    ]
    assert docker and all(rule["pinDigests"] is True for rule in docker)
    assert "helpers:pinGitHubActionDigests" in renovate["extends"]


# --- Local reusable workflows in the form GitHub Enterprise Server runs ---------------------


def test_local_workflows_and_actions_use_the_dot_slash_form(project):
    local = []
    for _, _, job, _ in github_jobs(project):
        local += [job["uses"]] if "uses" in job else []
        local += [s["uses"] for s in job.get("steps", []) if "uses" in s]
    local = [u for u in local if "@" not in u]
    assert "./.github/workflows/retrain.yml" in local
    for uses in local:
        assert uses.startswith("./"), uses  # not `$/`: github.com only, recent runners only
        target = project / uses
        assert target.is_file() or (target / "action.yml").is_file(), uses


def test_zizmor_is_quiet_about_the_dot_slash_form_for_a_stated_reason(project):
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor is part of the template's test dependencies"
    config = (project / ".github/zizmor.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(config)["rules"]["self-repository"] == {"disable": True}
    assert "Enterprise Server" in config  # the reason, next to the setting

    def findings(*options: str) -> list[str]:
        result = subprocess.run(
            [zizmor, "--offline", "--format", "json", *options, ".github/workflows/monitor.yml"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        return [finding["ident"] for finding in json.loads(result.stdout)]

    assert "self-repository" in findings("--no-config")  # the audit would fire without it
    assert findings() == []


# --- Answers reaching .gitlab-ci.yml ---------------------------------------------------------


def test_every_free_text_answer_in_gitlab_ci_goes_through_the_gitlab_filter():
    [template] = (REPO / "template").glob("*/*.gitlab-ci.yml*")
    expressions = re.findall(r"\{\{(.*?)\}\}", template.read_text(encoding="utf-8"))
    answers = [(expr, set(re.findall(r"cookiecutter\.(\w+)", expr))) for expr in expressions]
    assert any("project_name" in names for _, names in answers)
    for expr, names in answers:
        if names - set(CHOICES):  # a free-text answer: GitLab would expand its `$`
            assert re.search(r"\|\s*gitlab\s*$", expr), expr
