"""cookiecutter.json, derived from copier.yml so that the questions have one source.

    python -m extensions.frontends                  # rewrite template/cookiecutter.json
    python -m extensions.frontends answers RECORD   # a cookiecutter render's answers as copier data
    python -m extensions.frontends release RECORD   # the template release it was rendered from

Run the first after changing copier.yml or the template's version (a test fails while
cookiecutter.json is stale). RECORD is `.cookiecutter-answers.json` in a project generated
with cookiecutter (or cookiecutter's replay file, which has the same form): the second
prints its answers as YAML for ``copier copy --data-file`` when it adopts copier, the third
the release tag to render for that (the newest release at or before what was rendered).
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import yaml

from extensions.validation import questions

REPO = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = REPO / "template" / "cookiecutter.json"
# cookiecutter loads the same filters (template/extensions links to ../extensions).
EXTENSIONS = ["extensions.jinja_phasegate.PhasegateFilters"]
# Private cookiecutter variable the record .cookiecutter-answers.json keeps (copier: _commit).
RELEASE_KEY = "_template_release"
RECORD = ".cookiecutter-answers.json"  # what a cookiecutter render keeps of its context


def template_release() -> str:
    """The newest release, as the template's pyproject.toml states it (a test keeps them equal)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"v{project['version']}"


def _in_cookiecutter_namespace(default: object, names: set[str]) -> str:
    """Prefix answer names inside Jinja expressions with ``cookiecutter.``."""
    text = str(default)
    pattern = re.compile(r"(?<![\w.'\"])(" + "|".join(sorted(names)) + r")\b")
    return re.sub(r"\{\{.*?\}\}", lambda m: pattern.sub(r"cookiecutter.\1", m.group(0)), text)


def cookiecutter_config() -> dict:
    asked = questions()
    config: dict[str, object] = {}
    for name, question in asked.items():
        default = _in_cookiecutter_namespace(question.get("default", ""), set(asked))
        if "choices" in question:
            choices = [str(c) for c in question["choices"]]
            config[name] = [default, *(c for c in choices if c != default)]
        else:
            config[name] = default
    config["__prompts__"] = {name: q["help"] for name, q in asked.items()}
    config["_extensions"] = EXTENSIONS
    config[RELEASE_KEY] = template_release()
    return config


def render_json() -> str:
    return json.dumps(cookiecutter_config(), indent=2, ensure_ascii=False) + "\n"


def answers_from_replay(replay: Path) -> dict[str, object]:
    """The question answers stored in a cookiecutter replay file or a project's record."""
    context = record_context(replay)
    asked = questions()
    return {name: value for name, value in context.items() if name in asked}


def record_context(record: Path) -> dict:
    """The context in a record or replay file; a file that is neither stops with one line."""
    try:
        context = json.loads(record.read_text(encoding="utf-8"))["cookiecutter"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        problem = f"{record}: not a cookiecutter record or replay file ({error!r})"
        raise SystemExit(problem) from None
    if not isinstance(context, dict):
        raise SystemExit(f"{record}: not a cookiecutter record or replay file")
    return context


def release_from_record(record: Path) -> str:
    context = record_context(record)
    if RELEASE_KEY not in context:
        raise SystemExit(f"{record}: no {RELEASE_KEY} (an older render): pick the tag by date")
    return str(context[RELEASE_KEY])


def main(argv: list[str]) -> None:
    if argv[:1] == ["answers"] and len(argv) == 2:
        print(yaml.safe_dump(answers_from_replay(Path(argv[1])), allow_unicode=True), end="")
    elif argv[:1] == ["release"] and len(argv) == 2:
        print(release_from_record(Path(argv[1])))
    elif not argv:
        COOKIECUTTER_JSON.write_text(render_json(), encoding="utf-8")
        print(f"wrote {COOKIECUTTER_JSON.relative_to(REPO)}")
    else:
        raise SystemExit("usage: python -m extensions.frontends [answers RECORD | release RECORD]")


if __name__ == "__main__":
    main(sys.argv[1:])
