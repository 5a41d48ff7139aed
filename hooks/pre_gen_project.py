"""cookiecutter pre-generation hook: refuse bad answers, as copier's validators do.

cookiecutter renders this file with Jinja before running it. The checks are
the ones copier calls (extensions/validation.py), so both front ends refuse
the same answers with the same messages.
"""

import json
import sys

# tojson escapes every quote, so the raw string cannot end early and JSON sees the exact text.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
sys.path.insert(0, r"""{{ template_root }}""")

from extensions.validation import check_all  # noqa: E402

problems = check_all(ANSWERS)
for name, message in problems.items():
    print(f"Validation error for question '{name}': {message}", file=sys.stderr)
sys.exit(1 if problems else 0)
