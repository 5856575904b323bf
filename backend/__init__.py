"""chatbubble: a chat bubble for any website, answered by a Python chat function.

Write the chat function as for Gradio's ``gr.ChatInterface`` and import this package as ``gr``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .app import create_app as create_app
from .components import Chatbot as Chatbot
from .components import Textbox as Textbox
from .errors import Error as Error
from .interface import ChatInterface as ChatInterface
from .settings import Settings as Settings

__all__ = [
    "ChatInterface",
    "Chatbot",
    "Error",
    "Settings",
    "Textbox",
    "__version__",
    "create_app",
]
