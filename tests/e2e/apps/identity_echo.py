"""A chat for visitors the host site vouches for (tests/e2e/test_identity.py): it answers with
``request.username`` (the token's ``sub``) and the ``email`` claim, and appends one line per call
to $E2E_PROBE_FILE, so a test can tell the function never ran. Served with
``--identity-secret`` and ``--identity-audience`` (and ``--identity-required``)."""

import os

import backend as gr


def answer(message, history, request: gr.Request):
    with open(os.environ["E2E_PROBE_FILE"], "a", encoding="utf-8") as probe:
        probe.write(f"{request.username}\n")
    email = (request.claims or {}).get("email")
    return f"Hello {request.username} ({email})"


demo = gr.ChatInterface(answer, title="Members")
