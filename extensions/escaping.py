"""One escaping function per target language.

Every answer that a template file interpolates goes through one of these
(registered as Jinja filters by ``extensions/jinja_phasegate.py``), so the
generated file parses and carries the exact text the user typed.
Control characters and template delimiters never get this far: the
validators in ``validation.py`` refuse them.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from numbers import Real

# ASCII punctuation that starts Markdown, HTML or math syntax anywhere in a line.
_MARKDOWN_SPECIAL = set("\\`*_[]<>#|~&$")
# What starts a list, quote or heading when it opens a line: "- ", "1. ", "= ".
_MARKDOWN_LINE_START = re.compile(r"^(\d*)([-+=.)])(?=\s|$)")


def toml(value: object) -> str:
    """A TOML value: basic string, integer, float or boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Real):
        return _number(value)
    text = str(value)
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def yaml(value: object) -> str:
    """A YAML 1.1/1.2 double-quoted scalar (JSON strings are valid YAML)."""
    if isinstance(value, (bool, Real)):
        return toml(value)
    return json.dumps(str(value), ensure_ascii=False)


def gitlab(value: object) -> str:
    """A YAML scalar for the places GitLab expands variables in: every `$` doubled (`$$`).

    GitLab reads `$$` as one literal `$`, so `$CI_JOB_TOKEN` in an answer stays text.
    """
    if isinstance(value, (bool, Real)):
        return yaml(value)
    return yaml(str(value).replace("$", "$$"))


def json_value(value: object) -> str:
    """A JSON value."""
    return json.dumps(value, ensure_ascii=False)


def python(value: object) -> str:
    """A Python literal."""
    if not isinstance(value, bool) and isinstance(value, Real):
        return _number(value)
    return repr(value)


def shell(value: object) -> str:
    """One POSIX shell word, never expanded."""
    return shlex.quote(str(value))


def markdown(value: object) -> str:
    """Inline Markdown text that renders exactly as typed."""
    if not isinstance(value, bool) and isinstance(value, Real):
        value = _number(value)
    text = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(value))
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", text)


def _number(value: Real) -> str:
    """Shortest exact text for a finite number; integral floats drop '.0'."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)


def number(value: object) -> str:
    """A number answer (copier gives floats, cookiecutter strings)."""
    return _number(float(value))  # type: ignore[arg-type]


FILTERS = {
    "toml": toml,
    "yaml": yaml,
    "gitlab": gitlab,
    "json": json_value,
    "py": python,
    "sh": shell,
    "md": markdown,
    "number": number,
}
