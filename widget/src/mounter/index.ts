// The mounter chunk: `chatbubble.mount(target, options)` adds an inline chat filling `target`,
// as another run of widget.js (as a second tag would be), told by a property of its <script>
// element which element to fill and which protocol it must speak (page-config.ts's MOUNT). It
// defines no global: its exports go to a one-shot setter on `window.chatbubble`.

import { handOver } from "../dom";
import { encodeJson, type Json } from "../json";
import { MOUNT, type Mount } from "../page-config";
import { PROTOCOL } from "../protocol";
import { MOUNTER_KEY, type Mounter } from "./types";

function mount(tag: HTMLScriptElement, element: Element, options: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    const names = tag.getAttributeNames();
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (name.indexOf("data-") === 0) script.setAttribute(name, tag.getAttribute(name) || "");
    }
    if (options && typeof options === "object") {
      const keys = Object.keys(options);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const value = (options as Record<string, unknown>)[key];
        script.setAttribute(
          "data-" + key,
          value && typeof value == "object" ? encodeJson(value as Json) : String(value),
        );
      }
    }
    script.setAttribute("data-mode", "inline");
    script.removeAttribute("data-target");
    const mounted: Mount = { target: element, expects: PROTOCOL, ready: resolve, fail: reject };
    Object.defineProperty(script, MOUNT, { value: mounted });
    script.onerror = () => reject(new Error("chatbubble mount: widget.js did not load"));
    script.src = tag.src;
    document.head.append(script);
  });
}

handOver(MOUNTER_KEY, { css: "", mount } satisfies Mounter);
