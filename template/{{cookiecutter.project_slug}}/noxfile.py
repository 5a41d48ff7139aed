"""Every check a developer or CI runs is a session here: `nox -l` lists them.

`nox` alone runs lint and the fast tests: seconds, the loop to run before every commit.
`nox -s integration` runs the registry drills and the rest of the slower tests, `nox -s pipeline`
validate → train → evaluate on the project's data (CI runs all three, the pipeline as its steps);
`nox -s gate` checks the phase gates against the documents and the pipeline's reports.
CI jobs call these sessions and hold no logic of their own.
"""

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["lint", "tests"]

PACKAGE = "{{ cookiecutter.package_name }}"
# What the tests and the verbs' environment holds besides the package and its dependencies.
PROJECT_GROUPS = ["test"{% if cookiecutter.serving == "http" %}, "serve"{% endif %}]


def install(session: nox.Session, *groups: str, project: bool = True) -> None:
    """Exactly the versions in uv.lock: the project (editable) and the named groups.

    `--locked` fails when pyproject.toml changed after the last `uv lock`, so CI never
    resolves versions of its own.
    """
    flag = "--group" if project else "--only-group"
    venv = session.virtualenv.location
    session.run_install(
        *("uv", "sync", "--locked", "--no-default-groups", f"--python={venv}"),
        *(arg for group in groups for arg in (flag, group)),
        env={"UV_PROJECT_ENVIRONMENT": venv},
    )


