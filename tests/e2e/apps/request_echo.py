"""Answers with what ``gr.Request`` says about the visitor (the page they are on, their address,
the conversation) and the turn counted by a ``gr.State``."""

import backend as gr

turns = gr.State(0)


def echo(message, history, count, request: gr.Request):
    count += 1
    query = ",".join(f"{k}={v}" for k, v in request.query_params.items())
    return (
        f"turn {count} | page `{request.url}` | query `{query}` | host {request.client.host} "
        f"| session `{request.session_hash}`",
        count,
    )


demo = gr.ChatInterface(echo, additional_inputs=[turns], additional_outputs=[turns])
