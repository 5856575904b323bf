"""The React bindings' size budget: what `chatbubble-widget/react` adds to an app beyond the
package's core, gzipped, as benchmarks/bundle_size.py measures and checks it (it builds the
package into a temp dir)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.servers import ROOT


def test_the_react_bindings_stay_within_their_budget_beyond_the_core() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/bundle_size.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(
        r"npm react bindings beyond the core: (\d+) B gzip, (\w+) (\d+) B", done.stdout
    )
    assert found, done.stdout + done.stderr
    assert found[2] == "within" and 0 < int(found[1]) <= int(found[3]) == 2048, found[0]
    assert done.returncode == 0, done.stdout
