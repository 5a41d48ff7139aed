"""The generated package reads as its README says: folders by concern, small modules, no cycles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import render

MAX_LINES = 220  # "modules under ~200 lines", with a little room


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every optional module rendered (Spark engine, HTTP service)."""
    project = render(
        tmp_path_factory.mktemp("layout") / "p", tasks=False, compute="spark", serving="http"
    )
    return project / "src" / "churn_guard"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, at module level or inside functions."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*here[: len(here) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    return (found & known) - parents - {name}


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, or [] (depth-first search with the path on the stack)."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        for target in sorted(graph[node]):
            if target in path:
                return [*path[path.index(target) :], target]
            if target not in done and (found := visit(target, [*path, target])):
                return found
        done.add(node)
        return []

    for start in sorted(graph):
        if found := visit(start, [start]):
            return found
    return []


def test_no_import_cycles(package):
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    graph = {name: imports(path, name, set(files)) for name, path in files.items()}
    assert graph["churn_guard.cli"], "the import graph is empty: the parser found nothing"
    assert cycle(graph) == []


def test_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]


def test_modules_stay_small(package):
    long = {
        p.relative_to(package).as_posix(): n
        for p in package.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_readme_maps_every_folder(package):
    readme = (package.parent.parent / "README.md").read_text(encoding="utf-8")
    mapped = set(re.findall(r"^\| `(\w+)/` \|", readme, flags=re.MULTILINE))
    folders = {p.name for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == mapped
    for folder in folders:
        assert ast.get_docstring(ast.parse((package / folder / "__init__.py").read_text()))


def top_level_names(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def test_the_bench_scripts_use_modules_and_functions_that_exist(package):
    """`nox -s bench` runs scripts inside a render: every module they import from the package
    and every function they call on it must exist (they broke unseen when it was regrouped)."""
    import bench

    checked = 0
    for script in (bench.VALIDATE_1M, bench.MIXED_1M, bench.ENGINES_BENCH):
        tree = ast.parse(script.format(package=package.name, rows=(1,), runs=1))
        modules: dict[str, Path] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module.split(".")[0] == package.name:
                folder = package.parent.joinpath(*node.module.split("."))
                for alias in node.names:
                    found = [folder / f"{alias.name}.py", folder / alias.name / "__init__.py"]
                    module = next((path for path in found if path.is_file()), None)
                    assert module, f"{node.module}.{alias.name} is not a module of the package"
                    modules[alias.asname or alias.name] = module
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
                continue
            if module := modules.get(node.value.id):
                assert node.attr in top_level_names(module), f"{module.name}: {node.attr}"
                checked += 1
    assert checked >= 8
