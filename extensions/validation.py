"""Answer validation shared by every front end.

copier's validators call :func:`check` through the ``validate_answer`` Jinja
filter; the cookiecutter pre-generation hook calls :func:`check_all`.  Each
check returns an empty string when the answer is fine, otherwise a message
that says what is allowed.
"""

from __future__ import annotations

import keyword
import math
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import jinja2
import yaml

Answers = Mapping[str, object]

SLUG = re.compile(r"(?=.{1,50}$)[a-z][a-z0-9]*(-[a-z0-9]+)*")
PACKAGE = re.compile(r"(?=.{1,30}$)[a-z_][a-z0-9_]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
HANDLE = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)*")
CURRENCY = re.compile(r"[A-Z]{3}")
TEMPLATE_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")
REPO = Path(__file__).resolve().parent.parent
COPIER_YML = REPO / "copier.yml"
# The generated project's pyproject.toml: its dependencies are the names a project may not take.
PYPROJECT_TEMPLATE = REPO / "template" / "{{cookiecutter.project_slug}}" / "pyproject.toml"
# Distributions whose import name is not their normalised name (a test keeps these in the
# generated pyproject.toml); every other dependency imports as its name with underscores.
IMPORT_NAMES = {"scikit-learn": "sklearn", "cyclonedx-bom": "cyclonedx_py"}
# Letters that Unicode does not decompose into an ASCII letter and a mark.
TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    | {"\N{LATIN SMALL LETTER DOTLESS I}": "i"}
)


def questions() -> dict[str, dict]:
    """copier.yml's questions (its keys without a leading underscore), in order."""
    # libyaml's parser where PyYAML has it (its wheels do): every render reads copier.yml here,
    # and the pure-Python parser takes 14 ms of it (libyaml 1 ms).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    config = yaml.load(COPIER_YML.read_text(encoding="utf-8"), Loader=loader)
    return {name: question for name, question in config.items() if not name.startswith("_")}


# The choice lists, as copier.yml gives them (cookiecutter offers the same lists).
CHOICES = {
    name: tuple(str(choice) for choice in question["choices"])
    for name, question in questions().items()
    if "choices" in question
}


def text(value: object, max_length: int = 200) -> str:
    """One line of printable text without template delimiters."""
    value = str(value)
    if not value.strip():
        return "must not be empty"
    if len(value) > max_length:
        return f"must be at most {max_length} characters (got {len(value)})"
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in value):
        return "must be one line of printable text (no newlines, tabs or control characters)"
    if any(d in value for d in TEMPLATE_DELIMITERS):
        return "must not contain template delimiters ({{ }}, {% %}, {# #}, ${{ }})"
    return ""


def pattern(regex: re.Pattern[str], allowed: str) -> Callable[[object], str]:
    def check_pattern(value: object) -> str:
        if regex.fullmatch(str(value)):
            return ""
        return f"{str(value)!r} is not allowed: {allowed}"

    return check_pattern


