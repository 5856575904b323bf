"""``chatbot.like(fn, inputs, outputs)`` in a Blocks: what fn returns updates a Markdown and a
State counting the conversation's feedback; the welcome answer has feedback pre-set."""

import os

import backend as gr


def answer(message, history):
    return f"Answer to {message}"


def on_like(seen, data: gr.LikeData):
    seen += 1
    return f"Feedback {seen}: index {data.index}, liked {data.liked}, value {data.value}", seen


with gr.Blocks() as demo:
    chatbot = gr.Chatbot(
        value=[
            {"role": "assistant", "content": "Welcome!"},
            {"role": "assistant", "content": "Ask me anything."},
        ],
        feedback_value=["Dislike"],
    )
    told = gr.Markdown("No feedback yet")
    count = gr.State(0)
    chatbot.like(on_like, [count], [told, count])
    gr.ChatInterface(
        answer, chatbot=chatbot, flagging_dir=os.environ.get("E2E_FLAG_DIR", ".gradio/flagged")
    )

demo.launch()
