"""Values the tooling owns, so that `copier update` never has to merge them (standard library).

- catalog-info.yaml: `phasegate/phase`, `lifecycle` and `phasegate/template-version` follow
  [tool.phasegate] phase and the template version in .copier-answers.yml.
- .copier-answers.yml: the business answers follow [tool.phasegate.business], the one place a
  team changes them, so files a later release adds are rendered with the current values.

Every release renders the catalog for phase 1 and its own version. Before an update (a copier
migration, hooks/before_update.py) `prepare_update` puts those rendered values back and
records the business values as answers, so the template's side of the merge is the only one
that touches these lines; afterwards `align_catalog(..., fix=True)` writes the project's again.
tools/template_check.py checks both and `--fix` writes them.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

ANSWERS, CATALOG, PYPROJECT = ".copier-answers.yml", "catalog-info.yaml", "pyproject.toml"
# Backstage lifecycle of each phase: production engineering onwards is "production".
LIFECYCLE = {phase: "production" if phase >= 4 else "experimental" for phase in range(1, 6)}
RENDERED_PHASE = 1  # what every release renders into catalog-info.yaml
# [tool.phasegate.business] keys that are copier answers of the same name.
BUSINESS = (
    *("decision", "kpi_name", "kpi_unit", "kpi_direction", "kpi_baseline", "kpi_target"),
    *("currency", "cost_false_positive", "cost_false_negative"),
)
NUMBERS = {"kpi_baseline", "kpi_target", "cost_false_positive", "cost_false_negative"}
TOP_KEY = re.compile(r"^([A-Za-z_]\w*):(.*)$")


class SettingError(Exception):
    """A setting the check cannot read: reported on one line, exit code 2."""


def template_version(root: Path) -> str | None:
    path = root / ANSWERS
    text = path.read_text("utf-8") if path.is_file() else ""
    found = re.search(r"^_commit:\s*['\"]?([^'\"\s]+)", text, re.MULTILINE)
    return found.group(1) if found else None


def settings(root: Path) -> dict:
    try:
        with (root / PYPROJECT).open("rb") as file:
            tool = tomllib.load(file).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingError(f"{PYPROJECT} cannot be read ({error}): fix it") from None
    if not isinstance(tool.get("phasegate"), dict):
        raise SettingError(f"{PYPROJECT} has no [tool.phasegate] table")
    return tool["phasegate"]


def claimed_phase(config: dict) -> int:
    phase = config.get("phase")
    if phase not in LIFECYCLE or isinstance(phase, bool):
        raise SettingError(f"{PYPROJECT}: [tool.phasegate] phase = {phase!r}; use 1 to 5")
    return phase


def catalog_lines(phase: int, version: str | None) -> dict[str, str]:
    return {
        "phasegate/phase": f'    phasegate/phase: "{phase}"',
        "phasegate/template-version": f'    phasegate/template-version: "{version or "none"}"',
        "lifecycle": f"  lifecycle: {LIFECYCLE[phase]}",
    }


def align_catalog(root: Path, expected: dict[str, str], fix: bool) -> list[str]:
    """Problems with catalog-info.yaml's owned lines; with fix, rewrites them instead."""
    if not (root / CATALOG).is_file():
        return [f"{CATALOG} is missing: restore it from the template"]
    text = (root / CATALOG).read_text("utf-8")
    problems = []
    for key, wanted in expected.items():
        pattern = re.compile(rf"^ *{re.escape(key)}:.*$", re.MULTILINE)
        if not pattern.search(text):
            problems.append(f"{CATALOG}: no `{key}` line")
        elif wanted not in text.splitlines():
            text = pattern.sub(wanted, text, count=1)
            problems.append(f"{CATALOG}: `{key}` should read `{wanted.strip()}`")
    if fix and problems:
        (root / CATALOG).write_text(text, "utf-8")
        return []
    return [p + " (run with --fix)" for p in problems]


def answer_blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key → (first line, end) of its value in a YAML mapping (continuations too)."""
    starts = [(i, m[1]) for i, line in enumerate(lines) if (m := TOP_KEY.match(line))]
    ends = [i for i, _ in starts[1:]] + [len(lines)]
    return {key: (start, end) for (start, key), end in zip(starts, ends, strict=True)}


def scalar(lines: list[str]) -> object:
    """A one-line or folded YAML scalar as to_nice_yaml writes answers (no newlines inside)."""
    text = " ".join(line.strip() for line in lines).split(":", 1)[1].strip()
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    if text.startswith('"'):
        return json.loads(text)
    try:
        return float(text)
    except ValueError:
        return text


def same(answer: object, value: object) -> bool:
    if isinstance(value, int | float) and isinstance(answer, int | float):
        return float(answer) == float(value)
    return str(answer) == str(value)


def written(value: object) -> str:
    """A YAML scalar (JSON's double-quoted strings are YAML's too; answers have no newlines)."""
    return json.dumps(value if isinstance(value, str) else str(value), ensure_ascii=False)


def align_answers(root: Path, business: dict, fix: bool) -> list[str]:
    """Answers that disagree with [tool.phasegate.business]; with fix, rewrites them instead."""
    path = root / ANSWERS
    if not path.is_file() or not isinstance(business, dict):
        return []
    lines = path.read_text("utf-8").splitlines()
    blocks, problems = answer_blocks(lines), []
    for key in reversed([k for k in BUSINESS if k in blocks and k in business]):
        start, end = blocks[key]
        value = business[key]
        if same(scalar(lines[start:end]), value):
            continue
        number = isinstance(value, int | float) and not isinstance(value, bool)
        shown = repr(float(value)) if key in NUMBERS and number else written(value)
        lines[start:end] = [f"{key}: {shown}"]
        problems.insert(0, f"{ANSWERS}: {key} should be {shown}, as in [tool.phasegate.business]")
    if fix and problems:
        path.write_text("\n".join(lines) + "\n", "utf-8")
        return []
    return [
        p + " (run with --fix; files a template update adds use these answers)" for p in problems
    ]


def prepare_update(root: Path) -> list[str]:
    """Before `copier update`: the catalog's owned lines as every release renders them, the
    business answers as the team set them; staged, because copier reads the project's index."""
    align_catalog(root, catalog_lines(RENDERED_PHASE, template_version(root)), fix=True)
    align_answers(root, settings(root).get("business", {}), fix=True)
    names = [name for name in (CATALOG, ANSWERS) if (root / name).is_file()]
    subprocess.run(["git", "add", "--", *names], cwd=root, check=True)  # noqa: S603, S607
    return names


def after_update(root: Path) -> None:
    """After `copier update`: the catalog's owned lines from the project's values again, and
    the index of the owned files as before the update (unless the merge left them unmerged)."""
    align_catalog(root, catalog_lines(claimed_phase(settings(root)), template_version(root)), True)
    git = ["git", "-C", str(root)]
    unmerged = subprocess.run(  # noqa: S603
        [*git, "ls-files", "--unmerged", "--", CATALOG, ANSWERS], capture_output=True, check=False
    )
    if unmerged.returncode == 0 and not unmerged.stdout:
        subprocess.run([*git, "reset", "-q", "--", CATALOG, ANSWERS], check=False)  # noqa: S603
