"""Prints every import cycle among a package's modules (``backend`` by default), counting
imports inside functions and under ``if TYPE_CHECKING:``, and exits 1 if there is one.

    python scripts/import_cycles.py [package]

The package is looked up from the current directory first (run it from the repository's root).
Run by tests/test_import_cycles.py; the layers themselves are drawn in ARCHITECTURE.md."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path.cwd()))


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The circles: each set of two or more modules that all import one another, directly or
    not (a module is in one with every module that it imports and that imports it)."""
    found: set[frozenset[str]] = set()
    for module in graph.modules:
        both = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if both:
            found.add(frozenset({module, *both}))
    return sorted(sorted(circle) for circle in found)


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
