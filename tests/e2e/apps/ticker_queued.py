"""The ticker (ticker.py) answering one message at a time (``concurrency_limit=1``): a message
sent while another caller's answer runs waits its turn and shows its place in line."""

from __future__ import annotations

import backend as gr

if __package__:
    from .ticker import ticker
else:  # served: `backend serve` puts the app's folder on the path
    from ticker import ticker

demo = gr.ChatInterface(fn=ticker, type="messages", title="Ticker", concurrency_limit=1)
