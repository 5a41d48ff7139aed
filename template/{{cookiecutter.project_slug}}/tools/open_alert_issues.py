"""Open, update or close one issue per threshold of reports/alerts.json (standard library only).

`<package> alerts` writes the payloads; this tool sends them to GitHub or GitLab. An open issue
carrying the `phasegate-alert` label and the alert's key (hidden in its body) is updated, so a
threshold that stays crossed keeps one issue. An open issue whose threshold was judged and is no
longer crossed is closed, with a comment giving the figure; one whose threshold could not be
judged this run (a report missing, a figure null) is left as it is. Assignees: the `notify`
handles that name a person (@name); teams (@group/team) and e-mail addresses are told through the
body's "Who is told".

    python tools/open_alert_issues.py [reports/alerts.json] [--dry-run]

GitHub: GITHUB_TOKEN (issues: write) and GITHUB_REPOSITORY, as a workflow has them.
GitLab: PHASEGATE_ISSUES_TOKEN (a project access token with the api scope; the job token cannot
write issues) and CI_PROJECT_ID, CI_API_V4_URL, as a pipeline has them.
Without a token the plan is printed and nothing is sent (exit 0); a failed call exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

LABEL = "phasegate-alert"
KEY = re.compile(r"<!-- phasegate-alert-key: (\S+) -->")
TIMEOUT = 20  # seconds per call
TOKENS = {"github": "GITHUB_TOKEN", "gitlab": "PHASEGATE_ISSUES_TOKEN"}


def provider(environ: dict[str, str]) -> str:
    """github in a workflow, gitlab in a pipeline; github elsewhere (for the plan)."""
    return "gitlab" if environ.get("GITLAB_CI") or environ.get("CI_PROJECT_ID") else "github"


def people(notify: list[str]) -> list[str]:
    """The handles of ``notify`` that name one person (@name), without the @."""
    return [n[1:] for n in notify if n.startswith("@") and "/" not in n and len(n) > 1]


def existing(issues: list[dict], where: str) -> dict[str, int]:
    """Open alert issues by their key: number (GitHub) or iid (GitLab); pull requests left out."""
    found = {}
    for issue in issues:
        if "pull_request" in issue:
            continue
        match = KEY.search(issue.get("body" if where == "github" else "description") or "")
        if match:
            found.setdefault(match[1], issue["number" if where == "github" else "iid"])
    return found


def plan(
    alerts: list[dict],
    open_issues: dict[str, int],
    where: str,
    cleared: list[dict] = [],  # noqa: B006
) -> list[dict]:
    """One request per alert: update the open issue with its key, or open a new one; then one
    per open issue whose threshold is in ``cleared`` (judged, not crossed): close it."""
    requests = []
    for alert in alerts:
        number = open_issues.get(alert["key"])
        if where == "github":
            path = "/issues" + (f"/{number}" if number else "")
            body = {"title": alert["title"], "body": alert["body"], "labels": alert["labels"]}
            body["assignees"] = people(alert["assignees"])
            method = "PATCH" if number else "POST"
        else:
            path = "/issues" + (f"/{number}" if number else "")
            body = {"title": alert["title"], "description": alert["body"]}
            body |= {"labels": ",".join(alert["labels"]), "assignees": people(alert["assignees"])}
            method = "PUT" if number else "POST"
        requests.append({"key": alert["key"], "method": method, "path": path, "json": body})
    crossed = {alert["key"] for alert in alerts}
    for figure in cleared:
        if (number := open_issues.get(figure["key"])) and figure["key"] not in crossed:
            requests.append(closing(figure, number, where))
    return requests


def back_within(figure: dict) -> str:
    return (
        f"`{figure['metric']}` is back within its limit: {figure['value']:.4g} ({figure['limit']})"
    )


def closing(figure: dict, number: int, where: str) -> dict:
    """Close the open issue of a threshold no longer crossed, after a comment saying so."""
    note = f"{back_within(figure)}. Closed by the alerts run; a new crossing opens a new issue."
    if where == "github":
        comment = {"path": f"/issues/{number}/comments", "json": {"body": note}}
        close = {"method": "PATCH", "json": {"state": "closed", "state_reason": "completed"}}
    else:
        comment = {"path": f"/issues/{number}/notes", "json": {"body": note}}
        close = {"method": "PUT", "json": {"state_event": "close"}}
    return {"key": figure["key"], "path": f"/issues/{number}", "comment": comment, **close}


class Api:
    """The issues API of one repository (GitHub) or project (GitLab)."""

    def __init__(self, where: str, token: str, environ: dict[str, str]) -> None:
        self.where = where
        if where == "github":
            api = environ.get("GITHUB_API_URL", "https://api.github.com")
            self.base = f"{api}/repos/{environ['GITHUB_REPOSITORY']}"
            self.headers = {"Authorization": f"Bearer {token}"}
            self.headers |= {"Accept": "application/vnd.github+json"}
        else:
            api = environ.get("CI_API_V4_URL", "https://gitlab.com/api/v4")
            self.root = api
            self.base = f"{api}/projects/{urllib.parse.quote(environ['CI_PROJECT_ID'], safe='')}"
            self.headers = {"PRIVATE-TOKEN": token}

    def call(self, method: str, url: str, body: dict | None = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        headers = {**self.headers, "Content-Type": "application/json"}
        request = urllib.request.Request(url, data, headers, method=method)  # noqa: S310 - https API
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read() or b"null")

    def open_alerts(self) -> dict[str, int]:
        state = "open" if self.where == "github" else "opened"
        query = urllib.parse.urlencode({"state": state, "labels": LABEL, "per_page": 100})
        found = self.call("GET", f"{self.base}/issues?{query}")
        return existing(found if isinstance(found, list) else [], self.where)

    def send(self, request: dict) -> None:
        body = dict(request["json"])
        if "comment" in request:  # a close: the comment first, so the issue says why
            self.call("POST", self.base + request["comment"]["path"], request["comment"]["json"])
        elif self.where == "gitlab":  # GitLab assigns by user id
            names = body.pop("assignees")
            body["assignee_ids"] = [i for name in names if (i := self.user_id(name)) is not None]
        try:
            self.call(request["method"], self.base + request["path"], body)
        except urllib.error.HTTPError as error:
            if error.code != 422 or not body.get("assignees"):
                raise
            # GitHub refuses the whole issue when one assignee cannot be assigned: send it
            # without them (the body still names everyone told) and say so.
            print(f"assignees {body.pop('assignees')} refused ({error}): sent without them")
            self.call(request["method"], self.base + request["path"], body)

    def user_id(self, name: str) -> int | None:
        found = self.call("GET", f"{self.root}/users?{urllib.parse.urlencode({'username': name})}")
        return found[0]["id"] if isinstance(found, list) and found else None


def shown(request: dict) -> str:
    if "comment" in request:
        return (
            f"{request['method']} {request['path']}: closed, {request['comment']['json']['body']}"
        )
    who = ", ".join(request["json"]["assignees"]) or "nobody assigned"
    return f"{request['method']} {request['path']}: {request['json']['title']} ({who})"


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("alerts", nargs="?", type=Path, default=Path("reports/alerts.json"))
    parser.add_argument("--dry-run", action="store_true", help="print the plan, send nothing")
    args = parser.parse_args(argv)
    environ = dict(os.environ) if environ is None else environ
    try:
        judged = json.loads(args.alerts.read_text(encoding="utf-8"))
        alerts, cleared = judged["alerts"], judged.get("cleared", [])
        not_judged = judged.get("not_judged", [])
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"{args.alerts}: no alerts to send ({error}); run `alerts` first", file=sys.stderr)
        return 1
    where = provider(environ)
    token = environ.get(TOKENS[where], "")
    if not alerts and not cleared:
        print(f"{args.alerts}: no threshold judged, no issue to open or close")
        return 0
    if args.dry_run or not token:
        why = "dry run" if args.dry_run else f"no {TOKENS[where]} set"
        print(f"Issues not sent to {where} ({why}); the plan, each updated if open already:")
        for request in plan(alerts, {}, where):
            print(f"  {shown(request)}")
        for figure in cleared:
            print(f"  close the open issue of {figure['key']}, if any: {back_within(figure)}")
        for figure in not_judged:
            which = figure.get("key", figure.get("metric"))
            print(f"  leave the open issue of {which}, if any: not judged ({figure.get('why')})")
        return 0
    try:
        api = Api(where, token, environ)
        open_issues = api.open_alerts()
        for request in plan(alerts, open_issues, where, cleared):
            api.send(request)
            print(shown(request))
        for figure in not_judged:
            if number := open_issues.get(figure.get("key", "")):
                print(
                    f"left open: /issues/{number}, {figure['metric']} not judged ({figure['why']})"
                )
    except KeyError as error:
        print(f"{where}: {error} is not set: run this in CI, or use --dry-run", file=sys.stderr)
        return 1
    except OSError as error:  # urllib's HTTPError and URLError are OSErrors
        print(f"{where}: the issues API refused or did not answer: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
