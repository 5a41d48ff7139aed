"""Compiled template files kept between runs (extensions/bytecode_cache.py)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from extensions import bytecode_cache, compile_cache


def environment(template: Path, cache: Path) -> tuple[SandboxedEnvironment, list[str]]:
    """An environment rendering from ``template``; the list collects the sources it compiles."""
    env = SandboxedEnvironment(loader=FileSystemLoader(str(template)), keep_trailing_newline=True)
    bytecode_cache.install(env, lambda: compile_cache.settings(env), cache)
    compiled: list[str] = []
    compile_source = env.compile

    def counted(source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(source)
        return compile_source(source, name, filename, raw, defer_init)

    env.compile = counted  # type: ignore[method-assign]
    return env, compiled


def clone(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "a.md").write_text(text, encoding="utf-8")
    return folder


def test_a_file_compiled_in_one_clone_is_reused_from_another(tmp_path):
    cache = tmp_path / "cache"
    first, compiled = environment(clone(tmp_path, "one", "# {{ name }}\n"), cache)
    assert first.get_template("docs/a.md").render(name="x") == "# x\n"
    assert compiled == ["# {{ name }}\n"]
    second, compiled = environment(clone(tmp_path, "two", "# {{ name }}\n"), cache)
    assert second.get_template("docs/a.md").render(name="y") == "# y\n"
    assert compiled == []  # same name, same source, another folder: read from the cache


def test_a_changed_file_is_compiled_again(tmp_path):
    cache = tmp_path / "cache"
    environment(clone(tmp_path, "one", "# {{ name }}\n"), cache)[0].get_template("docs/a.md")
    changed, compiled = environment(clone(tmp_path, "two", "## {{ name | upper }}\n"), cache)
    assert changed.get_template("docs/a.md").render(name="y") == "## Y\n"
    assert compiled == ["## {{ name | upper }}\n"]


def test_other_syntax_settings_do_not_share_entries(tmp_path):
    cache, source = tmp_path / "cache", "<< name >> {{ name }}\n"
    environment(clone(tmp_path, "one", source), cache)[0].get_template("docs/a.md")
    angled, compiled = environment(clone(tmp_path, "two", source), cache)
    angled.variable_start_string, angled.variable_end_string = "<<", ">>"
    assert angled.get_template("docs/a.md").render(name="z") == "z {{ name }}\n"
    assert len(compiled) == 1


def test_an_unwritable_cache_leaves_rendering_alone(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    env, compiled = environment(clone(tmp_path, "one", "{{ 1 + 1 }}\n"), blocked / "cache")
    assert env.get_template("docs/a.md").render() == "2\n"
    assert compiled == ["{{ 1 + 1 }}\n"]
