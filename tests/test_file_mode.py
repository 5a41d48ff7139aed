"""Copier's per-file `core.fileMode` question, asked once per render (extensions/file_mode.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import copier._main
import pytest
from jinja2.sandbox import SandboxedEnvironment

from extensions import file_mode


class Worker:
    """Stands in for copier's Worker: records each file its per-file step handled."""

    def __init__(self, environment: SandboxedEnvironment, destination: Path) -> None:
        self.jinja_env = environment
        self.subproject = SimpleNamespace(local_abspath=destination)
        self.synced: list[str] = []

    def _sync_git_index_executable_bit(self, dst_relpath: Path, src_mode: int) -> None:
        self.synced.append(str(dst_relpath))


@pytest.fixture
def asked(monkeypatch):
    """The folders git was asked about, in order; copier's Worker replaced by the stand-in."""
    monkeypatch.setattr(copier._main, "Worker", Worker)
    step = Worker._sync_git_index_executable_bit
    monkeypatch.setattr(Worker, "_sync_git_index_executable_bit", step)  # put back afterwards
    folders: list[str] = []
    ask = file_mode.file_mode

    def counted(folder: str) -> str:
        folders.append(folder)
        return ask(folder)

    monkeypatch.setattr(file_mode, "file_mode", counted)
    return folders


def repository(path: Path, setting: str) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    subprocess.run(["git", "config", "core.fileMode", setting], cwd=path, check=True)
    return path


def render(worker: Worker, files: int) -> None:
    for number in range(files):
        worker._sync_git_index_executable_bit(Path(f"f{number}.sh"), 0o755)


def test_file_mode_false_still_runs_copiers_step_for_every_file(tmp_path, asked):
    environment = SandboxedEnvironment()
    file_mode.install(environment)
    worker = Worker(environment, repository(tmp_path / "p", "false"))
    render(worker, 5)
    assert worker.synced == [f"f{n}.sh" for n in range(5)]
    assert asked == [str(tmp_path / "p")]


def test_file_mode_true_asks_git_once_and_skips_copiers_step(tmp_path, asked):
    environment = SandboxedEnvironment()
    file_mode.install(environment)
    worker = Worker(environment, repository(tmp_path / "p", "true"))
    render(worker, 5)
    assert worker.synced == []
    assert asked == [str(tmp_path / "p")]
    assert file_mode.file_mode(str(tmp_path)) == ""  # no repository: copier's no-op as well


def test_each_render_asks_anew_and_other_templates_are_left_alone(tmp_path, asked):
    ours = SandboxedEnvironment()
    file_mode.install(ours)
    file_mode.install(SandboxedEnvironment())  # a second copy of the template: wrapped once
    render(Worker(ours, repository(tmp_path / "a", "true")), 2)
    later = SandboxedEnvironment()
    file_mode.install(later)
    changed = repository(tmp_path / "b", "false")
    worker = Worker(later, changed)
    render(worker, 2)
    assert worker.synced == ["f0.sh", "f1.sh"]
    assert asked == [str(tmp_path / "a"), str(changed)]
    theirs = Worker(SandboxedEnvironment(), changed)  # no phasegate extension
    render(theirs, 3)
    assert theirs.synced == ["f0.sh", "f1.sh", "f2.sh"]
    assert asked == [str(tmp_path / "a"), str(changed)]
