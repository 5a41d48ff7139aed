"""Jinja extensions that copier loads (through copier-template-extensions).

- ``PhasegateFilters``: the escaping filters (one per target language), the
  ``validate_answer`` filter behind every copier validator, and the pinned
  tool versions that generated files share.
- ``CookiecutterNamespace``: exposes copier's answers as ``cookiecutter.*`` so
  the same template files serve copier and cookiecutter.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from extensions import escaping, validation

# Versions of the tools a generated project pins in more than one file.
TOOL_PINS = {
    "ruff": "0.17.6",
    "pre_commit_hooks": "6.0.0",
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
        environment.globals["tool_pins"] = TOOL_PINS


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
