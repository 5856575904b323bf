// Math in markdown (`Chatbot(latex_delimiters=...)`): marked extensions that find TeX between the
// app's delimiters, block and inline, and hand it to markdown.ts, which renders it with the
// math chunk (KaTeX) and sanitizes KaTeX's output with the math policy. A delimiter without its
// closing one stays text (a formula still streaming), and code never holds math: marked reads
// code spans and fences before these extensions see their text. They come in the form marked's
// Lexer and Parser read (what `Marked#use` makes of a list of extensions): markdown.ts runs
// those two itself, without the Marked class.

import type { MarkedOptions, Tokens } from "marked";
import { bare, own } from "../json";

export interface Delimiter {
  readonly left: string;
  readonly right: string;
  readonly display: boolean;
}

/** The delimiters from the config, checked; the longest opening ones first ("$$" before "$"). */
export function delimitersOf(raw: unknown): Delimiter[] {
  const out: Delimiter[] = [];
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i < raw.length && i < 10; i++) {
    const left = own(raw[i], "left");
    const right = own(raw[i], "right");
    if (typeof left === "string" && typeof right === "string" && left && right)
      out.push({ left, right, display: own(raw[i], "display") === true });
  }
  return out.sort((a, b) => b.left.length - a.left.length);
}

interface MathToken extends Tokens.Generic {
  text: string;
  display: boolean;
}

/**
 * The extensions (marked's `extensions` option): `block` math is a display delimiter pair at
 * the start of a block, alone on its lines (it may span lines that markdown would otherwise read
 * as lists or headings); `inline` math is any pair within text. `render` gives the HTML that
 * stands for the formula.
 */
export function mathExtensions(
  delimiters: () => readonly Delimiter[],
  render: (tex: string, display: boolean, raw: string) => string,
): NonNullable<MarkedOptions["extensions"]> {
  const find = (src: string, block: boolean): MathToken | undefined => {
    const list = delimiters();
    for (let i = 0; i < list.length; i++) {
      const { left, right, display } = list[i] as Delimiter;
      if ((block && !display) || !src.startsWith(left)) continue;
      const end = src.indexOf(right, left.length);
      if (end <= left.length) continue;
      let raw = src.slice(0, end + right.length);
      if (block) {
        const rest = /^[ \t]*(?:\n|$)/.exec(src.slice(raw.length));
        if (!rest) continue;
        raw += rest[0];
      }
      const text = src.slice(left.length, end);
      if (text.trim()) return { type: "math", raw, text, display };
    }
    return undefined;
  };
  const renderer = (token: Tokens.Generic): string => {
    const math = token as MathToken;
    return render(math.text, math.display, math.raw);
  };
  return {
    renderers: bare({ math: renderer }),
    childTokens: bare({}),
    block: [(src) => find(src, true)],
    inline: [(src) => find(src, false)],
    startInline: [
      (src) => {
        let first = -1;
        const list = delimiters();
        for (let i = 0; i < list.length; i++) {
          const at = src.indexOf((list[i] as Delimiter).left);
          if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first < 0 ? undefined : first;
      },
    ],
  };
}
