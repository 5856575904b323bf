"""Gradio's component and layout classes, and how each serializes for the widget.

``Chatbot``, ``Textbox`` and ``MultimodalTextbox`` (``chatbot.py``), the media components a
chat function returns (``Image``, ``Audio``, ``File``, ``Gallery``, ``HTML``, ``Plot``, ...), the
additional inputs (``Slider``, ``Dropdown``, ...), ``Blocks`` with ``Row``/``Column``/
``Accordion``, and the theme palettes. It may import only the bottom layer (``settings``,
``errors``, ``version``): components hold values, they do not run chats or store files.
"""
