// The math policy: what of KaTeX's HTML the panel chunk's one sanitizer (../markdown.ts) keeps.
// It comes with KaTeX in the math chunk, so a visitor whose answers hold no math never loads it:
// its span classes, MathML, its SVG paths, and of its inline styles only lengths, colours and
// `position: relative` (set through CSSOM by `typeset`). No link, image or id
// gets through it.

import type { MathPolicy } from "./types";

const MATH_TAGS = (
  "span math semantics annotation mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt " +
  "mroot mover munder munderover mtable mtr mtd mstyle mpadded mphantom menclose mlabeledtr " +
  "svg path line"
).split(" ");
const MATH_ATTR = (
  "class cb-style aria-hidden xmlns display encoding width height viewbox preserveaspectratio d " +
  "fence separator stretchy accent accentunder rowspacing columnspacing columnalign rowlines " +
  "columnlines scriptlevel displaystyle mathcolor mathbackground mathvariant notation " +
  "stroke-width minsize maxsize lspace rspace voffset depth linethickness x1 x2 y1 y2 title " +
  "largeop movablelimits symmetric frame framespacing"
).split(" ");
const MATH_STYLE =
  /^(?:height|width|min-width|top|bottom|left|vertical-align|margin-(?:left|right)|padding-left|border-(?:(?:bottom|top|right)-)?width|border-style|color|background-color|position)$/;
const MATH_VALUE =
  /^(?:-?\d*\.?\d+(?:em|ex|px|pt|%)?|solid|dashed|#[\da-f]{3,8}|[a-z]{3,20}|rgba?\([\d., %]+\))$/i;
const MATH_CLASS = /^[\w -]{0,300}$/;

/** The allowed inline styles of the formula being cleaned. */
let styles: [Element, string, string][] = [];

/**
 * KaTeX's `html` through `clean` (the sanitizer in math mode, which has `policy.check` each
 * element it keeps), then its allowed inline styles set through CSSOM: KaTeX's `style="..."` is
 * renamed `cb-style` first, since even the sanitizer's inert document reports a style attribute
 * to a strict CSP.
 */
export function typeset(html: string, clean: (html: string) => DocumentFragment): DocumentFragment {
  styles = [];
  try {
    const fragment = clean(html.replace(/ style="/g, ' cb-style="'));
    for (let i = 0; i < styles.length; i++) {
      const [node, name, value] = styles[i] as [Element, string, string];
      const css = (node as Partial<ElementCSSInlineStyle>).style;
      if (css) css.setProperty(name, value);
    }
    return fragment;
  } finally {
    styles = [];
  }
}

export const policy: MathPolicy = {
  tags: MATH_TAGS,
  attributes: MATH_ATTR,
  forbidAttributes: ["id", "name", "href", "src", "srcset", "action", "formaction", "xlink:href"],
  check(node) {
    const style = node.getAttribute("cb-style");
    if (style !== null) {
      node.removeAttribute("cb-style");
      const rules = style.split(";");
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i] as string;
        const colon = rule.indexOf(":");
        const name = rule.slice(0, colon).trim().toLowerCase();
        const value = rule.slice(colon + 1).trim();
        if (
          colon > 0 &&
          MATH_STYLE.test(name) &&
          (name === "position" ? value === "relative" : MATH_VALUE.test(value))
        )
          styles.push([node, name, value]);
      }
    }
    const cls = node.getAttribute("class");
    if (cls !== null && !MATH_CLASS.test(cls)) node.removeAttribute("class");
  },
};
