"""The compile cache that makes `copier copy` and `copier update` cheaper
(extensions/compile_cache.py): once per process, and kept between runs."""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path

from conftest import REPO
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


# One run of a process that renders one string, with the compile cache kept in a store file:
# prints the render and how many times Jinja compiled.
ONE_RUN = """
import sys
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

sys.path.insert(0, sys.argv[2])
from extensions import compile_cache

compiled = []
original = jinja2.Environment.compile


def counting(self, source, *args, **kwargs):
    compiled.append(source)
    return original(self, source, *args, **kwargs)


jinja2.Environment.compile = counting
environment = SandboxedEnvironment(keep_trailing_newline=True)
compile_cache.install(environment, Path(sys.argv[1]))
print(environment.from_string("{{ name | upper }}!").render(name="ok"), len(compiled))
"""


def one_run(store: Path) -> list[str]:
    command = [sys.executable, "-c", ONE_RUN, str(store), str(REPO)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()


def test_a_later_run_reads_the_code_of_the_strings_compiled_before(tmp_path):
    store = tmp_path / compile_cache.STORE
    assert one_run(store) == ["OK!", "1"]
    assert one_run(store) == ["OK!", "0"]


def test_a_damaged_or_stale_store_is_compiled_anew_and_replaced(tmp_path):
    store = tmp_path / compile_cache.STORE
    store.write_bytes(b"not what marshal wrote")
    assert one_run(store) == ["OK!", "1"]
    assert one_run(store) == ["OK!", "0"]
    _, version, codes = marshal.loads(store.read_bytes())
    store.write_bytes(marshal.dumps((b"\0\0\r\n", version, codes)))  # another Python's
    assert one_run(store) == ["OK!", "1"]


def test_a_store_that_cannot_be_written_only_means_compiling(tmp_path):
    store = tmp_path / "no such folder" / compile_cache.STORE
    assert one_run(store) == ["OK!", "1"]
    assert one_run(store) == ["OK!", "1"]
    assert not store.exists()
