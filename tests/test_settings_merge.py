"""hooks/settings_merge.py: after `copier update`, pyproject.toml's lines only one side changed."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO
from template_releases import git


def test_setting_conflicts_keep_the_teams_values(tmp_path):
    """A release rewording comments beside values the team set leaves no conflict; a value
    both changed does."""
    sys.path.insert(0, str(REPO / "hooks"))
    from settings_merge import resolve

    base = [
        "[tool.phasegate.baseline]  # grammar: src/p/baseline.py",
        'rule = "x > 0"  # e.g. "x > 1"',
        "",
        "[tool.phasegate.model]",
        "max_iter = 1000",
    ]
    team = [base[0], 'rule = "note == \'a # b\'"  # e.g. "x > 1"', *base[2:4], "max_iter = 2000"]
    release = ["[tool.phasegate.baseline]  # grammar: src/p/model/baseline.py", *base[1:4]]
    release.append("max_iter = 1500")
    git("init", "-q", cwd=tmp_path)
    sides = {}
    for stage, lines in (("1", base), ("2", team), ("3", release)):
        sides[stage] = tmp_path / f"stage{stage}"
        sides[stage].write_text("\n".join(lines) + "\n")
    # As copier leaves a conflict: the merged file, the three versions in the index.
    shutil.copy(sides["2"], tmp_path / "pyproject.toml")
    labels = ["-L", "before updating", "-L", "last update", "-L", "after updating"]
    merge = ["git", "merge-file", *labels, "pyproject.toml", "stage1", "stage3"]
    subprocess.run(merge, cwd=tmp_path, check=False)
    blobs = {k: git("hash-object", "-w", v.name, cwd=tmp_path) for k, v in sides.items()}
    index = "".join(f"100644 {blobs[k]} {k}\tpyproject.toml\n" for k in blobs)
    subprocess.run(["git", "update-index", "--index-info"], input=index, text=True, cwd=tmp_path)

    (note,) = resolve(tmp_path)

    assert note.startswith("pyproject.toml:1: lines only one side changed are merged")
    lines = (tmp_path / "pyproject.toml").read_text().splitlines()
    assert lines[:2] == [release[0], team[1]]  # the team's rule, the release's comments
    # max_iter: both changed it, so it alone is left to the team.
    left = ["<<<<<<< before updating", "max_iter = 2000", "=======", "max_iter = 1500"]
    assert lines[4:] == [*left, ">>>>>>> after updating"]
