"""The guide's gr.Blocks example ("Additional Inputs") with only the import changed (and a
shorter sleep): the system prompt above the chat, the slider in the accordion."""

import time

import backend as gr


def echo(message, history, system_prompt, tokens):
    response = f"System prompt: {system_prompt}\n Message: {message}."
    for i in range(min(len(response), int(tokens))):
        time.sleep(0.01)
        yield response[: i + 1]


with gr.Blocks() as demo:
    system_prompt = gr.Textbox("You are helpful AI.", label="System Prompt")
    slider = gr.Slider(10, 100, render=False)

    gr.ChatInterface(echo, additional_inputs=[system_prompt, slider], type="messages")

demo.launch()
