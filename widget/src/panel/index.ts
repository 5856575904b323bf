// The panel chunk (backend/static/chunks/panel.js): the panel, the conversation, the composer and
// markdown with the one sanitizer's policy (ui/, render/), loaded by the core (shell/shell.ts)
// when the chat first opens. Each chat on the page runs its own copy (ui/state.ts). It defines no
// global: its exports go to a one-shot setter on `window.chatbubble`.

import { handOver } from "../handover";
import { css } from "../render";
import { App } from "../ui/app";
import base from "../ui/panel.css";
import { PANEL_KEY, type PanelChunk } from "./types";

const exports: PanelChunk = { base, css, start: App };
handOver(PANEL_KEY, exports);
