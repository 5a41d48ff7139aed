"""Compile each Jinja source once per process, and keep the code between runs.

Copier compiles every string it renders anew: each part of each path (``src``,
``{{cookiecutter.package_name}}``), the answers file's name once per file, the questions'
defaults and validators. `copier update` renders the project three times (the old release,
the new one, the result), so one update compiled about 3,000 sources, a third of its time.

Compiling is a pure function of the source and of the environment's syntax settings, so
the code objects are kept in a process-wide table keyed by both. The table outlives one
environment on purpose: the three renders use three environments with the same settings.
It lives in ``sys.modules`` because each template version loads its own copy of this
module (see ``jinja_phasegate._load_sibling``).

Files are kept between runs by Jinja's bytecode cache (``bytecode_cache``); strings are not,
and the 300 of a copy took 0.13 s to compile, an eighth of the render. So the code of the
strings a process used is also written, at its exit, to one file in the same cache folder,
and read back by the next run. The file holds Python's bytecode magic number and Jinja's
version, and is ignored when either differs; a damaged or unwritable file only means
compiling as before. Only what the last process used is kept: the file does not grow.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import jinja2

_TABLE = "phasegate_jinja_compiled"
STORE = "strings.marshal"


def _state() -> ModuleType:
    """The process-wide table, and what the store on disk gave and this process used."""
    if _TABLE not in sys.modules:
        module = ModuleType(_TABLE, "Jinja code objects by (settings, source); see compile_cache")
        module.compiled = {}  # type: ignore[attr-defined]
        sys.modules[_TABLE] = module
    state = sys.modules[_TABLE]
    if not hasattr(state, "stores"):  # also when an older release's copy made the table
        # For each store (a file): {key: code} as read from it, and as used by this process.
        state.stores = {}  # type: ignore[attr-defined]
        state.used = {}  # type: ignore[attr-defined]
        atexit.register(save, state)
    return state


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


def _stored_key(key: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()


def read(store: Path) -> dict[str, CodeType]:
    """The code a previous run kept in ``store``; nothing when absent, stale or damaged."""
    try:
        magic, version, codes = marshal.loads(store.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if magic != MAGIC_NUMBER or version != jinja2.__version__ or not isinstance(codes, dict):
        return {}
    return codes


def save(state: ModuleType) -> None:
    """Write what this process used to each store, if it compiled anything new there."""
    for store, used in state.used.items():
        if used.keys() <= state.stores.get(store, {}).keys():
            continue
        with contextlib.suppress(OSError, ValueError):
            handle, temporary = tempfile.mkstemp(dir=store.parent, prefix=f".{store.name}.")
            with os.fdopen(handle, "wb") as file:
                file.write(marshal.dumps((MAGIC_NUMBER, jinja2.__version__, used)))
            os.replace(temporary, store)  # whole or not at all, whoever writes last


def install(environment: Any, store: Path | None = None) -> None:
    """Make ``environment.compile`` remember what it compiled (strings only), in this process
    and, with ``store`` (a file in the user's cache folder), between runs.

    Called while the environment loads its extensions: its settings are read at each
    compile, once they are all in place.
    """
    compile_source = environment.compile
    state = _state()
    compiled = state.compiled
    if store is not None and store not in state.stores:
        state.stores[store] = read(store)
        state.used[store] = {}

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
            stored = _stored_key(key) if store is not None else ""
            kept = state.stores[store].get(stored) if store is not None else None
            compiled[key] = kept or compile_source(source, name, filename, raw, defer_init)
            if store is not None:
                state.used[store][stored] = compiled[key]
        return compiled[key]

    environment.compile = compile_once
