"""The generated parts of the datasheet, the model update policy and the audit-log table.

Each is built from the project's own records: the data audit and the last validation report,
pyproject.toml, CODEOWNERS and the CI files, and governance/audit-log.jsonl.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

from ..config import Settings
from ..data.report_types import ValidationReport
from ..gates.evidence import Project, sections
from ..lifecycle import audit, audit_verification
from ..model import reports
from ..thresholds import Action

AUDIT = "phases/2-data/data-audit.md"
AUDIT_SECTIONS = (
    "Volume",
    "Quality",
    "Access and compliance",
    "Timeliness",
    "Bias and sensitive attributes",
)
OPERATING_PLAN = "phases/5-operate/operating-plan.md"
DATA_AGE = "- Data age at the last validation:"  # changes with every run: not compared
MEASURED = "## Realized performance since promotion"  # the same: governance/realized.py
NONE = "none"  # the audit table's cell for no version
SCHEDULES = (".github/workflows/retrain.yml", ".github/workflows/monitor.yml")
ACTIONS = {
    Action.WARN: "an issue for the people told; nothing else happens",
    Action.RETRAIN: "`alerts` exits 4 and CI starts a retraining",
    Action.ROLLBACK: "`alerts` exits 4 and CI rolls the champion back, the alert as the reason",
    Action.BLOCK: "`alerts` exits 4 and promotions are refused until the figure is fine again",
}


def bullets(settings: Settings, file: str, heading: str) -> list[str]:
    """The list items of one section of a phase document, as the team wrote them."""
    project = Project(settings, {}, re.compile(r"(?!)"), date.today())
    found, _ = sections(project, file, [heading])
    items = [line for section in found for line in section.lines if line.startswith("- ")]
    return items or [f"- (nothing listed in {file} § {heading})"]


def datasheet(settings: Settings) -> list[str]:
    """Figures from reports/validation.json and the data audit's answers."""
    path = settings.reports_dir / f"{reports.VALIDATION}.json"
    if not path.is_file():
        raise FileNotFoundError(f"reports/{path.name} not found: run `nox -s validate`")
    result: ValidationReport = json.loads(path.read_text(encoding="utf-8"))
    status = "passed" if result["passed"] else f"FAILED ({result.get('failure_count', 0)} cases)"
    newest = result["newest_record_at"]
    since = datetime.fromisoformat(newest or result["data_modified_at"])
    age = (datetime.fromisoformat(result["validated_at"]) - since).days
    lines = [
        "## Figures from the last validation report",
        "",
        f"- Data file: `{Path(result['data_path']).name}`, sha256 `{result['data_sha256']}`",
        f"- Rows: {result['rows']} (minimum {result['min_rows']}); columns: {result['columns']}",
        f"- Data contract checks (`data/contract.toml`): {status}",
        f"- Newest record: {newest or 'no timestamp column set'}",
        f"{DATA_AGE} {age} days (newest record, else the file's modification time; "
        f"validated {result['validated_at']})",
        "",
        "## From the data audit",
    ]
    for heading in AUDIT_SECTIONS:
        lines += ["", f"### {heading}", "", *bullets(settings, AUDIT, heading)]
    return lines


def compared(lines: list[str]) -> list[bool]:
    """Which lines a staleness check compares: not the data age, nor the model card's realized
    performance (they move with every validation and every performance run)."""
    keep, inside = [], False
    for line in lines:
        inside = line == MEASURED or (inside and not line.startswith("## "))
        keep.append(not inside and not line.startswith(DATA_AGE))
    return keep


def comparable(lines: list[str]) -> list[str]:
    return [line for line, keep in zip(lines, compared(lines), strict=True) if keep]


def owners(settings: Settings) -> list[str]:
    """Maintainers in pyproject.toml and the owners of governance/ in CODEOWNERS."""
    with (settings.root / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file).get("project", {})
    people = [f"{m.get('name', '')} <{m.get('email', '')}>" for m in project.get("maintainers", [])]
    codeowners = settings.root / "CODEOWNERS"
    text = codeowners.read_text(encoding="utf-8") if codeowners.is_file() else ""
    rules = [line.split() for line in text.splitlines() if line.startswith("/governance/")]
    reviewers = rules[0][1:] if rules else []
    return [
        f"- Maintainers (pyproject.toml): {', '.join(people) or 'none listed'}",
        f"- Owners of governance/ (CODEOWNERS), whose review a change here needs: "
        f"{', '.join(reviewers) or 'none listed'}",
    ]


