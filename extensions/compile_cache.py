"""Compile each Jinja source once per process (why `copier update` takes seconds, not more).

Copier compiles every string it renders anew: each part of each path (``src``,
``{{cookiecutter.package_name}}``), the answers file's name once per file, and every file
of the template. `copier update` renders the project three times (the old release, the new
one, the result), so one update compiled about 3,000 sources, a third of its time.

Compiling is a pure function of the source and of the environment's syntax settings, so
the code objects are kept in a process-wide table keyed by both. The table outlives one
environment on purpose: the three renders use three environments with the same settings.
It lives in ``sys.modules`` because each template version loads its own copy of this
module (see ``jinja_phasegate._load_sibling``).
"""

from __future__ import annotations

import sys
from types import CodeType, ModuleType
from typing import Any

_TABLE = "phasegate_jinja_compiled"


def _table() -> dict[tuple[Any, ...], CodeType]:
    if _TABLE not in sys.modules:
        module = ModuleType(_TABLE, "Jinja code objects by (settings, source); see compile_cache")
        module.compiled = {}  # type: ignore[attr-defined]
        sys.modules[_TABLE] = module
    return sys.modules[_TABLE].compiled  # type: ignore[no-any-return]


def settings(environment: Any) -> tuple[Any, ...]:
    """Everything of the environment that changes the code Jinja generates."""
    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        environment.optimized,
        environment.autoescape if isinstance(environment.autoescape, bool) else id(environment),
        environment.finalize is not None,
        environment.is_async,
    )


def install(environment: Any) -> None:
    """Make ``environment.compile`` remember what it compiled (strings only).

    Called while the environment loads its extensions: its settings are read at each
    compile, once they are all in place.
    """
    compile_source = environment.compile
    compiled = _table()

    def compile_once(
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if raw or not isinstance(source, str):
            return compile_source(source, name, filename, raw, defer_init)
        # Not keyed on filename: the same file of two template clones compiles the same
        # (the file name only labels tracebacks, and the clones are deleted after use).
        key = (settings(environment), source, name, defer_init)  # settings: extensions loaded
        if key not in compiled:
            compiled[key] = compile_source(source, name, filename, raw, defer_init)
        return compiled[key]

    environment.compile = compile_once
