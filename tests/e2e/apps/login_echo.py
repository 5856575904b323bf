"""A chat behind a login (tests/e2e/test_login.py): it answers with the logged-in username."""

import backend as gr


def answer(message, history, request: gr.Request):
    return f"{request.username} said {message}"


demo = gr.ChatInterface(answer, title="Members only")
demo.launch(auth=("ann", "open sesame"), auth_message="Ask **Ann** for an account.")
