"""The compile cache that makes `copier update` cheaper (extensions/compile_cache.py)."""

from __future__ import annotations

from jinja2.sandbox import SandboxedEnvironment

from extensions import compile_cache


def environment(**settings: object) -> SandboxedEnvironment:
    env = SandboxedEnvironment(keep_trailing_newline=True, **settings)  # type: ignore[arg-type]
    compile_cache.install(env)
    return env


def test_a_source_is_compiled_once_for_environments_with_the_same_settings():
    source = "{{ name | upper }} in {{ place }}"
    first, second = environment(), environment()
    assert first.compile(source) is second.compile(source)
    assert first.from_string(source).render(name="a", place="b") == "A in b"
    assert second.from_string(source).render(name="c", place="d") == "C in d"


def test_other_syntax_settings_compile_anew():
    source = "<< name >> {{ name }}"
    plain, angled = environment(), environment(variable_start_string="<<", variable_end_string=">>")
    assert plain.compile(source) is not angled.compile(source)
    assert plain.from_string(source).render(name="x") == "<< name >> x"
    assert angled.from_string(source).render(name="x") == "x {{ name }}"


def test_raw_compilation_is_left_alone():
    env = environment()
    assert env.compile("{{ a }}", raw=True) == env.compile("{{ a }}", raw=True)
    assert isinstance(env.compile("{{ a }}", raw=True), str)
