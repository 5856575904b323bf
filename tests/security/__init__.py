"""The attack suite of ATTACKS.md against real ``backend serve`` processes and Chromium.

Run it alone with ``.venv/bin/python -m pytest -q tests/security`` (``-m "not e2e"`` skips the
browser module). Every test carries the ``security`` marker; the figures of PROMISES.md §8 are
asserted by ``test_zz_figures.py`` and printed in the terminal summary. A case that fails
because of a product bug is ``xfail(strict=True)`` with the reason spelled out.
"""
