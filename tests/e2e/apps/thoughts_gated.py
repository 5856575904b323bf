"""thoughts.py (Gradio's chatinterface_thoughts demo, unchanged) held at a gate (gating.py) once
its first thought is shown and the step still pending, until the test opens the gate that the
message names ("... gate <name>")."""

from gating import gated
from thoughts import simulate_thinking_chat

import backend as gr

demo = gr.ChatInterface(
    gated(simulate_thinking_chat, after=2),
    title="Thinking LLM Chat Interface 🤔",
    type="messages",
)
