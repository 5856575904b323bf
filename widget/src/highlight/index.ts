// The highlight chunk: highlight.js grammars for a handful of common languages, through lowlight,
// whose token tree is turned into spans here (text nodes only; no HTML is parsed). Loaded on
// first use by the artifacts chunk. It defines no global: its exports go to a one-shot setter
// on `window.chatbubble`.

import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import { createLowlight } from "lowlight";
import { report } from "../dom";
import { handOver } from "../handover";
import colours from "./highlight.css";
import { HIGHLIGHT_KEY, type Highlight } from "./types";

// One by one: the object forms of `register` and `registerAlias` use `Object.hasOwn`, which
// the oldest browsers the widget supports lack.
const lowlight = createLowlight();
const grammars = [bash, css, javascript, json, markdown, python, sql, typescript, xml];
const names = "bash css javascript json markdown python sql typescript xml".split(" ");
for (let i = 0; i < names.length; i++) lowlight.register(names[i] as string, grammars[i]!);
// Gradio's `gr.Code(language=...)` names that the grammars do not already answer to.
lowlight.registerAlias("bash", ["shell"]);
lowlight.registerAlias("xml", ["html"]);

interface Tree {
  readonly type: string;
  readonly value?: string;
  readonly properties?: { readonly className?: unknown };
  readonly children?: readonly Tree[];
}

function build(nodes: readonly Tree[], into: Node): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as Tree;
    if (node.type === "text") into.appendChild(document.createTextNode(node.value || ""));
    else if (node.type === "element") {
      const span = document.createElement("span");
      const names = node.properties && node.properties.className;
      if (Array.isArray(names)) {
        const safe = names.filter((name) => typeof name === "string" && /^hljs-[\w-]+$/.test(name));
        if (safe.length) span.className = safe.join(" ");
      }
      build(node.children || [], span);
      into.appendChild(span);
    }
  }
}

const exports: Highlight = {
  css: colours,
  highlight(code, language) {
    const name = language.toLowerCase();
    if (!lowlight.registered(name)) return null;
    const fragment = document.createDocumentFragment();
    try {
      build(lowlight.highlight(name, code).children as readonly Tree[], fragment);
    } catch (error) {
      report(error);
      return null;
    }
    return fragment;
  },
};
handOver(HIGHLIGHT_KEY, exports);
