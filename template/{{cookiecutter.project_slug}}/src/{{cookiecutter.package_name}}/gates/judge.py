"""Phase gates: read the criteria in gates.toml and judge them against the project's files.

A project may claim a phase (``[tool.phasegate] phase``) only when every required
criterion of that phase and of the phases before it passes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from ..config import ConfigError, Settings
from ..governance import records
from . import generic_checks, lifecycle_checks, operate_checks, specific_checks
from .evidence import Finding, Project

SPEC_FILE = "gates.toml"
PHASES = {1: "define", 2: "data", 3: "proof of concept", 4: "production", 5: "operate"}
COMMON_FIELDS = {"id", "phase", "title", "kind", "fix", "required"}
# A criterion's outcome: "warn" for a failed optional criterion, or a passed one with warnings.
Status = Literal["pass", "fail", "warn"]
# Each kind of check with the parameters it needs.
KINDS: dict[str, tuple[Callable[[dict, Project], Finding], set[str]]] = {
    "document": (generic_checks.document, {"file", "sections"}),
    "settings_filled": (generic_checks.settings_filled, {"keys"}),
    "settings_compared": (generic_checks.settings_compared, {"keys", "op", "value"}),
    "report_field": (generic_checks.report_field, {"report", "field", "op"}),
    "files_exist": (generic_checks.files_exist, {"paths"}),
    "pending": (generic_checks.pending, {"waits_for"}),
    "kpi": (specific_checks.kpi, set()),
    "data_age": (specific_checks.data_age, {"report", "max_age_days"}),
    "sensitive_groups": (specific_checks.sensitive_groups, {"report"}),
    "timebox": (specific_checks.timebox, {"file", "sections", "min_weeks", "max_weeks"}),
    "experiment": (specific_checks.experiment, {"report"}),
    "registry_champion": (lifecycle_checks.registry_champion, set()),
    "monitoring_configured": (lifecycle_checks.monitoring_configured, set()),
    "rollback_drill": (lifecycle_checks.rollback_drill, {"max_age_days"}),
    "governance_current": (records.governance_current, set()),
    "measured": (operate_checks.measured, {"report", "metric", "op", "target"}),
}


@dataclass(frozen=True)
class Criterion:
    id: str
    phase: int
    title: str
    kind: str
    fix: str
    required: bool
    params: dict


@dataclass(frozen=True)
class Outcome:
    criterion: Criterion
    status: Status
    finding: Finding

    def as_dict(self) -> dict:
        c = self.criterion
        return {
            "id": c.id,
            "phase": c.phase,
            "title": c.title,
            "required": c.required,
            "status": self.status,
            "evidence": self.finding.evidence,
            "problems": self.finding.problems,
            "warnings": self.finding.warnings,
            "fix": c.fix,
        }


@dataclass(frozen=True)
class GateResult:
    phase: int  # gates 1..phase were checked
    claimed_phase: int
    outcomes: list[Outcome]

    @property
    def passed(self) -> bool:
        return all(outcome.status != "fail" for outcome in self.outcomes)

    def as_dict(self) -> dict:
        return {
            "phase": self.phase,
            "claimed_phase": self.claimed_phase,
            "spec": SPEC_FILE,
            "passed": self.passed,
            "criteria": [outcome.as_dict() for outcome in self.outcomes],
        }


def load_spec(settings: Settings) -> tuple[re.Pattern[str], list[Criterion]]:
    """The placeholder pattern and the criteria of gates.toml, checked for usable entries."""
    path = settings.root / SPEC_FILE
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the gate specification {path}: {error}") from error
    if not spec.get("placeholders"):
        raise ConfigError(f"{SPEC_FILE}: `placeholders` must list the patterns of template text")
    placeholders = re.compile("|".join(f"(?:{p})" for p in spec["placeholders"]), re.IGNORECASE)
    found = [_criterion(entry) for entry in spec.get("criterion", [])]
    ids = [c.id for c in found]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ConfigError(f"{SPEC_FILE}: criterion ids used more than once: {duplicates}")
    return placeholders, found


def _criterion(entry: dict) -> Criterion:
    name = f"{SPEC_FILE} criterion {entry.get('id', '(no id)')!r}"
    if missing := (COMMON_FIELDS - {"required"}) - entry.keys():
        raise ConfigError(f"{name} needs {sorted(missing)}")
    if entry["kind"] not in KINDS:
        raise ConfigError(f"{name}: unknown kind {entry['kind']!r}; known: {sorted(KINDS)}")
    params = {k: v for k, v in entry.items() if k not in COMMON_FIELDS}
    if missing := KINDS[entry["kind"]][1] - params.keys():
        raise ConfigError(f"{name} ({entry['kind']}) needs {sorted(missing)}")
    if entry["phase"] not in PHASES or ("sections" in params and "file" not in params):
        raise ConfigError(f"{name}: phase must be 1-5, and `sections` needs a `file`")
    if params.get("op", "==") not in generic_checks.OPERATORS:
        raise ConfigError(f"{name}: op must be one of {sorted(generic_checks.OPERATORS)}")
    common = {k: entry[k] for k in COMMON_FIELDS - {"required"}}
    return Criterion(**common, required=bool(entry.get("required", True)), params=params)


def judge(criterion: Criterion, project: Project) -> Outcome:
    """The criterion's sections check (when it names a file) and its kind's check."""
    check = KINDS[criterion.kind][0]
    findings = [check(criterion.params, project)]
    if "sections" in criterion.params:
        findings.insert(0, generic_checks.sections_filled(criterion.params, project))
    finding = Finding.merged(findings)
    status: Status
    if finding.problems:
        status = "fail" if criterion.required else "warn"
    else:
        status = "warn" if finding.warnings else "pass"
    return Outcome(criterion, status, finding)


def run(settings: Settings, phase: int | None = None, today: date | None = None) -> GateResult:
    """Judge every criterion of gates 1..phase (the claimed phase by default)."""
    phase = phase or settings.phase
    if phase not in PHASES or settings.phase not in PHASES:
        raise ConfigError("phases run from 1 to 5: check [tool.phasegate] phase and --phase")
    project, all_criteria = judged_on(settings, today)
    outcomes = [judge(c, project) for c in all_criteria if c.phase <= phase]
    return GateResult(phase, settings.phase, outcomes)


def judged_on(settings: Settings, today: date | None = None) -> tuple[Project, list[Criterion]]:
    """What the criteria read (on ``today``, by default the current day) and the criteria."""
    placeholders, criteria = load_spec(settings)
    with (settings.root / "pyproject.toml").open("rb") as file:
        pyproject = tomllib.load(file)
    return Project(settings, pyproject, placeholders, today or datetime.now(UTC).date()), criteria