def package_name(value: object) -> str:
    name = str(value)
    if not PACKAGE.fullmatch(name):
        return (
            f"{name!r} is not allowed: use at most 30 lowercase letters, digits and "
            "underscores, starting with a letter or underscore"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{name!r} is a Python keyword: choose another package name"
    if name in sys.stdlib_module_names:
        return f"{name!r} is a standard-library module: choose another package name"
    return ""


def finite_number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def number(value: object) -> str:
    if finite_number(value) is None:
        return f"{value!r} is not allowed: enter a finite number such as 42 or 0.15"
    return ""


def positive_number(value: object) -> str:
    got = finite_number(value)
    if got is None or got <= 0:
        return f"{value!r} is not allowed: enter a number greater than 0"
    return ""


def normalise(distribution: str) -> str:
    """A distribution name as the package index compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


@cache
def _dependency_lists() -> jinja2.Template:
    """The generated pyproject.toml's dependency array and [dependency-groups], as a template.

    Only these parts are rendered: the rest of the file needs answers not asked yet.
    """
    source = PYPROJECT_TEMPLATE.read_text(encoding="utf-8")
    found = [
        re.search(r"^dependencies = \[$.*?^\]$", source, re.MULTILINE | re.DOTALL),
        re.search(r"^\[dependency-groups\]$.*?(?=^\[|\Z)", source, re.MULTILINE | re.DOTALL),
    ]
    if not all(found):
        raise ValueError(f"{PYPROJECT_TEMPLATE}: no dependencies or [dependency-groups] found")
    toml_text = "[project]\n" + "\n".join(match[0] for match in found if match)
    environment = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)
    return environment.from_string(toml_text)


@cache
def _dependencies(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    data = tomllib.loads(_dependency_lists().render(cookiecutter=dict(choices)))
    lists = {"[project] dependencies": data["project"]["dependencies"]}
    lists.update(
        {f"dependency group {group}": reqs for group, reqs in data["dependency-groups"].items()}
    )
    found: dict[str, str] = {}
    for where, requirements in lists.items():
        for requirement in requirements:
            if isinstance(requirement, str):  # not { include-group = ... }
                name = re.match(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", requirement)
                if not name:
                    raise ValueError(f"{PYPROJECT_TEMPLATE}: not a requirement: {requirement!r}")
                found.setdefault(normalise(name[0]), f"{name[0]} in {where}")
    return found


def dependencies(answers: Answers) -> dict[str, str]:
    """Distribution (normalised) → where the generated project requires it, for these answers.

    Read from the generated pyproject.toml, rendered with the choice answers given so far
    (copier asks serving and compute after the names; unanswered, they add nothing).
    """
    given = tuple(
        (name, str(answers.get(name))) for name in CHOICES if answers.get(name) is not None
    )
    return _dependencies(given)


def import_name(distribution: str) -> str:
    return IMPORT_NAMES.get(distribution, distribution.replace("-", "_"))


def slug_clash(value: object, answers: Answers) -> str:
    found = dependencies(answers).get(normalise(str(value)))
    if found:
        return (
            f"{str(value)!r} is the name of a dependency of the generated project ({found}): "
            "choose another project slug"
        )
    return ""


def package_clash(value: object, answers: Answers) -> str:
    imports = {import_name(name): where for name, where in dependencies(answers).items()}
    found = imports.get(str(value))
    if found:
        return (
            f"{str(value)!r} would shadow a dependency of the project ({found}): "
            "choose another package name"
        )
    return ""


NAME_CLASHES = {"project_slug": slug_clash, "package_name": package_clash}


def choice_clash(name: str) -> Callable[[object, Answers], str]:
    """A choice that adds a dependency named like the project or its package is refused."""

    def check_choice_clash(value: object, answers: Answers) -> str:
        without = {other: answers.get(other) for other in CHOICES if other != name}
        for answer, clash in NAME_CLASHES.items():
            if answers.get(answer) is None:
                continue
            problem = clash(answers.get(answer), answers)
            if problem and not clash(answers.get(answer), without):
                return f"with {name} {str(value)!r}, {problem}"
        return ""

    return check_choice_clash


def kpi_target(value: object, answers: Answers) -> str:
    target, baseline = finite_number(value), finite_number(answers.get("kpi_baseline"))
    if target is None:
        return number(value)
    if baseline is None:
        return ""  # the baseline's own check reports it
    increase = answers.get("kpi_direction", "increase") == "increase"
    if (target > baseline) if increase else (target < baseline):
        return ""
    word = "above" if increase else "below"
    return (
        f"the target ({target:g}) must be {word} the baseline ({baseline:g}) "
        f"because the KPI is meant to {'increase' if increase else 'decrease'}"
    )


def choice(name: str) -> Callable[[object], str]:
    allowed = CHOICES[name]

    def check_choice(value: object) -> str:
        if str(value) in allowed:
            return ""
        return f"{value!r} is not allowed: choose one of {', '.join(allowed)}"

    return check_choice


CHECKS: dict[str, Callable[[object], str]] = {
    "project_name": lambda v: (
        text(v, 80)
        or ("" if any(c.isalnum() for c in str(v)) else "must contain a letter or digit")
    ),
    "project_slug": pattern(
        SLUG, "use at most 50 lowercase letters, digits and single hyphens, starting with a letter"
    ),
    "package_name": package_name,
    "description": text,
    "organisation": lambda v: text(v, 100),
    "business_owner_name": lambda v: text(v, 100),
    "business_owner_email": pattern(EMAIL, "enter an e-mail address such as jane.doe@example.com"),
    "ml_owner": pattern(
        HANDLE, "enter a GitHub/GitLab user or team handle such as @jdoe or @acme/ml-team"
    ),
    "decision": lambda v: text(v, 300),
    "kpi_name": lambda v: text(v, 80),
    "kpi_unit": lambda v: text(v, 30),
    "kpi_baseline": number,
    "currency": pattern(CURRENCY, "enter a three-letter ISO 4217 code such as EUR or USD"),
    "cost_false_positive": positive_number,
    "cost_false_negative": positive_number,
    **{name: choice(name) for name in CHOICES},
}
CROSS_CHECKS: dict[str, Callable[[object, Answers], str]] = {
    "kpi_target": kpi_target,
    **NAME_CLASHES,
    **{name: choice_clash(name) for name in CHOICES},
}


def ascii_lower(text: object) -> str:
    """Lowercase ASCII: accents dropped (Überwachung → uberwachung, Crème → creme, ß → ss).

    Language-neutral on purpose (no German "ue" for ü: the same letter is "u" in Turkish or
    Hungarian); letters of other scripts are dropped, so such a name needs its own slug.
    """
    decomposed = unicodedata.normalize("NFKD", str(text).lower()).translate(TRANSLITERATE)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slug_from_name(name: object) -> str:
    """The default project slug: lowercase ASCII words joined by hyphens."""
    words = re.sub(r"[^a-z0-9]+", "-", ascii_lower(name))
    return re.sub(r"^[^a-z]+", "", words)[:50].rstrip("-")


def package_from_slug(slug: object) -> str:
    """The default package name: the slug, in ASCII, with underscores."""
    words = re.sub(r"[^a-z0-9_]+", "_", ascii_lower(slug))
    return re.sub(r"^[^a-z_]+", "", words)[:30].rstrip("_")


def check(name: str, answers: Answers) -> str:
    """The problem with answer ``name``, or '' when it is fine.

    First the answer alone (CHECKS), then against the others (CROSS_CHECKS).
    """
    value = answers.get(name)
    if name not in CHECKS and name not in CROSS_CHECKS:
        return text(value) if isinstance(value, str) else ""
    problem = text(value, 300) if isinstance(value, str) else ""
    if not problem and name in CHECKS:
        problem = CHECKS[name](value)
    if not problem and name in CROSS_CHECKS:
        problem = CROSS_CHECKS[name](value, answers)
    return problem


def check_all(answers: Answers) -> dict[str, str]:
    """Every answer's problem, by answer name; empty when all are fine."""
    names = dict.fromkeys([*CHECKS, *CROSS_CHECKS])
    problems = {name: check(name, answers) for name in names if name in answers}
    return {name: message for name, message in problems.items() if message}
