"""Examples as lists, as the guide's "Examples with additional inputs" describes: each is
``[message, system_prompt, tokens]`` and runs with its own values."""

import backend as gr


def echo(message, history, system_prompt, tokens, mood):
    return f"{system_prompt} / {tokens} / {mood}: {message}"


demo = gr.ChatInterface(
    echo,
    type="messages",
    additional_inputs=[
        gr.Textbox("You are helpful AI.", label="System Prompt"),
        gr.Slider(10, 100, label="Tokens"),
        gr.Dropdown([("Cheerful", "happy"), ("Grumpy", "grumpy")], value="happy", label="Mood"),
    ],
    examples=[["Hello", "You are a pirate.", 20, "grumpy"], ["Bye", "Be brief.", 50, "happy"]],
)
