"""chatbubble: a chat bubble for any website, answered by a Python chat function.

Write the chat function as for Gradio's ``gr.ChatInterface`` and import this package as ``gr``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .app import create_app as create_app
from .components import Chatbot as Chatbot
from .components import MultimodalTextbox as MultimodalTextbox
from .components import Textbox as Textbox
from .errors import Error as Error
from .interface import ChatInterface as ChatInterface
from .media import HTML as HTML
from .media import Audio as Audio
from .media import File as File
from .media import Gallery as Gallery
from .media import Image as Image
from .media import Plot as Plot
from .media import Video as Video
from .settings import Settings as Settings

__all__ = [
    "Audio",
    "ChatInterface",
    "Chatbot",
    "Error",
    "File",
    "Gallery",
    "HTML",
    "Image",
    "MultimodalTextbox",
    "Plot",
    "Settings",
    "Textbox",
    "Video",
    "__version__",
    "create_app",
]
