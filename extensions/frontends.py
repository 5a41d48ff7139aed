"""cookiecutter.json, derived from copier.yml so that the questions have one source.

    python -m extensions.frontends                  # rewrite template/cookiecutter.json
    python -m extensions.frontends answers REPLAY   # a cookiecutter replay file as copier data

Run the first after changing copier.yml (a test fails while cookiecutter.json
is stale). The second prints the answers of a project generated with
cookiecutter as YAML for ``copier copy --data-file`` when it adopts copier.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from extensions.validation import questions

REPO = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = REPO / "template" / "cookiecutter.json"
# cookiecutter loads the same filters (template/extensions links to ../extensions).
EXTENSIONS = ["extensions.jinja_phasegate.PhasegateFilters"]


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
    return config


def render_json() -> str:
    return json.dumps(cookiecutter_config(), indent=2, ensure_ascii=False) + "\n"


def answers_from_replay(replay: Path) -> dict[str, object]:
    """The question answers stored in a cookiecutter replay file."""
    context = json.loads(replay.read_text(encoding="utf-8"))["cookiecutter"]
    asked = questions()
    return {name: value for name, value in context.items() if name in asked}


if __name__ == "__main__":
    if sys.argv[1:2] == ["answers"] and len(sys.argv) == 3:
        print(yaml.safe_dump(answers_from_replay(Path(sys.argv[2])), allow_unicode=True), end="")
    else:
        COOKIECUTTER_JSON.write_text(render_json(), encoding="utf-8")
        print(f"wrote {COOKIECUTTER_JSON.relative_to(REPO)}")
