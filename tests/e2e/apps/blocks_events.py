"""A Blocks app with event listeners around a ChatInterface, as real apps write them (only the
import changed): a greeting button filling a Markdown from a Textbox, demo.load filling a
Markdown, a preset button setting the temperature slider, a Clear button emptying the chat,
buttons that fill and read the chat's own textbox, a summary of the conversation (the chatbot as
an input, read as Gradio 6 passes it), and a function that raises gr.Error."""

import backend as gr


def respond(message, history, temperature):
    return f"{message} (temperature {temperature}, {len(history)} earlier)"


def summarize(messages):
    said = ["".join(p["text"] for p in m["content"] if p["type"] == "text") for m in messages]
    return f"{len(messages)} messages, the last: {said[-1] if said else 'none'}"


def greet(name):
    if not name:
        raise gr.Error("Type your name first.")
    return f"Hello **{name}**!"


with gr.Blocks() as demo:
    status = gr.Markdown("Loading...")
    name = gr.Textbox(label="Your name")
    greeting = gr.Markdown()
    hello = gr.Button("Greet", variant="primary")
    temperature = gr.Slider(0, 1, 0.2, step=0.1, label="Temperature", render=False)
    chat = gr.ChatInterface(respond, additional_inputs=[temperature])
    with gr.Row():
        creative = gr.Button("Creative preset")
        clear = gr.Button("Clear chat")
        suggest = gr.Button("Suggest")
        draft = gr.Button("Show draft")
        summary = gr.Button("Summarize")
    shown = gr.Markdown("Draft: none", visible=False)
    summarized = gr.Markdown("No summary yet")
    hello.click(greet, name, greeting).then(lambda: "", None, name)
    name.submit(greet, name, greeting)
    creative.click(lambda: 0.9, None, temperature)
    clear.click(lambda: [], None, chat.chatbot)
    suggest.click(lambda: "Tell me a joke", None, chat.textbox)
    draft.click(lambda text: gr.Markdown(f"Draft: {text}", visible=True), chat.textbox, shown)
    summary.click(summarize, chat.chatbot, summarized)
    demo.load(lambda: "Ready.", None, status)

demo.launch()
