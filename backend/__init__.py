"""chatbubble: a chat bubble for any website, answered by a Python chat function.

Write the chat function as for Gradio's ``gr.ChatInterface`` and import this package as ``gr``.
"""

from __future__ import annotations

from collections.abc import Mapping as _Mapping
from typing import Any as _Any

from .chat import hosting as _hosting
from .chat.chat_message import ChatMessage as ChatMessage
from .chat.interface import ChatInterface as ChatInterface
from .chat.oauth import OAuthProfile as OAuthProfile
from .chat.oauth import OAuthToken as OAuthToken
from .chat.request import Request as Request
from .chat.validation import validate as validate
from .components import themes as themes
from .components.blocks import Accordion as Accordion
from .components.blocks import Blocks as Blocks
from .components.blocks import Column as Column
from .components.blocks import Group as Group
from .components.blocks import Row as Row
from .components.blocks import on as on
from .components.button import Button as Button
from .components.button import ClearButton as ClearButton
from .components.button import LoginButton as LoginButton
from .components.chatbot import Chatbot as Chatbot
from .components.chatbot import MultimodalTextbox as MultimodalTextbox
from .components.chatbot import Textbox as Textbox
from .components.events import update as update
from .components.i18n import I18n as I18n
from .components.inputs import Checkbox as Checkbox
from .components.inputs import CheckboxGroup as CheckboxGroup
from .components.inputs import Dropdown as Dropdown
from .components.inputs import Number as Number
from .components.inputs import Radio as Radio
from .components.inputs import Slider as Slider
from .components.like import LikeData as LikeData
from .components.media import HTML as HTML
from .components.media import JSON as JSON
from .components.media import Audio as Audio
from .components.media import Code as Code
from .components.media import File as File
from .components.media import Gallery as Gallery
from .components.media import Image as Image
from .components.media import Markdown as Markdown
from .components.media import Plot as Plot
from .components.media import Video as Video
from .components.state import State as State
from .components.themes import Base as Theme
from .errors import Error as Error
from .http.app import create_app as create_app
from .http.client import Client as Client
from .http.client import ClientError as ClientError
from .settings import Settings as Settings
from .upstream.load_chat import load_chat as load_chat
from .version import __version__ as __version__

__all__ = [
    "Accordion",
    "Audio",
    "Blocks",
    "Button",
    "ChatInterface",
    "ChatMessage",
    "Chatbot",
    "Checkbox",
    "CheckboxGroup",
    "ClearButton",
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
    "I18n",
    "Image",
    "JSON",
    "LikeData",
    "LoginButton",
    "Markdown",
    "MultimodalTextbox",
    "Number",
    "OAuthProfile",
    "OAuthToken",
    "Plot",
    "Radio",
    "Request",
    "Row",
    "Settings",
    "Slider",
    "State",
    "Textbox",
    "Theme",
    "Video",
    "__version__",
    "create_app",
    "load_chat",
    "on",
    "themes",
    "update",
    "validate",
]


def _launch(interface: ChatInterface, overrides: _Mapping[str, _Any]) -> None:
    # The server module (worker forking, the banner) loads when a chat is launched.
    from .server import launch

    launch(interface, overrides)


_hosting.install(create_app, _launch)
