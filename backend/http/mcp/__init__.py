"""The chat function as an MCP tool (``launch(mcp_server=True)``, ``backend serve --mcp``), as
Gradio 6.31 serves it: Streamable HTTP at ``/gradio_api/mcp/``, stateless, one tool named
after the chat function, answered through ``AppState.start_answer`` like every route.

``tool`` describes the tool (name, description, input schema) from the interface; ``server``
is the official ``mcp`` SDK's server with its two handlers; ``routes`` hands a request from
Quart (with every app-level rule: origins, body limits, rates) to the SDK's transport.
Needs the ``mcp`` extra (``pip install 'chatbubble[mcp]'``): ``http.app`` imports this
package only when the setting ``mcp_server`` is on.
"""

from __future__ import annotations

from .routes import PATH, mcp_blueprint

__all__ = ["PATH", "mcp_blueprint"]
