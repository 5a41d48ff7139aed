"""After generation, for both front ends: lock the dependencies in uv.lock.

copier runs this as a task after `copy`, and as a `_migrations` entry without a version
after `update` (migrations run once the team's edits are merged; tasks would run before
that); cookiecutter runs it as its post-generation hook. nox sessions and CI install
exactly the locked versions (`uv sync --locked`). Without uv, or without the package
index, the project is still generated and kept: the message says how to lock it later.

After `copier update` it also prints what the update left to finish: the files with
conflict markers and the *.rej files, found by the new template's
tools/template_check.py (the same check pre-commit and CI run), and the next steps; and,
when the merge is clean, writes the values the tooling owns (tools/owned_values.py: the
catalog's phase, lifecycle and template version) that hooks/before_update.py set aside.
Before the lock, hooks/migrate.py's `after` stage merges the team's edits of moved files into
their new places, and hooks/settings_merge.py resolves the conflicts in pyproject.toml that
are only a release's comments beside the team's values (the team's values are kept).
"""

import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

LATER = "Run `uv lock` in the project and commit uv.lock: nox sessions and CI install from it."


def uv_executable() -> str | None:
    try:
        from uv import find_uv_bin
    except ImportError:
        return shutil.which("uv")
    return find_uv_bin()


def this_python(project: Path) -> list[str]:
    """``--python`` with the interpreter running this hook when it meets the project's
    ``requires-python``: uv then skips its own search for one (0.2 s of the lock behind
    pyenv's shims). The lock is the same either way: uv resolves for every Python that
    ``requires-python`` allows, not for the interpreter it found. A user's ``UV_PYTHON``,
    a Python outside the range, or no ``packaging`` to read the range: uv searches."""
    if os.environ.get("UV_PYTHON"):
        return []
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        allowed = SpecifierSet(pyproject["project"]["requires-python"])
    except (ImportError, OSError, KeyError, TypeError, InvalidSpecifier, tomllib.TOMLDecodeError):
        return []
    running = ".".join(map(str, sys.version_info[:3]))
    return ["--python", sys.executable] if allowed.contains(running) else []


def lock() -> None:
    uv = uv_executable()
    if uv is None:
        print(f"phasegate: uv was not found, so uv.lock was not written. {LATER}", file=sys.stderr)
        return
    command = [uv, "lock", "--quiet", *this_python(Path.cwd())]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        print(f"phasegate: `uv lock` failed:\n{result.stderr.strip()}\n{LATER}", file=sys.stderr)


def tool(name: str) -> ModuleType:
    """The new release's tools/NAME.py, loaded from the template itself."""
    template = Path(__file__).resolve().parent.parent / "template"
    (path,) = template.glob(f"*/tools/{name}.py")  # the project folder's name is Jinja
    spec = importlib.util.spec_from_file_location(f"phasegate_{name}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def update_summary(found: dict[str, list[int]]) -> str:
    """What the update left to finish (``found``: template_check.leftovers of the project)."""
    check = tool("template_check")
    if not found:
        return "phasegate: the update merged cleanly. Next: review `git diff`, then commit."
    lines = ["phasegate: the update left these files to finish before you commit:"]
    lines += [f"  {check.describe(name, marks)}" for name, marks in found.items()]
    steps = [
        "resolve every conflict and .rej file listed",
        *(["run `uv lock` (pyproject.toml changed)"] if found.get(check.PYPROJECT) else []),
        "run `python tools/template_check.py` until it passes",
        "then `git add -A` and commit",
    ]
    lines.append("Next: " + "; ".join(steps) + ".")
    return "\n".join(lines)


def drop_empty_folders(project: Path) -> None:
    """The package's folders whose files a choice left out (``serving/`` without ``serving:
    http``): both front ends create the folder, empty."""
    for folder in sorted(project.glob("src/*/*/"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def main() -> int:
    updating = os.environ.get("COPIER_OPERATION") == "update"  # set by copier for migrations
    drop_empty_folders(Path.cwd())
    if updating:  # before the lock, which needs a pyproject.toml without conflict markers
        # Sibling modules (copier runs this from hooks/), in this one process.
        import migrate
        from settings_merge import resolve

        if migrate.run("after"):  # moved files: the team's edits merged into the new places
            return 1
        for note in resolve(Path.cwd()):
            print(f"phasegate: {note}", file=sys.stderr)
    lock()
    if updating:
        owned = tool("owned_values")
        found = tool("template_check").leftovers(Path.cwd())
        with contextlib.suppress(owned.SettingError):  # a conflict there: the summary lists it
            if not found:
                owned.after_update(Path.cwd())
        print(update_summary(found), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
