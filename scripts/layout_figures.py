"""Figures that say whether the code's layout holds: import cycles between modules, imports
hidden inside functions, private names imported from another module, `# type: ignore`
comments and files over 400 lines. Run from the repository root:

    .venv/bin/python scripts/layout_figures.py

The same figures before and after a regrouping show what it changed (docs/architecture.md).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import grimp

APPS = ("advocacy", "campaigns", "policy", "reports", "config")
ROOT = Path(__file__).resolve().parent.parent
TASK_DECORATORS = {"shared_task", "task"}


def python_files() -> list[Path]:
    files: list[Path] = []
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_task(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in TASK_DECORATORS:
            return True
    return False


def function_level_imports(tree: ast.Module) -> tuple[int, int]:
    """(imports inside functions outside task bodies, imports inside task bodies)."""
    hidden = in_tasks = 0

    def visit(node: ast.AST, depth: int, in_task: bool) -> None:
        nonlocal hidden, in_tasks
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom) and depth > 0:
                if in_task:
                    in_tasks += 1
                else:
                    hidden += 1
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, depth + is_function, in_task or is_task(child))

    visit(tree, 0, False)
    return hidden, in_tasks


def private_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in APPS:
                continue
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found += [f".{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def cycles() -> list[list[str]]:
    """Strongly connected components (more than one module) of the module import graph,
    counting imports inside functions, as Python executes them."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS, cache_dir=None)
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(10_000)

    def strongconnect(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if ".migrations" in w or w not in graph.modules:
                continue
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            # A package importing its own submodule (and back) is how Python packages work;
            # only rings through more than a package and its children count.
            if len(component) > 1 and not _package_and_children(component):
                components.append(sorted(component))

    for module in modules:
        if module not in index:
            strongconnect(module)
    return components


def _package_and_children(component: list[str]) -> bool:
    shortest = min(component, key=len)
    return (
        all(m == shortest or m.startswith(shortest + ".") for m in component)
        and len(component) == 2
    )


def app_edges() -> dict[tuple[str, str], int]:
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for path in python_files():
        source = module_name(path).split(".")[0]
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                app = target.split(".")[0]
                if app in APPS and app != source and "config" not in (app, source):
                    edges[(source, app)] += 1
    return edges


def main() -> None:
    files = python_files()
    hidden = in_tasks = ignores = 0
    privates: list[str] = []
    long_files = []
    for path in files:
        text = path.read_text()
        tree = ast.parse(text)
        h, t = function_level_imports(tree)
        hidden += h
        in_tasks += t
        privates += private_imports(tree)
        ignores += text.count("# type: ignore")
        lines = text.count("\n")
        if lines > 400:
            long_files.append(f"{path.relative_to(ROOT)} ({lines})")
    rings = cycles()
    print(f"modules (without migrations):          {len(files)}")
    print(f"import cycles (rings of modules):      {len(rings)}")
    for ring in rings:
        print(f"  ring of {len(ring)}: {', '.join(ring)}")
    print(f"imports inside functions (not tasks):  {hidden}")
    print(f"imports inside task bodies:            {in_tasks}")
    print(f"private names imported across modules: {len(privates)}")
    for name in sorted(set(privates)):
        print(f"  {name}")
    print(f"'# type: ignore' comments:             {ignores}")
    print(f"files over 400 lines:                  {len(long_files)}")
    for name in long_files:
        print(f"  {name}")
    print("imports between apps (from -> to):")
    for (source, target), count in sorted(app_edges().items()):
        print(f"  {source} -> {target}: {count}")


if __name__ == "__main__":
    main()
