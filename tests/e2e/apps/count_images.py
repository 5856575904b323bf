"""The guide's multimodal example ("Multimodal Chat Interface"), unchanged but the import."""

import backend as gr


def count_images(message, history):
    num_images = len(message["files"])
    total_images = 0
    for message in history:
        if isinstance(message["content"], tuple):
            total_images += 1
    return f"You just uploaded {num_images} images, total uploaded: {total_images + num_images}"


demo = gr.ChatInterface(
    fn=count_images,
    type="messages",
    examples=[{"text": "No files", "files": []}],
    multimodal=True,
    textbox=gr.MultimodalTextbox(
        file_count="multiple", file_types=["image"], sources=["upload", "microphone"]
    ),
)

if __name__ == "__main__":
    demo.launch()
