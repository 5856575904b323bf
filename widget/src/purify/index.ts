// The purify chunk: DOMPurify and its options for the policies (options.ts), for browsers without
// the HTML Sanitizer API (markdown loads it there; see ../markdown.ts). It defines no global: its
// exports go to a one-shot setter on `window.chatbubble`.

import DOMPurify from "dompurify";
import { handOver } from "../handover";
import { options } from "./options";
import { PURIFY_KEY, type Purify } from "./types";

const exports: Purify = { purify: DOMPurify, options };
handOver(PURIFY_KEY, exports);
