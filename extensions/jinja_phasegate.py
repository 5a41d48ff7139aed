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


escaping = _load_sibling("escaping")
validation = _load_sibling("validation")

# Versions of the tools a generated project pins in more than one file.
TOOL_PINS = {
    "ruff": "0.17.6",
    "pre_commit_hooks": "6.0.0",
    "detect_secrets": "1.5.0",
    "uv": "0.13.9",
}


@pass_context
def validate_answer(context: Context, name: str) -> str:
    """copier validator: '' when the answer called ``name`` is fine."""
    return validation.check(name, context)


class PhasegateFilters(Extension):
    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters.update(escaping.FILTERS)
        environment.filters["validate_answer"] = validate_answer
        environment.filters["slug_from_name"] = validation.slug_from_name
        environment.filters["package_from_slug"] = validation.package_from_slug
        environment.globals["tool_pins"] = TOOL_PINS
        environment.globals["template_root"] = str(TEMPLATE_ROOT)


try:
    from copier_template_extensions import ContextHook
except ImportError:  # cookiecutter does not need the namespace hook
    ContextHook = None

if ContextHook is not None:

    class CookiecutterNamespace(ContextHook):
        """Answers under ``cookiecutter.``, as cookiecutter provides them."""

        def hook(self, context: dict[str, Any]) -> None:
            if context.get("_copier_phase") != "render":
                return  # questions are still being asked (or validated)
            answers = {
                name: value
                for name, value in context.items()
                if not name.startswith("_") and name != "cookiecutter" and not callable(value)
            }
            context["cookiecutter"] = answers
