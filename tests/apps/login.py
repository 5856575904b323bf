"""A chat behind a login (``launch(auth=...)``, which `backend serve` registers instead of
serving): it answers with the logged-in username (``gr.Request.username``)."""

import backend as gr


def answer(message: dict[str, object], history: list[object], request: gr.Request) -> str:
    return f"{request.username} said {message['text']}"


demo = gr.ChatInterface(answer, multimodal=True, api_name="chat")

demo.launch(
    auth=[("ann", "first password"), ("bob", "second:password")],
    auth_message="Ask **Ann** for an account.",
)
