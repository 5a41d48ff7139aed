"""Keep the template's compiled files between runs (Jinja's bytecode cache).

Compiling is most of a render's own work: Jinja parses each file, generates Python for it and
compiles that, anew in every copier process. Jinja can keep the compiled code on disk and
reuse it while the source is unchanged: each entry holds the checksum of its source, and
Jinja's format and Python's version, and is compiled again when any differs. Entries are
named by the file's name in the template and the environment's syntax settings
(``compile_cache.settings``), not by its path, because copier renders from a fresh clone in
a temporary folder each time; so a file has one entry, replaced when the file changes, and
the folder (about 1.5 MB) does not grow with releases. It is the user's cache folder for
phasegate (``platformdirs``, which copier depends on); when it cannot be written, templates
are compiled as before.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


class ByName(FileSystemBytecodeCache):
    def __init__(self, folder: Path, settings: Callable[[], object]) -> None:
        super().__init__(str(folder))
        self.settings = settings  # read at each lookup: extensions load after this one

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = repr((jinja2.__version__, self.settings(), name))
        return hashlib.sha256(key.encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):  # unreadable or damaged: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # not writable: the render goes on without it
            super().dump_bytecode(bucket)


def folder() -> Path | None:
    try:
        from platformdirs import user_cache_path
    except ImportError:
        return None
    return user_cache_path("phasegate") / "jinja"


def install(environment: Any, settings: Callable[[], object], where: Path | None = None) -> None:
    """Keep ``environment``'s compiled template files in ``where`` (the user's cache)."""
    where = where or folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment.bytecode_cache = ByName(where, settings)
