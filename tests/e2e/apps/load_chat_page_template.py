"""load_chat with a system message made from the page (``system_template``), pointed at the
test's model server."""

import os

import backend as gr

demo = gr.load_chat(
    os.environ["E2E_MODEL_URL"],
    model="echo",
    token="ollama",
    system_template="You help on {page.title} ({page.url}); plan {page.context[plan]}.",
)
