"""chatbubble: a chat bubble for any website, answered by a Python chat function.

Write the chat function as for Gradio's ``gr.ChatInterface`` and import this package as ``gr``.
"""

from __future__ import annotations

from . import hosting as _hosting
from .app import create_app as create_app
from .blocks import Accordion as Accordion
from .blocks import Blocks as Blocks
from .blocks import Column as Column
from .blocks import Group as Group
from .blocks import Row as Row
from .chat_message import ChatMessage as ChatMessage
from .client import Client as Client
from .client import ClientError as ClientError
from .components import Chatbot as Chatbot
from .components import MultimodalTextbox as MultimodalTextbox
from .components import Textbox as Textbox
from .errors import Error as Error
from .inputs import Checkbox as Checkbox
from .inputs import CheckboxGroup as CheckboxGroup
from .inputs import Dropdown as Dropdown
from .inputs import Number as Number
from .inputs import Radio as Radio
from .inputs import Slider as Slider
from .interface import ChatInterface as ChatInterface
from .load_chat import load_chat as load_chat
from .media import HTML as HTML
from .media import JSON as JSON
from .media import Audio as Audio
from .media import Code as Code
from .media import File as File
from .media import Gallery as Gallery
from .media import Image as Image
from .media import Markdown as Markdown
from .media import Plot as Plot
from .media import Video as Video
from .settings import Settings as Settings
from .version import __version__ as __version__

__all__ = [
    "Accordion",
    "Audio",
    "Blocks",
    "ChatInterface",
    "ChatMessage",
    "Chatbot",
    "Checkbox",
    "CheckboxGroup",
    "Client",
    "ClientError",
    "Code",
    "Column",
    "Dropdown",
    "Error",
    "File",
    "Gallery",
    "Group",
    "HTML",
    "Image",
    "JSON",
    "Markdown",
    "MultimodalTextbox",
    "Number",
    "Plot",
    "Radio",
    "Row",
    "Settings",
    "Slider",
    "Textbox",
    "Video",
    "__version__",
    "create_app",
    "load_chat",
]


def _launch(interface: ChatInterface, server_name: str | None, server_port: int | None) -> None:
    # The server module (worker forking, the banner) loads when a chat is launched.
    from .server import launch

    launch(interface, server_name, server_port)


_hosting.install(create_app, _launch)
