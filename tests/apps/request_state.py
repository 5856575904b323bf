"""``gr.Request`` and ``gr.State`` in one app: the answer counts the conversation's turns (a
State in and out) and tells what the request said about the caller, as JSON."""

import json

import backend as gr

turns = gr.State(0)


def chat(message, history, count, tone, request: gr.Request):
    count += 1
    seen = {
        "turn": count,
        "tone": tone,
        "history": len(history),
        "url": request.url,
        "query": dict(request.query_params),
        "host": request.client.host,
        "session": request.session_hash,
        "agent": request.headers.get("user-agent", ""),
    }
    return json.dumps(seen), count


demo = gr.ChatInterface(
    chat,
    additional_inputs=[turns, gr.Textbox("calm", label="Tone")],
    additional_outputs=[turns],
)
