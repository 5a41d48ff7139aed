"""One move of the champion at a time on this machine: an exclusive lock on ``mlflow.db.lock``
in the project folder, held by every promote, rollback and retrain.

The operating system releases the lock when the process ends, however it ends. Across machines
sharing a tracking server, CI's one concurrency group serialises the moves and the
compare-and-set of every move (``champion_moves.py``) catches the rest.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ..config import Settings
from .registry_client import RegistryError

LOCK = "mlflow.db.lock"
LOCK_WAIT_SECONDS = 60.0


@contextmanager
def locked(settings: Settings, wait: float | None = None) -> Iterator[None]:
    """Hold the lock (waiting up to ``wait`` seconds for another move to finish)."""
    path = settings.root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise RegistryError(
                    f"another promote, rollback or retrain holds {path} (waited {wait:g} s): "
                    "let it finish, or find the process that holds it"
                )
            time.sleep(0.2)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
