// The math chunk: KaTeX (html output with MathML for screen readers), its styles for the shadow
// root, its fonts, and the math policy the sanitizer applies to its output
// (policy.ts). A shadow root's stylesheets cannot declare fonts, so the @font-face rules are taken
// out of KaTeX's CSS here and each becomes a FontFace in `document.fonts`, loaded from the backend
// (/widget/katex/<name>.woff2) only when a formula uses it; a page whose CSP has no `font-src` for
// the backend shows the same formulas in its fallback fonts. It defines no global: its exports go
// to a one-shot setter on `window.chatbubble`.

import katex from "katex";
import styles from "katex/dist/katex.css";
import { report } from "../dom";
import { handOver } from "../handover";
import { policy, typeset } from "./policy";
import { MATH_KEY, type MathChunk } from "./types";

const FACE = /@font-face\s*\{([^}]*)\}/g;
const faces: [string, string, string, string][] = [];
// A display formula wider than the bubble scrolls instead of overflowing it.
const css =
  ".katex-display{overflow-x:auto;overflow-y:hidden}" +
  styles.replace(FACE, (_, body: string) => {
    const field = (name: string): string => {
      const found = new RegExp(name + ":\\s*([^;]+)").exec(body);
      return found ? (found[1] as string).trim() : "";
    };
    const file = /fonts\/(KaTeX_[\w-]+)\.woff2/.exec(body);
    if (file)
      faces.push([field("font-family"), field("font-style"), field("font-weight"), file[1]!]);
    return "";
  });
let registered = false;

const exports: MathChunk = {
  css,
  policy,
  fonts(baseUrl) {
    if (registered || typeof FontFace !== "function") return;
    registered = true;
    for (let i = 0; i < faces.length; i++) {
      const [family, style, weight, file] = faces[i]!;
      try {
        const url = baseUrl + "widget/katex/" + file + ".woff2";
        document.fonts.add(new FontFace(family, "url(" + url + ")", { style, weight }));
      } catch (error) {
        report(error);
      }
    }
  },
  formula(tex, display, clean) {
    const html = katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      output: "htmlAndMathml",
      trust: false,
      strict: "ignore",
      maxExpand: 500,
      maxSize: 50,
    });
    return typeset(html, clean);
  },
};
handOver(MATH_KEY, exports);
