"""nested_thoughts.py (Gradio's chatinterface_nested_thoughts demo, unchanged) held at a gate
(gating.py) while the tool step and its second check are pending, until the test opens it.

The example sends the demo's question as it is, so its gate has a name of its own, which the
test reads in the probe file."""

from gating import gated
from nested_thoughts import generate_response

import backend as gr

demo = gr.ChatInterface(
    gated(generate_response, after=5, unnamed=True),
    type="messages",
    title="Nested Thoughts Chat Interface",
    examples=["What is the weather in San Francisco right now?"],
)
