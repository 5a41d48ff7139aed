"""The audit trail is tamper-evident: each entry chains the hash of the ones before it and has
a copy in the registry; `governance --check` and the rollback-drill criterion name the first
entry that differs, and the drill counts only verified entries. Each row of FORGERIES is one
way to alter governance/audit-log.jsonl."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from registry_project import audit_log, copy_state, prepared

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.gates.evidence import Project
from {{ cookiecutter.package_name }}.gates.lifecycle_checks import rollback_drill
from {{ cookiecutter.package_name }}.lifecycle import audit, audit_verification, registry_client


def lines(settings) -> list[str]:
    return settings.audit_log.read_text().splitlines()


def rewrite(change: Callable[[list[str]], list[str]]) -> Callable:
    def forge(settings) -> None:
        settings.audit_log.write_text("\n".join(change(lines(settings))) + "\n")

    return forge


def invented(**fields) -> dict:
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    return {"action": "rollback", "who": "nobody", "when": now, "from_version": "1",
            "to_version": "2", "reason": "invented", **fields}  # fmt: skip


def append_chained(settings) -> None:
    audit.append(settings.audit_log, invented())  # the chain is right, the registry has no copy


def edit_reason(found: list[str]) -> list[str]:
    first = json.loads(found[0])
    return [json.dumps({**first, "reason": "approved by the board"}, sort_keys=True), *found[1:]]


FORGERIES = [  # (what was done, how, the first entry named)
    ("middle entry removed", rewrite(lambda f: [f[0], f[2]]), "line 2 (rollback 2 → 1"),
    ("entries reordered", rewrite(lambda f: [f[1], f[0], f[2]]), "line 1 (promote 1 → 2"),
    ("reason edited", rewrite(edit_reason), "line 1 (promote none → 1 by"),
    ("last entry removed", rewrite(lambda f: f[:2]), "registry's entry audit."),
    ("rollback appended, chained", append_chained, "line 4 (rollback 1 → 2 by nobody"),
    (
        "rollback appended, unchained",
        rewrite(lambda f: [*f, json.dumps(invented())]),
        "line 4 (rollback 1 → 2 by nobody at",
    ),
    ("line not JSON", rewrite(lambda f: [f[0], "{", *f[1:]]), "line 2 is not JSON"),
]


@pytest.fixture(scope="module")
def drilled_once(tmp_path_factory, empty_registry) -> Path:
    """Versions 1 and 2 promoted, then a rollback drill: three chained entries (made once)."""
    steps = [["validate"], ["retrain"], ["retrain"], ["rollback", "--reason", "drill"]]
    directory = tmp_path_factory.mktemp("drilled")
    return prepared(directory, empty_registry, *steps, ["governance"], promotion_margin="0.0")


@pytest.fixture
def drilled(lifecycle, drilled_once):
    """A copy of the drilled project, for a test to forge its trail."""
    copy_state(drilled_once, lifecycle.root)
    return lifecycle


def drill(settings):
    project = Project(settings, {}, re.compile(r"\[FILL IN"), datetime.now(UTC).date())
    return rollback_drill({"max_age_days": 90}, project)


def test_an_untouched_trail_verifies(drilled):
    entries = audit_log(drilled)
    assert [e[audit.CHAIN] for e in entries] == [audit.running(entries[:n]) for n in range(3)]
    found = audit_verification.trail(drilled)
    assert found.compared and found.problem is None and found.verified == entries
    assert not drill(drilled).problems and "rollback drill on" in drill(drilled).evidence[0]
    assert cli.main(["governance", "--check"]) == 0


@pytest.mark.parametrize(
    ("forge", "named"), [row[1:] for row in FORGERIES], ids=[row[0] for row in FORGERIES]
)
def test_a_forged_trail_is_named_at_its_first_difference(drilled, capsys, forge, named):
    capsys.readouterr()
    forge(drilled)
    assert cli.main(["governance", "--check"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "governance/audit-log.md cannot be checked" in err and named in err, err
    finding = drill(drilled)
    assert finding.problems and named in " ".join(finding.problems), finding.problems
    assert not finding.evidence
    table = (drilled.root / "governance/audit-log.md").read_text()
    assert cli.main(["governance"]) == cli.EXIT_FAILED  # the table is not rewritten
    assert (drilled.root / "governance/audit-log.md").read_text() == table


def test_a_forged_rollback_is_not_counted_as_the_drill(lifecycle):
    assert cli.main(["retrain"]) == 0
    append_chained(lifecycle)  # the only rollback is invented
    problems = drill(lifecycle).problems
    assert "records no verified rollback" in problems[-1] and "by nobody" in problems[0]


def test_a_log_from_before_the_chain_is_still_read(drilled):
    """Entries without previous_sha256 (0.5 and older) are accepted before the first chained
    entry; the first chained entry's hash covers them, and none may follow a chained one."""
    old = [{k: v for k, v in e.items() if k != audit.CHAIN} for e in audit_log(drilled)]
    drilled.audit_log.write_text("".join(json.dumps(e, sort_keys=True) + "\n" for e in old))
    registry_client.connect(drilled).tag(
        None, {audit.tag_key(e): e for e in old}
    )  # as 0.5 tagged them
    assert audit_verification.trail(drilled).problem is None
    assert cli.main(["rollback", "--to", "2", "--reason", "after the update"]) == 0
    entries = audit_log(drilled)
    assert audit.CHAIN not in entries[2] and entries[3][audit.CHAIN] == audit.running(old)
    assert audit_verification.trail(drilled).problem is None
    assert audit_verification.verify([*entries[:4], old[0]], None).problem.startswith("line 5")
