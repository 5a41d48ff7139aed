"""tools/open_alert_issues.py offline: the plan it prints without a token, and the requests it
would send (an open issue with the alert's key updated, never duplicated, closed once its
threshold is judged within its limit). The API is a local HTTP server standing in for GitHub's
and GitLab's; no network."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

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


class IssuesApi(BaseHTTPRequestHandler):
    """Answers as GitHub's or GitLab's issues API would, from ``issues``; records every call."""

    issues: ClassVar[list[dict]] = []
    calls: ClassVar[list[tuple[str, str, object, str]]] = []

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        token = self.headers.get("Authorization") or self.headers.get("PRIVATE-TOKEN") or ""
        self.calls.append((self.command, self.path, body, token))
        if self.command == "GET" and "/users?" in self.path:
            found: object = [{"id": 41, "username": "dana"}]
        elif self.command == "GET":
            found = self.issues
        else:
            found = {"number": 1, "iid": 1}
        data = json.dumps(found).encode()
        self.send_response(200 if self.command == "GET" else 201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = answer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the calls."""


@pytest.fixture
def server() -> Iterator[str]:
    """The stand-in API on a free local port: its address."""
    IssuesApi.issues, IssuesApi.calls = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), IssuesApi)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def judged(settings) -> dict:
    """reports/alerts.json with one threshold crossed (saving, a rollback), one judged within its
    limit (calibration error 0.04, above 0.1 retrains) and one not judged (adoption, null)."""
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root, saving_per_decision=-1.0, adoption_rate=None)
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    found = json.loads((settings.reports_dir / alerts.ALERTS).read_text())
    keys = {name: [x["key"] for x in found[name]] for name in ("alerts", "cleared", "not_judged")}
    assert keys == {
        "alerts": ["performance/saving_per_decision/below-0"],
        "cleared": ["performance/calibration_error/above-0.1"],
        "not_judged": ["performance/adoption_rate/below-0.5"],
    }
    return found


def open_issue(number: int, key: str, where: str) -> dict:
    text = f"figures of an earlier run\n<!-- {alerts.KEY_MARK}: {key} -->"
    return (
        {"number": number, "body": text}
        if where == "github"
        else {"iid": number, "description": text}
    )


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


def test_the_plan_says_which_issues_it_would_close_and_which_it_leaves(judged, capsys):
    assert tool.main(["--dry-run"], environ={"GITHUB_REPOSITORY": "acme/churn"}) == 0
    out = capsys.readouterr().out
    assert (
        "close the open issue of performance/calibration_error/above-0.1, if any: "
        "`calibration_error` is back within its limit: 0.04 (above 0.1)" in out
    )
    assert "leave the open issue of performance/adoption_rate/below-0.5, if any: not judged" in out


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


def test_a_cleared_threshold_closes_its_github_issue_a_not_judged_one_stays_open(
    judged, server, capsys
):
    saving, calibration, adoption = (
        judged[n][0]["key"] for n in ("alerts", "cleared", "not_judged")
    )
    IssuesApi.issues = [open_issue(21, saving, "github"), open_issue(22, calibration, "github")]
    IssuesApi.issues.append(open_issue(23, adoption, "github"))
    environ = {"GITHUB_TOKEN": "t0k", "GITHUB_REPOSITORY": "acme/churn", "GITHUB_API_URL": server}
    assert tool.main([], environ=environ) == 0
    calls = [(method, path) for method, path, _, _ in IssuesApi.calls]
    assert calls == [
        ("GET", "/repos/acme/churn/issues?state=open&labels=phasegate-alert&per_page=100"),
        ("PATCH", "/repos/acme/churn/issues/21"),
        ("POST", "/repos/acme/churn/issues/22/comments"),
        ("PATCH", "/repos/acme/churn/issues/22"),
    ]
    comment, close = IssuesApi.calls[2][2], IssuesApi.calls[3][2]
    assert "`calibration_error` is back within its limit: 0.04 (above 0.1)" in comment["body"]
    assert close == {"state": "closed", "state_reason": "completed"}
    assert {token for *_, token in IssuesApi.calls} == {"Bearer t0k"}
    out = capsys.readouterr().out
    assert "left open: /issues/23, adoption_rate not judged" in out


def test_a_cleared_threshold_closes_its_gitlab_issue_a_not_judged_one_stays_open(judged, server):
    saving, calibration, adoption = (
        judged[n][0]["key"] for n in ("alerts", "cleared", "not_judged")
    )
    IssuesApi.issues = [open_issue(5, saving, "gitlab"), open_issue(6, calibration, "gitlab")]
    IssuesApi.issues.append(open_issue(7, adoption, "gitlab"))
    environ = {
        "GITLAB_CI": "true",
        "CI_PROJECT_ID": "acme/churn",
        "CI_API_V4_URL": server + "/api/v4",
        "PHASEGATE_ISSUES_TOKEN": "glpat",
    }
    assert tool.main([], environ=environ) == 0
    project = "/api/v4/projects/acme%2Fchurn"
    calls = [(method, path) for method, path, _, _ in IssuesApi.calls]
    assert calls == [
        ("GET", f"{project}/issues?state=opened&labels=phasegate-alert&per_page=100"),
        ("GET", "/api/v4/users?username=dana"),
        ("PUT", f"{project}/issues/5"),
        ("POST", f"{project}/issues/6/notes"),
        ("PUT", f"{project}/issues/6"),
    ]
    assert IssuesApi.calls[2][2]["assignee_ids"] == [41]
    assert "back within its limit: 0.04" in IssuesApi.calls[3][2]["body"]
    assert IssuesApi.calls[4][2] == {"state_event": "close"}


def test_an_issue_is_not_closed_without_a_judged_figure_or_while_crossed(judged):
    calibration = judged["cleared"][0]
    found = {calibration["key"]: 22, judged["not_judged"][0]["key"]: 23}
    assert [r["path"] for r in tool.plan([], found, "github", [calibration])] == ["/issues/22"]
    assert tool.plan([], found, "github", []) == []  # nothing judged: nothing closed
    crossed = [{**judged["alerts"][0], "key": calibration["key"]}]
    assert [r["method"] for r in tool.plan(crossed, found, "github", [calibration])] == ["PATCH"]
