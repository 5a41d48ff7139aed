"""After generation, for both front ends: lock the dependencies in uv.lock.

copier runs this as a task (after `copy` and `update`); cookiecutter runs it as its
post-generation hook. nox sessions and CI install exactly the locked versions
(`uv sync --locked`). Without uv, or without the package index, the project is
still generated and kept: the message says how to lock it later.
"""

import shutil
import subprocess
import sys

LATER = "Run `uv lock` in the project and commit uv.lock: nox sessions and CI install from it."


def uv_executable() -> str | None:
    try:
        from uv import find_uv_bin
    except ImportError:
        return shutil.which("uv")
    return find_uv_bin()


def main() -> int:
    uv = uv_executable()
    if uv is None:
        print(f"phasegate: uv was not found, so uv.lock was not written. {LATER}", file=sys.stderr)
        return 0
    result = subprocess.run([uv, "lock", "--quiet"], capture_output=True, text=True, check=False)
    if result.returncode:
        print(f"phasegate: `uv lock` failed:\n{result.stderr.strip()}\n{LATER}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
