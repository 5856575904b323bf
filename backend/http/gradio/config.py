"""``GET /config``: what Gradio's clients fetch first. Only what they use to find and call the
endpoint (version, protocol, ``api_prefix``, the components with their API types, the one
dependency); the page layout of a Gradio app has no meaning for a bubble."""

from __future__ import annotations

from typing import Any

from .endpoint import (
    FIRST_INPUT_ID,
    FN_INDEX,
    JSON_TYPE,
    MESSAGE_ID,
    MULTIMODAL_TYPE,
    RESPONSE_ID,
    STATE_ID,
    Endpoint,
    component_type,
)

#: The Gradio release whose protocol this is (clients switch behaviour on it).
GRADIO_VERSION = "6.31.0"
PROTOCOL = "sse_v3"
API_PREFIX = "/gradio_api"


def config_document(
    endpoint: Endpoint,
    *,
    root: str,
    title: str | None,
    max_file_size: int,
    translations: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The document; ``translations``: the app's ``gr.I18n`` (its texts stay Gradio's
    ``__i18n__`` keys here, translated by the client, as Gradio's page does)."""
    input_ids = [
        MESSAGE_ID,
        STATE_ID,
        *(FIRST_INPUT_ID + i for i in range(len(endpoint.inputs))),
    ]
    output_ids = [endpoint.first_output_id + i for i in range(len(endpoint.outputs))]
    return {
        "version": GRADIO_VERSION,
        "api_prefix": API_PREFIX,
        "protocol": PROTOCOL,
        "mode": "chat_interface",
        "app_id": 0,
        "root": root,
        "title": title or "chatbubble",
        "enable_queue": True,
        "show_error": False,
        "connect_heartbeat": True,
        "analytics_enabled": False,
        "is_colab": False,
        "space_id": None,
        "auth_required": False,
        "max_file_size": max_file_size,
        "components": _components(endpoint),
        "dependencies": [
            {
                "id": FN_INDEX,
                "targets": [[MESSAGE_ID, "submit"]],
                "inputs": input_ids,
                "outputs": [RESPONSE_ID, STATE_ID, *output_ids],
                "backend_fn": True,
                "js": None,
                "queue": True,
                "api_name": endpoint.name,
                "api_description": endpoint.description or None,
                "api_visibility": endpoint.visibility,
                "show_progress": "full",
                "batch": False,
                "max_batch_size": 4,
                "cancels": [],
                "types": {"generator": True, "cancel": False},
                "collects_event_data": False,
                "trigger_after": None,
                "trigger_only_on_success": False,
                "trigger_only_on_failure": False,
                "trigger_mode": "once",
                "connection": "sse",
                "time_limit": None,
                "stream_every": 0.5,
                "event_specific_args": None,
                "component_prop_inputs": [],
                "rendered_in": None,
                "render_id": None,
                "js_implementation": None,
            }
        ],
        "layout": {
            "id": -1,
            "children": [{"id": i} for i in (*input_ids, RESPONSE_ID, *output_ids)],
        },
        "dependencies_ids": [FN_INDEX],
        "i18n_translations": translations,
    }


def _components(endpoint: Endpoint) -> list[dict[str, Any]]:
    message: dict[str, Any] = (
        {"type": "multimodaltextbox", "api_info": MULTIMODAL_TYPE,
         "props": {"value": {"text": "", "files": []}, "label": ""}}
        if endpoint.multimodal
        else {"type": "textbox", "api_info": {"type": "string"},
              "props": {"value": "", "label": ""}}
    )  # fmt: skip
    components = [
        {"id": MESSAGE_ID, "skip_api": False, **message},
        {"id": STATE_ID, "type": "state", "skip_api": True, "props": {}},
        {"id": RESPONSE_ID, "type": "json", "skip_api": False, "api_info": JSON_TYPE,
         "props": {"label": "Response"}},
    ]  # fmt: skip
    for index, component in enumerate(endpoint.inputs):
        api_type, _, _ = component_type(component)
        components.append(
            {
                "id": FIRST_INPUT_ID + index,
                "type": component.kind,
                "skip_api": False,
                "api_info": api_type,
                "props": {"value": component.value, "label": component.label},
            }
        )
    for index, output in enumerate(endpoint.outputs):
        id_ = endpoint.first_output_id + index
        if output.component is None:
            components.append({"id": id_, "type": "state", "skip_api": True, "props": {}})
            continue
        components.append(
            {
                "id": id_,
                "type": output.kind,
                "skip_api": False,
                "api_info": output.info()["type"],
                "props": {"value": None, "label": output.label},
            }
        )
    return components
