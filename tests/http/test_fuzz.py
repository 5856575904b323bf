"""A bounded fuzz run of the HTTP API from its own OpenAPI document (schemathesis, driven by
hypothesis) against a real ``backend serve``: whatever the generated requests, no server
error and no traceback."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.servers import ROOT, running_server
from tests.waiting import LIVENESS

APP = ROOT / "tests" / "apps" / "uploads.py"
EXAMPLES_PER_OPERATION = 40
#: Streams that last as long as their client stays (Gradio's heartbeat): nothing to fuzz.
ENDLESS = ("gradioHeartbeat",)


# Thousands of generated requests: a load of its own, which the loaded runs leave out.
@pytest.mark.heavy
def test_no_server_errors_from_generated_requests() -> None:
    with running_server(str(APP)) as base:
        schema = schemathesis.openapi.from_url(base + "/openapi.json")
        checked: list[str] = []
        for result in schema.get_all_operations():
            operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises here
            if operation.definition.raw.get("operationId") in ENDLESS:
                continue

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def fuzz(case: Any) -> None:
                response = case.call(base_url=base, timeout=LIVENESS)
                where = f"{case.method} {case.formatted_path}"
                assert response.status_code < 500, (where, response.text[:300])
                assert "Traceback" not in response.text, where

            fuzz()
            checked.append(f"{operation.method.upper()} {operation.path}")
        cases = f"{len(checked)} operations x {EXAMPLES_PER_OPERATION} cases"
        print(f"fuzzed {cases}: 0 server errors")
        assert len(checked) >= 8
