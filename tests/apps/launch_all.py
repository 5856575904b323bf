"""``demo.launch(...)`` with every argument of Gradio 6.31's launch(), as a Gradio app might pass
them (tests/chat/test_launching.py runs it as ``python launch_all.py``). The port comes from
$LAUNCH_PORT, the folder files are blocked in from $BLOCKED_DIR."""

import os

import backend as gr


def answer(message, history):
    """Says the message back."""
    if message == "crash":
        raise RuntimeError("the detail shown with show_error")
    return f"got {message}"


demo = gr.ChatInterface(answer)
demo.launch(
    None, True, True, True, 7, None, None, True, True, "127.0.0.1", int(os.environ["LAUNCH_PORT"]),
    height=300, width="50%", favicon_path=None, ssl_keyfile=None, ssl_certfile=None,
    ssl_keyfile_password=None, ssl_verify=False, quiet=False, footer_links=["api"],
    run_history=True, allowed_paths=[os.environ["BLOCKED_DIR"]],
    blocked_paths=[os.environ["BLOCKED_DIR"]], root_path=None, app_kwargs={"docs_url": "/d"},
    state_session_capacity=50, share_server_address=None, share_server_protocol=None,
    share_server_tls_certificate=None, auth_dependency=None, max_file_size="2mb",
    enable_monitoring=False, strict_cors=False, node_server_name=None, node_port=None,
    ssr_mode=False, pwa=False, mcp_server=True, num_workers=None, _app=None, _frontend=True,
    i18n=None, theme="soft", css=".x { color: red }", css_paths=None, js=None, head=None,
    head_paths=None,
)  # fmt: skip
