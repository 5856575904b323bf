"""A chat function written for Gradio 6.31: it reads the history's content as typed parts
(``p["type"]``, ``p["text"]``, ``p["file"]["path"]``) and answers with what it read. Each
call's reading is appended to $E2E_PROBE_FILE as one JSON line.

Run by ``backend serve`` as it is; with CHATBUBBLE_REAL_GRADIO=1 it imports Gradio itself and
serves on $PORT (tests/e2e/test_history_content.py compares both readings)."""

import json
import os

if os.environ.get("CHATBUBBLE_REAL_GRADIO"):
    import gradio as gr
else:
    import backend as gr


def read(message, history):
    parts = []
    for m in history:
        for p in m["content"]:
            if p["type"] == "text":
                parts.append([m["role"], "text", p["text"]])
            elif p["type"] == "file":
                parts.append([m["role"], "file", os.path.basename(p["file"]["path"])])
    said = ["".join(p["text"] for p in m["content"] if p["type"] == "text") for m in history]
    probe = os.environ.get("E2E_PROBE_FILE")
    if probe:
        with open(probe, "a") as out:  # one write of one line: a reader takes whole lines
            out.write(json.dumps({"message": message["text"], "parts": parts}) + "\n")
    read_texts = " / ".join(text for text in said if text)
    return f"Read {len(parts)} parts" + (f": {read_texts}" if read_texts else "")


demo = gr.ChatInterface(read, multimodal=True, textbox=gr.MultimodalTextbox(file_count="multiple"))

if __name__ == "__main__":
    demo.launch(server_name="127.0.0.1", server_port=int(os.environ["PORT"]))
