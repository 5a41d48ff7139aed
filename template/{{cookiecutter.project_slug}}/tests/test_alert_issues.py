"""tools/open_alert_issues.py offline: the plan it prints without a token, and the requests it
would send (an open issue with the alert's key updated, never duplicated). No network."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from gate_project import write_performance
from test_alerts import THRESHOLDS, set_operate

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.operate import alerts

SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "open_alert_issues.py"
spec = importlib.util.spec_from_file_location("open_alert_issues", SCRIPT)
assert spec and spec.loader
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


@pytest.fixture
def crossed(settings) -> list[dict]:
    """reports/alerts.json with two crossed thresholds (a rollback for @dana, a warning for a
    team), as `alerts` writes it."""
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root, saving_per_decision=-1.0, adoption_rate=0.2)
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    found = json.loads((settings.reports_dir / alerts.ALERTS).read_text())["alerts"]
    assert len(found) == 2
    return found


def test_the_tool_and_the_package_agree_on_the_label_and_key():
    assert tool.LABEL == alerts.LABEL
    assert tool.KEY.pattern.startswith(f"<!-- {alerts.KEY_MARK}: ")


def test_without_a_token_the_plan_is_printed_and_nothing_sent(crossed, capsys):
    assert tool.main([], environ={"GITHUB_REPOSITORY": "acme/churn"}) == 0
    out = capsys.readouterr().out
    assert "Issues not sent to github (no GITHUB_TOKEN set)" in out
    assert "POST /issues: [" in out and "saving_per_decision below 0: rollback (dana)" in out
    assert tool.main([], environ={"GITLAB_CI": "true", "CI_PROJECT_ID": "7"}) == 0
    assert "not sent to gitlab (no PHASEGATE_ISSUES_TOKEN set)" in capsys.readouterr().out


def test_a_dry_run_sends_nothing_even_with_a_token(crossed, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dry run must not call the network")

    monkeypatch.setattr(tool.urllib.request, "urlopen", refuse)
    environ = {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "acme/churn"}
    assert tool.main(["--dry-run"], environ=environ) == 0
    assert "(dry run)" in capsys.readouterr().out


def test_an_open_issue_with_the_key_is_updated_the_others_opened(crossed):
    rollback = next(a for a in crossed if a["action"] == "rollback")
    issues = [
        {"number": 12, "body": f"old figures\n<!-- {alerts.KEY_MARK}: {rollback['key']} -->"},
        {"number": 13, "body": "someone's own issue with the label"},
        {"number": 14, "body": rollback["body"], "pull_request": {}},  # not an issue
    ]
    requests = tool.plan(crossed, tool.existing(issues, "github"), "github")
    by_key = {r["key"]: r for r in requests}
    assert (by_key[rollback["key"]]["method"], by_key[rollback["key"]]["path"]) == (
        "PATCH",
        "/issues/12",
    )
    warning = next(r for r in requests if r["key"] != rollback["key"])
    assert (warning["method"], warning["path"]) == ("POST", "/issues")
    assert by_key[rollback["key"]]["json"]["assignees"] == ["dana"]
    assert warning["json"]["assignees"] == []  # a team is told in the body, not assigned
    assert "@acme/ops" in warning["json"]["body"]


def test_gitlab_requests_use_its_fields(crossed):
    rollback = next(a for a in crossed if a["action"] == "rollback")
    found = tool.existing([{"iid": 3, "description": rollback["body"]}], "gitlab")
    requests = {r["key"]: r for r in tool.plan(crossed, found, "gitlab")}
    update = requests[rollback["key"]]
    assert (update["method"], update["path"]) == ("PUT", "/issues/3")
    assert update["json"]["labels"] == f"{alerts.LABEL},alert:rollback"
    assert update["json"]["description"] == rollback["body"]


def test_no_alerts_file_is_one_clear_error(settings, capsys):
    assert tool.main([str(settings.root / "missing.json")], environ={}) == 1
    err = capsys.readouterr().err
    assert "run `alerts` first" in err and len(err.strip().splitlines()) == 1


def test_people_are_the_handles_of_one_person():
    assert tool.people(["@dana", "@acme/ml", "bo@acme.eu", "@"]) == ["dana"]


def test_refused_assignees_do_not_stop_the_issue(monkeypatch, capsys):
    sent = []

    def call(self, method, url, body=None):
        sent.append(dict(body))
        if "assignees" in body:
            raise tool.urllib.error.HTTPError(url, 422, "Validation Failed", {}, None)

    monkeypatch.setattr(tool.Api, "call", call)
    api = tool.Api("github", "t", {"GITHUB_REPOSITORY": "acme/churn"})
    request = {"method": "POST", "path": "/issues", "json": {"title": "x", "assignees": ["ex"]}}
    api.send(request)
    assert sent == [{"title": "x", "assignees": ["ex"]}, {"title": "x"}]
    assert "assignees ['ex'] refused" in capsys.readouterr().out
