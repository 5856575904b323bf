"""echo.py held at a gate (gating.py) after its first chunk when the message names one ("...
gate <name>"): an answer still streaming for as long as the test needs; any other message is
echoed at once."""

from echo import echo
from gating import gated

import backend as gr

demo = gr.ChatInterface(gated(echo, after=1), type="messages", title="Echo bot")
