"""Governance records: code owners, the risk assessment by tier, the first decision record."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import git_init, render

HIGH_TIER_SECTIONS = [
    "Risk management",
    "Data governance",
    "Logging",
    "Human oversight",
    "Accuracy and robustness",
]


def codeowners(project) -> dict[str, list[str]]:
    rules = {}
    for line in (project / "CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            assert owners, f"no owner for {pattern}"
            rules[pattern] = owners
    return rules


@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_codeowners_names_the_owners(tmp_path, provider):
    project = render(
        tmp_path / "p",
        tasks=False,
        ci_provider=provider,
        ml_owner="@acme/risk-ml",
        business_owner_email="ana.lopez@acme.example",
    )
    rules = codeowners(project)
    for path in ("/phases/", "/governance/", "/gates.toml"):
        assert rules[path] == ["@acme/risk-ml", "ana.lopez@acme.example"]
    pipeline = "/.github/" if provider == "github" else "/.gitlab-ci.yml"
    assert rules[pipeline] == ["@acme/risk-ml"]
    assert len(rules) == 7


@pytest.mark.parametrize(
    ("tier", "extra"),
    [
        ("minimal", []),
        ("limited", ["Transparency"]),
        ("high", ["Transparency", *HIGH_TIER_SECTIONS]),
    ],
)
def test_risk_assessment_sections_follow_the_tier(tmp_path, tier, extra):
    project = render(tmp_path / "p", tasks=False, risk_tier=tier)
    headings = re.findall(
        r"^## (.+)$", (project / "governance/risk-assessment.md").read_text(), re.M
    )
    assert headings == ["Risk tier", "Intended use and limits", *extra]
    record = (project / "governance/adr/0001-start-from-phasegate.md").read_text()
    assert f"| Risk tier (EU AI Act) | {tier} |" in record


@pytest.mark.e2e
def test_gate_refuses_a_high_tier_assessment_with_placeholders(tmp_path):
    project = render(tmp_path / "p", risk_tier="high")
    git_init(project)

    def risk_criterion(*nox_options: str) -> dict:
        command = [sys.executable, "-m", "nox", *nox_options, "-s", "gate", "--"]
        subprocess.run(
            [*command, "--phase", "4", "--format", "json"], cwd=project, capture_output=True
        )
        result = json.loads((project / "reports/gate.json").read_text())
        return next(c for c in result["criteria"] if c["id"] == "governance.risk_assessment")

    refused = risk_criterion()
    assert refused["status"] == "fail"
    problems = "\n".join(refused["problems"])
    assert all(section in problems for section in HIGH_TIER_SECTIONS)

    assessment = project / "governance/risk-assessment.md"
    filled = re.sub(
        r"\[FILL IN: [^\]]*\]", "Agreed with the model risk team.", assessment.read_text()
    )
    assessment.write_text(filled)
    assert risk_criterion("-R")["status"] == "pass"
