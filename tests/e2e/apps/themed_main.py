"""A Blocks app with a theme object, built only when run as a script (as many apps are):
``backend serve`` runs it as ``__main__``, and launch() registers instead of serving."""

import backend as gr


def echo(message, history):
    return f"Themed: {message}"


if __name__ == "__main__":
    theme = gr.themes.Soft(primary_hue=gr.themes.colors.emerald).set(
        body_background_fill_dark="#000000"
    )
    with gr.Blocks(theme=theme) as demo:
        gr.ChatInterface(echo, title="Themed")
    demo.launch()
