"""Every check a developer or CI runs is a session here: `nox -l` lists them.

`nox` alone runs lint, tests and the pipeline (validate → train → evaluate).
CI jobs call these sessions and hold no logic of their own.
"""

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "tests", "pipeline"]

PACKAGE = "{{ cookiecutter.package_name }}"


def install(session: nox.Session, *groups: str, project: bool = True) -> None:
    """The project (editable) and the named dependency groups of pyproject.toml."""
    group_args = [arg for group in groups for arg in ("--group", group)]
    session.install(*(["-e", "."] if project else []), *group_args)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    install(session, "lint", project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """The project's own tests (pytest)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


def _cli_session(verb: str, help_text: str) -> None:
    def run_verb(session: nox.Session) -> None:
        install(session)
        session.run(PACKAGE, verb, *session.posargs)

    run_verb.__doc__ = help_text
    nox.session(name=verb)(run_verb)


_cli_session("validate", "Phase 2: validate the data against the schema (blocking in CI).")
_cli_session("train", "Phase 3: train the model on validated data.")
_cli_session("evaluate", "Phase 3: evaluate against the baseline on the business metric.")
_cli_session("pipeline", "validate → train → evaluate in one process.")
