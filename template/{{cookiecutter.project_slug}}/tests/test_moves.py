"""Moves of the champion are serialised and atomic: a lock for the embedded registry, compare
and set on the alias, an intent recorded first, and a repair after a crash at any step (the
fault-injection hook PHASEGATE_FAIL_AT stands in for a kill)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from registry_project import audit_log, champion, copy_state, prepared

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.lifecycle import (
    audit_verification,
    champion_lock,
    champion_moves,
    promotion,
    registry_client,
)

MOVED = {"intent": False, "previous-tag": False, "alias": True, "audit-file": True}
MOVED["audit-tag"] = True
assert set(MOVED) == set(champion_moves.STEPS)


@pytest.fixture(scope="module")
def two_once(tmp_path_factory, empty_registry) -> Path:
    """Version 1 is the champion, version 2 the challenger (equal: the margin is 0)."""
    steps = [["retrain"], ["retrain", "--no-promote"]]
    return prepared(tmp_path_factory.mktemp("two"), empty_registry, *steps, promotion_margin="0.0")


@pytest.fixture
def two(lifecycle, two_once):
    """A copy of ``two_once``, for a test to move its champion."""
    copy_state(two_once, lifecycle.root)
    return lifecycle


def state(settings) -> tuple:
    reg = registry_client.connect(settings)
    previous = reg.version("2").tags.get(champion_moves.PREVIOUS_TAG)
    actions = [(e["action"], e["from_version"], e["to_version"]) for e in audit_log(settings)]
    return champion(), previous, actions, champion_moves.INTENT_TAG in reg.tags()


@pytest.mark.parametrize("step", champion_moves.STEPS)
def test_a_crash_at_any_step_is_repaired_by_the_next_command(two, monkeypatch, capsys, step):
    monkeypatch.setenv(champion_moves.FAIL_AT, step)
    with pytest.raises(champion_moves.SimulatedCrash):
        cli.main(["promote", "--reason", "crash drill"])
    monkeypatch.delenv(champion_moves.FAIL_AT)
    moved = MOVED[step]
    now, previous, _, pending = state(two)
    assert pending and now == ("2" if moved else "1")
    assert previous == ("1" if step != "intent" else None)  # set before the alias moves
    problem = audit_verification.trail(two).problem
    assert problem and "interrupted" in problem  # the governance check and gate 4 say so
    capsys.readouterr()

    assert cli.main(["rollback", "--reason", "after the crash"]) == (0 if moved else 1)
    err = capsys.readouterr().err
    if moved:  # completed: the audit entry written once, then the rollback ran
        assert "had moved the champion; its audit entry is complete now" in err
        assert state(two) == (
            "1",
            "1",
            [("promote", None, "1"), ("promote", "1", "2"), ("rollback", "2", "1")],
            False,
        )
    else:  # undone: v2 never became champion, so v1 has nothing to roll back to
        assert "never moved the champion (version 1)" in err and "replaced no champion" in err
        assert state(two) == ("1", None, [("promote", None, "1")], False)
    assert audit_verification.trail(two).problem is None


def test_the_alias_moves_only_if_the_champion_is_unchanged(two, monkeypatch, capsys):
    """Another machine moves the champion while a promotion is being checked."""
    assert cli.main(["retrain", "--no-promote"]) == 0  # version 3
    smoke = promotion.smoke  # the checks the promote verb calls

    def raced(model, settings):
        # not through this project
        registry_client.connect(settings).point(registry_client.CHAMPION, "2")
        return smoke(model, settings)

    monkeypatch.setattr(promotion, "smoke", raced)
    entries = audit_log(two)
    assert cli.main(["promote", "--version", "3", "--reason", "race"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "the champion changed from version 1 to 2 while this promote ran" in err
    assert "nothing was changed" in err
    reg = registry_client.connect(two)
    assert champion() == "2" and audit_log(two) == entries
    assert champion_moves.PREVIOUS_TAG not in reg.version("3").tags
    assert champion_moves.INTENT_TAG not in reg.tags()


def test_a_second_move_waits_for_the_lock(two, monkeypatch, capsys):
    monkeypatch.setattr(champion_lock, "LOCK_WAIT_SECONDS", 0.5)
    entries = audit_log(two)
    with champion_lock.locked(two):  # a promote or rollback running in another process
        assert cli.main(["promote", "--reason", "while another runs"]) == cli.EXIT_FAILED
        assert cli.main(["rollback", "--to", "2", "--reason", "x"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert err.count("another promote, rollback or retrain holds") == 2
    assert champion_lock.LOCK in err
    assert champion() == "1" and audit_log(two) == entries
    assert cli.main(["promote", "--reason", "after it finished"]) == 0
    assert champion() == "2"


def test_an_audit_that_cannot_be_written_says_the_champion_moved(two, capsys):
    """The audit file cannot be replaced (a folder in its place): the alias had moved, so the
    error says so, and the next command completes the audit."""
    log = two.audit_log
    kept = log.read_text()
    log.unlink()
    log.mkdir()
    assert cli.main(["promote", "--reason", "audit unwritable"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "version 2 is the champion now, but its audit entry could not be completed" in err
    assert champion() == "2"
    log.rmdir()
    log.write_text(kept)
    assert cli.main(["rollback", "--reason", "back"]) == 0
    assert "its audit entry is complete now" in capsys.readouterr().err
    actions = [e["action"] for e in audit_log(two)]
    assert (
        actions == ["promote", "promote", "rollback"]
        and audit_verification.trail(two).problem is None
    )
    intent = registry_client.connect(two).tags().get(champion_moves.INTENT_TAG)
    assert intent is None, json.loads(intent)
