"""An operator whose configuration strings are XSS payloads (ATTACKS.md R-*, D-5).

The payloads come as a JSON list in $SECURITY_PAYLOADS; the first few go into the single-value
fields, every one becomes an example (text and label).
"""

import json
import os

import backend as gr

SECRET_KEY = os.environ["SECURITY_CANARY"]
PAYLOADS = json.loads(os.environ["SECURITY_PAYLOADS"])
JOINED = "\n\n".join(PAYLOADS)


def answer(message, history):
    return message


demo = gr.ChatInterface(
    answer,
    type="messages",
    title=PAYLOADS[0] + " " + PAYLOADS[1],
    description=JOINED,
    chatbot=gr.Chatbot(placeholder=JOINED, label=PAYLOADS[2]),
    textbox=gr.Textbox(
        placeholder=PAYLOADS[3], submit_btn=PAYLOADS[4][:40], stop_btn=PAYLOADS[5][:40]
    ),
    examples=PAYLOADS,
    example_labels=PAYLOADS,
    run_examples_on_click=True,
    flagging_mode="manual",
    flagging_options=[payload[:100] for payload in PAYLOADS[:20]],
    flagging_dir=os.environ["SECURITY_FLAG_DIR"],
    css="red;}</style><script>alert(1)</script> </style><img src=x onerror=alert(1)>",
)
