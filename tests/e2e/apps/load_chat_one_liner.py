"""The guide's one-liner (`gr.load_chat(...).launch()`), pointed at the test's model server."""

import os

import backend as gr

gr.load_chat(os.environ["E2E_MODEL_URL"], model=os.environ["E2E_MODEL"], token="ollama").launch()
