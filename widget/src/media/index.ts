// The media chunk: draws answers made of parts and the files of visitors' messages, loaded by
// the core (ui/chunks.ts `rich`) the first time one is shown, from <backend>/widget/media.js. It
// defines no global: its exports go to a one-shot setter on `window.chatbubble`.

import { handOver } from "../handover";
import css from "./media.css";
import { Renderer } from "./render";
import { MEDIA_KEY, type Media } from "./types";

const exports: Media = { css, media: Renderer };
handOver(MEDIA_KEY, exports);