def schedules(settings: Settings) -> list[str]:
    """Where retraining and monitoring are scheduled, with the cron expressions in use."""
    lines = []
    for file in SCHEDULES:
        path = settings.root / file
        if path.is_file():
            crons = re.findall(r"cron:\s*[\"']([^\"']+)[\"']", path.read_text(encoding="utf-8"))
            lines.append(f"- `{file}`: cron {', '.join(f'`{c}`' for c in crons)} (UTC)")
    if (settings.root / ".gitlab-ci.yml").is_file():
        lines.append(
            "- GitLab: scheduled pipelines (CI/CD → Schedules) with `PIPELINE=retrain` or "
            "`PIPELINE=monitor`; the schedule lives in the project's settings, not in git"
        )
    return lines


def update_policy(settings: Settings) -> list[str]:
    """Approvers, promotion margin, monitoring thresholds, retraining and rollback."""
    cli, reg, mon = __name__.partition(".")[0], settings.registry, settings.monitoring
    return [
        "## Who approves",
        "",
        *owners(settings),
        *bullets(settings, OPERATING_PLAN, "Governance"),
        "",
        "## Promotion",
        "",
        f"- A challenger becomes champion of `{reg.model_name}` only when its expected cost per "
        f"decision on the same held-out data is at least {reg.promotion_margin:.1%} below the "
        "champion's (`promotion_margin` in pyproject.toml [tool.phasegate.registry]).",
        "- Before the `champion` alias moves: the model file's sha256, its trusted types and a "
        "smoke prediction are checked; a monitoring result that blocks refuses the promotion.",
        f"- By hand: `{cli} promote --reason TEXT` (`nox -s promote`); every promotion is a line "
        "of governance/audit-log.jsonl.",
        "",
        "## Monitoring thresholds and actions",
        "",
        f"A feature counts as drifted when the KS test's p-value is below {mon.ks_p_value:g}. "
        "Drift is read from reports/monitoring.json, performance on real outcomes from "
        "reports/performance.json; each crossed threshold is an issue for the people told.",
        "",
        "| Figure | Limit | Action | Who is told | What happens |",
        "|---|---|---|---|---|",
        *[
            f"| {t.metric} | {t.limit} | {t.action} | {', '.join(t.notify) or 'nobody named'} "
            f"| {ACTIONS[t.action]} |"
            for t in (*mon.thresholds, *settings.operate.thresholds)
        ],
        "",
        "## Retraining cadence",
        "",
        *(schedules(settings) or ["- No schedule in the repository: retrain by hand"]),
        "- An alert asking for retraining (exit 4 of `alerts`) also starts `nox -s retrain`; one "
        "asking for a rollback starts the rollback, the alert being the audited reason.",
        "",
        "## Rollback",
        "",
        f"- `{cli} rollback --reason TEXT [--to VERSION]` (`nox -s rollback -- --reason TEXT`) "
        "moves the champion back to the version it replaced, after the same hash and smoke "
        "checks, and appends the reason to governance/audit-log.jsonl.",
    ]


def audit_table(settings: Settings) -> list[str]:
    """Every line of governance/audit-log.jsonl, oldest first, once the whole trail is verified
    (its chain, and its copies in the registry)."""
    entries = audit_verification.verified(settings)
    if not entries:
        return ["No promotion or rollback recorded yet."]
    lines = ["| When (UTC) | Action | From | To | Who | Reason |", "|---|---|---|---|---|---|"]
    known = {"when", "action", "from_version", "to_version", "who", "reason", audit.CHAIN}
    for e in entries:
        extra = "".join(f"; {key}: {e[key]}" for key in sorted(e.keys() - known))
        cells = [e["when"], e["action"], e["from_version"] or NONE, e["to_version"] or NONE]
        cells += [e["who"], f"{e['reason']}{extra}"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
