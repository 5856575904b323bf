"""The chat functions of `chat_fns.py` as chatbubble apps: `backend serve compare.py:<name>`."""

from __future__ import annotations

from chat_fns import instant, paced_50, stream_2000

import backend as gr

instant_demo = gr.ChatInterface(fn=instant, type="messages")
stream_2000_demo = gr.ChatInterface(fn=stream_2000, type="messages")
paced_50_demo = gr.ChatInterface(fn=paced_50, type="messages")
