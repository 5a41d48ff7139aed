"""Jinja extensions that copier loads (through copier-template-extensions).

- ``PhasegateFilters``: the escaping filters (one per target language), the
  ``validate_answer`` filter behind every copier validator, and the pinned
  tool versions that generated files share.
- ``CookiecutterNamespace``: exposes copier's answers as ``cookiecutter.*`` so
  the same template files serve copier and cookiecutter.
"""

from __future__ import annotations

import hashlib
import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2 import pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context
from jinja2.utils import missing

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent


def _load_sibling(name: str) -> ModuleType:
    """This template copy's own module, never one cached from another version or copy.

    `copier update` renders two template versions in one process; a plain import
    would hand the newer version the older one's module from sys.modules. The key
    includes the path: the modules read the files beside them (copier.yml, the
    generated pyproject.toml), and copier deletes each clone of the template after use.
    """
    path = Path(__file__).resolve().with_name(f"{name}.py")
    unique = hashlib.sha256(str(path).encode() + b"\0" + path.read_bytes()).hexdigest()[:16]
    module_name = f"phasegate_{name}_{unique}"
    if module_name not in sys.modules:
        spec = spec_from_file_location(module_name, path)
        assert spec and spec.loader
        module = module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


compile_cache = _load_sibling("compile_cache")
bytecode_cache = _load_sibling("bytecode_cache")
file_mode = _load_sibling("file_mode")
escaping = _load_sibling("escaping")
validation = _load_sibling("validation")

# Versions of the tools a generated project pins in more than one file.
TOOL_PINS = {
    "ruff": "0.17.6",
    "pre_commit_hooks": "6.0.0",
    "detect_secrets": "1.5.0",
    "uv": "0.13.9",
    "nox": "2026.10.20",
}

# CI facts every pipeline file shares (GitHub workflows, their setup action, .gitlab-ci.yml).
CI = {
    # The one concurrency group (GitHub) and resource group (GitLab) of every job that moves
    # the champion or the challenger it is promoted from: never two at once, never cancelled.
    "champion_group": "champion",
    # uv and nox at exact versions (TOOL_PINS'); Renovate's pip_requirements manager updates them.
    "requirements": "tools/ci-requirements.txt",
    # Registry calls bounded (MLflow's HTTP client): 3 attempts of at most 8 s plus 2 s of
    # backoff (and up to 1 s of jitter) give up within 30 s instead of minutes.
    "mlflow_http": {
        "MLFLOW_HTTP_REQUEST_TIMEOUT": "8",
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
        "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
        "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "0.5",
    },
    # The digest of GitLab's image, python:<python_version>-slim (Renovate updates it).
    "image_digests": {
        "3.11": "sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7",
        "3.12": "sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea",
        "3.13": "sha256:9d2e5553305c7c7b0097999bb17187c69b921ccd6bc9d40e4bb5ebe652c00285",
    },
}


@pass_context
def validate_answer(context: Context, name: str) -> str:
    """copier validator: '' when the answer called ``name`` is fine."""
    return str(validation.check(name, context))


class PhasegateFilters(Extension):
    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        cache = bytecode_cache.folder()  # the user's cache folder for phasegate's templates
        compile_cache.install(environment, cache / compile_cache.STORE if cache else None)
        bytecode_cache.install(environment, lambda: compile_cache.settings(environment), cache)
        file_mode.install(environment)
        environment.filters.update(escaping.FILTERS)
        environment.filters["validate_answer"] = validate_answer
        environment.filters["slug_from_name"] = validation.slug_from_name
        environment.filters["package_from_slug"] = validation.package_from_slug
        environment.globals["tool_pins"] = TOOL_PINS
        environment.globals["ci"] = CI
        environment.globals["template_root"] = str(TEMPLATE_ROOT)


class CookiecutterNamespace(Extension):
    """Answers under ``cookiecutter.``, as cookiecutter provides them.

    Looked up when a template names ``cookiecutter``, not built for every render: copier
    renders each part of each path and its answers file's name too, about 1,300 renders
    per copy, and most never use the namespace. While questions are still being asked (or
    validated) there is no namespace, as cookiecutter has none then either.
    """

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)

        class NamespaceContext(environment.context_class):  # type: ignore[misc]
            def resolve_or_missing(self, key: str) -> Any:
                value = super().resolve_or_missing(key)
                if value is missing and key == "cookiecutter":
                    return cookiecutter_answers(self.parent)
                return value

        environment.context_class = NamespaceContext


def cookiecutter_answers(context: dict[str, Any]) -> Any:
    """The answers of a render (copier's ``_copier_phase`` is "render"), else undefined."""
    if context.get("_copier_phase") != "render":
        return missing
    return {
        name: value
        for name, value in context.items()
        if not name.startswith("_") and name != "cookiecutter" and not callable(value)
    }
