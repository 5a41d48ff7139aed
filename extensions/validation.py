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
import unicodedata
from collections.abc import Callable, Mapping

Answers = Mapping[str, object]

SLUG = re.compile(r"(?=.{1,50}$)[a-z][a-z0-9]*(-[a-z0-9]+)*")
PACKAGE = re.compile(r"(?=.{1,30}$)[a-z_][a-z0-9_]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
HANDLE = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)*")
CURRENCY = re.compile(r"[A-Z]{3}")
TEMPLATE_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")
# Import names a generated project depends on; a package of that name would shadow them.
DEPENDENCY_IMPORTS = frozenset(
    {
        "matplotlib",
        "nox",
        "numpy",
        "pandas",
        "pandera",
        "pyspark",
        "pytest",
        "rich",
        "scipy",
        "sklearn",
        "skops",
    }
)
CHOICES = {
    "kpi_direction": ("increase", "decrease"),
    "risk_tier": ("minimal", "limited", "high"),
    "ci_provider": ("github", "gitlab", "both"),
    "serving": ("none", "http"),
    "compute": ("local", "spark"),
    "python_version": ("3.11", "3.12", "3.13"),
    "license": ("Proprietary", "MIT", "Apache-2.0", "BSD-3-Clause"),
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
    if name in DEPENDENCY_IMPORTS:
        return f"{name!r} would shadow a dependency of the project: choose another package name"
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
CROSS_CHECKS: dict[str, Callable[[object, Answers], str]] = {"kpi_target": kpi_target}


def slug_from_name(name: object) -> str:
    """The default project slug: lowercase ASCII words joined by hyphens."""
    words = re.sub(r"[^a-z0-9]+", "-", str(name).lower())
    return re.sub(r"^[^a-z]+", "", words)[:50].rstrip("-")


def package_from_slug(slug: object) -> str:
    """The default package name: the slug with underscores."""
    return str(slug).replace("-", "_")[:30].rstrip("_")


def check(name: str, answers: Answers) -> str:
    """The problem with answer ``name``, or '' when it is fine."""
    value = answers.get(name)
    if name in CROSS_CHECKS:
        return CROSS_CHECKS[name](value, answers)
    if name in CHECKS:
        problem = text(value, 300) if isinstance(value, str) else ""
        return problem or CHECKS[name](value)
    return text(value) if isinstance(value, str) else ""


def check_all(answers: Answers) -> dict[str, str]:
    """Every answer's problem, by answer name; empty when all are fine."""
    names = [*CHECKS, *CROSS_CHECKS]
    problems = {name: check(name, answers) for name in names if name in answers}
    return {name: message for name, message in problems.items() if message}