def run_in_project_environment(
    session: nox.Session, *command: str, extra: Sequence[str] = (), **env: str
) -> None:
    """`command` in the environment the tests and every verb share: .nox/project (the package,
    its dependencies and PROJECT_GROUPS), or .nox/project-GROUP with extra groups.
    `uv run --locked --exact` keeps it to exactly the versions in uv.lock. An environment per
    session would install the dependencies again and compile them on first import: seconds
    for each session's first run."""
    environment = Path(__file__).parent / ".nox" / "-".join(["project", *extra])
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")  # beside nox
    options = ["--locked", "--exact", "--no-default-groups", f"--python={sys.executable}"]
    options += [arg for group in [*PROJECT_GROUPS, *extra] for arg in ("--group", group)]
    session.run(
        *(uv, "run", *options, *command),
        env={**env, "UV_PROJECT_ENVIRONMENT": str(environment), "VIRTUAL_ENV": None},
        external=True,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    install(session, "lint", project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy on the package (settings in pyproject.toml), against its dependencies' own types."""
    install(session, "typecheck"{% if cookiecutter.compute == "spark" %}, "spark"{% endif %}{% if cookiecutter.serving == "http" %}, "serve"{% endif %})
    session.run("mypy", *session.posargs)


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """The fast tests, seconds in all: every test but the integration ones{% if cookiecutter.compute == "spark" %} and Spark's{% endif %}."""
    marks = "not integration{% if cookiecutter.compute == "spark" %} and not spark{% endif %}"
    run_in_project_environment(session, "pytest", "-m", marks, *session.posargs)


@nox.session(venv_backend="none")
def integration(session: nox.Session) -> None:
    """The model lifecycle on a real registry, governance{% if cookiecutter.serving == "http" %}, the HTTP service{% endif %}, import checks (CI)."""
    marks = "integration{% if cookiecutter.compute == "spark" %} and not spark{% endif %}"
    run_in_project_environment(session, "pytest", "-m", marks, *session.posargs)
{%- if cookiecutter.compute == "spark" %}


@nox.session(venv_backend="none")
def spark(session: nox.Session) -> None:
    """The Spark engine's tests: PySpark in local mode (needs Java 17 or later)."""
    run_in_project_environment(session, "pytest", "-m", "spark", *session.posargs, extra=["spark"])
{%- endif %}


@nox.session
def security(session: nox.Session) -> None:
    """Bandit rules (ruff S), secret scan, SBOM, dependency audit (`-- --skip-audit` offline)."""
    install(session, "security")
    session.run("ruff", "check", "--select", "S", ".")
    tracked = session.run("git", "ls-files", external=True, silent=True).split()
    session.run("detect-secrets-hook", "--baseline", ".secrets.baseline", *tracked)
    Path("reports").mkdir(exist_ok=True)
    session.run("cyclonedx-py", "environment", "--of", "JSON", "-o", "reports/sbom.cdx.json")
    if "--skip-audit" not in session.posargs:  # needs the vulnerability database online
        # Every locked package of every group, not only what this session installed.
        locked = "reports/requirements.lock.txt"
        export = ("--locked", "--all-groups", "--no-emit-project", "--quiet", "-o", locked)
        session.run("uv", "export", *export)
        session.run("pip-audit", "-r", locked, "--disable-pip", "--progress-spinner", "off")


@nox.session(name="template-check", venv_backend="none")
def template_check(session: nox.Session) -> None:
    """Template version at or above the platform minimum, no update leftovers, catalog in line."""
    session.run("python", "tools/template_check.py", *session.posargs, external=True)


def _cli_session(verb: str, help_text: str, name: str | None = None) -> None:
    def run_verb(session: nox.Session) -> None:
{%- if cookiecutter.compute == "spark" %}
        on_spark = {"spark", "--engine=spark"} & set(session.posargs)  # `-- --engine spark`
        extra = ["spark"] if on_spark else []
        run_in_project_environment(session, PACKAGE, verb, *session.posargs, extra=extra)
{%- else %}
        run_in_project_environment(session, PACKAGE, verb, *session.posargs)
{%- endif %}

    run_verb.__doc__ = help_text
    nox.session(name=name or verb, venv_backend="none")(run_verb)


_cli_session("validate", "Phase 2: validate the data against the schema (blocking in CI).")
_cli_session("train", "Phase 3: train the model on validated data.")
_cli_session("evaluate", "Phase 3: evaluate against the baseline on the business metric.")
_cli_session("pipeline", "validate → train → evaluate in one process.")
# Not a default session: a fresh project must fail gate 1 until phases/1-define/ is filled in.
_cli_session("gate", "Phase gates (gates.toml) up to the claimed phase; `-- --phase N --format`.")

_cli_session("experiment", "Compare model families on the business metric: `-- [--family NAME]`.")


@nox.session(name="mlflow-ui", venv_backend="none")
def mlflow_ui(session: nox.Session) -> None:
    """MLflow's UI on the embedded store (runs, experiments, model versions): 127.0.0.1:5000."""
    store = "sqlite:///mlflow.db"
    ui = ["mlflow", "ui", "--backend-store-uri", store, "--host", "127.0.0.1"]
    run_in_project_environment(session, *ui)


# Phase 4, the model lifecycle: the registry is ./mlflow.db unless MLFLOW_TRACKING_URI is set.
_cli_session("retrain", "Validate, train a challenger, promote it if it beats the champion.")
_cli_session("promote", "Challenger (or `-- --version V`) to champion: `-- --reason TEXT`.")
_cli_session("rollback", "Champion back to the previous version: `-- --reason TEXT [--to V]`.")
_cli_session("smoke", "Load the champion (`-- --alias challenger`), check its hash, predict.")
_cli_session("predict", "Batch prediction with the champion: `-- INPUT OUTPUT [--rejects PATH]`.")
_cli_session("monitor", "Drift against the champion's training data; exit 4 asks for action.")
_cli_session("simulate-drift", "Write a drifted copy of the data: `-- OUTPUT [--shift 0.3]`.")

# Phase 5, operating on evidence: outcomes joined to the prediction log.
_cli_session("outcomes", "Add realized outcomes and reconcile them with the log: `-- FILE`.")
_cli_session("simulate-outcomes", "Made-up outcomes for the log: `-- [--seed N --decay DATE]`.")
_cli_session("performance", "Cost, saving, ROI and adoption on outcomes: `-- [--window 30d]`.")
# Every threshold judged, the people told and the move an alert asks for (the scheduled
# monitor job in CI runs performance and these after `monitor`).
_cli_session("alerts", "Every threshold on the latest reports → reports/alerts.json; exit 4 acts.")


@nox.session(name="alert-issues", venv_backend="none")
def alert_issues(session: nox.Session) -> None:
    """One issue per crossed threshold, updated while open (a token in CI; `-- --dry-run`)."""
    session.run("python", "tools/open_alert_issues.py", *session.posargs, external=True)


@nox.session(venv_backend="none")
def respond(session: nox.Session) -> None:
    """The move reports/alerts.json asks for: `-- retrain` or `-- rollback`; nothing otherwise."""
    run_in_project_environment(session, PACKAGE, "alerts", "--respond", *session.posargs)
{%- if cookiecutter.ci_provider != "github" %}


@nox.session(name="respond-plan", venv_backend="none")
def respond_plan(session: nox.Session) -> None:
    """GitLab: respond.yml, the child pipeline of the move reports/alerts.json asks for."""
    import json

    alerts = Path("reports/alerts.json")
    if not alerts.is_file():
        session.error(f"{alerts} not found: the alerts job writes it")
    response = json.loads(alerts.read_text(encoding="utf-8")).get("response")
    if response not in ("rollback", "retrain", "none"):
        session.error(f"{alerts}: response {response!r} is not rollback, retrain or none")
    child = f'include:\n  - local: .gitlab-respond.yml\nvariables:\n  RESPONSE: "{response}"\n'
    Path("respond.yml").write_text(child, encoding="utf-8")
    session.log(f"respond.yml: the child pipeline runs {response!r}")
{%- endif %}


# Phase 5, governance: model card, datasheet, update policy and audit table in governance/.
_cli_session(
    "governance", "Write governance/ records from the champion's report and the reports.", "report"
)


@nox.session(name="report-check", venv_backend="none")
def report_check(session: nox.Session) -> None:
    """Fail when a generated governance record differs from the champion's report (for CI)."""
    run_in_project_environment(session, PACKAGE, "governance", "--check", *session.posargs)
{%- if cookiecutter.serving == "http" %}


@nox.session(venv_backend="none")
def serve(session: nox.Session) -> None:
    """The HTTP service (/predict, /health) with the champion on 127.0.0.1:8000 (-- --port N).

    On 127.0.0.1 it is local development: no token needed. With `-- --host H` it needs
    PHASEGATE_API_TOKEN, as every deployment does (README.md, "Serving").
    """
    app = f"{PACKAGE}.serving.app:create_app"
    local = "1" if not any(arg.startswith("--host") for arg in session.posargs) else ""
    command = ["uvicorn", "--factory", app, "--host", "127.0.0.1", *session.posargs]
    run_in_project_environment(session, *command, PHASEGATE_API_LOCAL=local)
{%- endif %}
