"""Before `copier update` (a `_migrations` entry with `_stage == 'before'`): set aside the
values the tooling owns, so that the merge never conflicts on them.

The catalog's phase, lifecycle and template version go back to what every release renders,
and the business answers take the team's current [tool.phasegate.business] values (so files
a release adds show them); both are staged, as copier reads the project from git's index.
hooks/post_gen_project.py writes the catalog's values again after the merge. The code is the
new release's tools/owned_values.py, the module tools/template_check.py uses.

It first runs hooks/migrate.py's `before` stage (moved files), in this one process: each
migration copier runs is a Python interpreter started anew.
"""

import sys
from pathlib import Path

import migrate
from post_gen_project import tool


def main() -> int:
    if migrate.run("before"):
        return 1  # copier stops the update, as it did when this was a migration of its own
    owned = tool("owned_values")
    try:
        names = owned.prepare_update(Path.cwd())
    except owned.SettingError as error:
        print(f"phasegate: owned values left as they are: {error}", file=sys.stderr)
        return 0
    print(f"phasegate: values the tooling owns set aside for the merge: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
