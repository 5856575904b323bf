"""Prints every import cycle among a package's modules (``backend`` by default), counting
imports inside functions and under ``if TYPE_CHECKING:``, and exits 1 if there is one.

    python scripts/import_cycles.py [package]

The package is looked up from the current directory first (run it from the repository's root).
Run by ``make check``; the layers themselves are drawn in ARCHITECTURE.md."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path.cwd()))


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main(package: str) -> int:
    graph = grimp.build_graph(package, cache_dir=None)
    found = cycles(graph)
    for component in found:
        print(f"cycle of {len(component)}: {' '.join(component)}")
        for importer in component:
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if imported in component:
                    lines = graph.get_import_details(importer=importer, imported=imported)
                    where = ", ".join(str(d["line_number"]) for d in lines)
                    print(f"  {importer} -> {imported} (line {where})")
    print(f"{len(found)} import cycle(s) among {package} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "backend"))
