"""Ask git for ``core.fileMode`` once per render, not once per rendered file.

After writing each file, copier (9.1x) runs ``git config --type=bool --get core.fileMode``
in the destination, and only when the answer is ``false`` does it copy the template's
executable bit into the destination's git index. The answer cannot change during one
render, yet it costs a process per file: 141 of a default copy's 184 processes, and about
350 per `copier update` (three renders).

``install`` wraps copier's method once per process: a render made with an environment that
has our extensions asks git once per destination and keeps the answer on that environment
(one per copier worker, so the answer lives as long as that render); when the answer is
``false`` copier's own method runs for each file, exactly as before. Other templates'
renders, and a copier without that method, are left alone.
"""

from __future__ import annotations

import subprocess
from typing import Any

_MARK = "phasegate_file_mode"


def file_mode(folder: str) -> str:
    """git's ``core.fileMode`` in ``folder``, as copier reads it ('' when unset or no git)."""
    try:
        found = subprocess.run(
            ["git", "config", "--type=bool", "--get", "core.fileMode"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


def install(environment: Any) -> None:
    """Give ``environment`` its own answers; wrap copier's per-file method (once)."""
    setattr(environment, _MARK, {})
    try:
        from copier._main import Worker
    except ImportError:  # cookiecutter, or a copier without that module
        return
    per_file = getattr(Worker, "_sync_git_index_executable_bit", None)
    if per_file is None or getattr(per_file, _MARK, False):
        return

    def sync_executable_bit(self: Any, dst_relpath: Any, src_mode: int) -> None:
        answers = getattr(self.jinja_env, _MARK, None)
        if answers is None:  # another template's render
            return per_file(self, dst_relpath, src_mode)  # type: ignore[no-any-return]
        folder = str(self.subproject.local_abspath)
        if folder not in answers:
            answers[folder] = file_mode(folder)
        if answers[folder] != "false":
            return None  # git sees the file's mode itself: copier's method does nothing
        return per_file(self, dst_relpath, src_mode)  # type: ignore[no-any-return]

    setattr(sync_executable_bit, _MARK, True)
    Worker._sync_git_index_executable_bit = sync_executable_bit  # type: ignore[method-assign]
