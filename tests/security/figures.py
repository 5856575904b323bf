"""The figures the security suite prints and asserts (PROMISES.md §8)."""

from __future__ import annotations

import time

from tests.security.harness import FIGURES, rss


def growth() -> dict[str, int]:
    """How much each server's resident memory grew since the suite first used it (measured
    once, while the servers still run)."""
    for server in FIGURES.servers:
        now = rss(server.pid)
        if now:
            FIGURES.rss_growth[server.name] = now - server.rss_start
    return FIGURES.rss_growth


def report() -> list[str]:
    cases = sum(FIGURES.cases.values())
    elapsed = time.monotonic() - FIGURES.started
    lines = [f"cases run: {cases} in {elapsed:.0f} s (since the suite started)"]
    for group, count in sorted(FIGURES.cases.items()):
        lines.append(f"  {group}: {count}")
    lines += [
        f"servers: {len(FIGURES.servers)}; responses checked: {FIGURES.responses}",
        f"worker crashes (dead process, or /healthz not answering 200): {len(FIGURES.crashes)}",
        "responses with a traceback, exception name, server path, env value or canary: "
        f"{len(FIGURES.unknown('leak'))}",
        f"5xx for client-caused errors: {len(FIGURES.unknown('5xx'))}",
        f"error bodies not in the JSON envelope: {len(FIGURES.unknown('envelope'))}",
        "largest RSS growth of a server (G-6, < 50 MB): "
        f"{max(FIGURES.rss_growth.values(), default=0) / 2**20:.1f} MB",
        f"XSS executed in Chromium: {len(FIGURES.xss_fired)} (of {FIGURES.xss_checks} checks)",
        f"known product bugs (xfail cases that hit an invariant): {len(FIGURES.known())}",
    ]
    lines += [f"  crash: {c}" for c in FIGURES.crashes]
    lines += [f"  {i.kind}: {i.test}: {i.detail}" for i in FIGURES.issues if not i.known]
    lines += [f"  xss: {x}" for x in FIGURES.xss_fired]
    return lines
