// The only producer of HTML in the widget: markdown (GFM, by marked) sanitized with a strict
// allow-list, returned as a DocumentFragment that the caller inserts with `replaceChildren`
// (never serialized and re-parsed).
//
// One policy, two engines. Where the browser has the HTML Sanitizer API (Chromium, Edge,
// Firefox 148+), its safe `setHTML` parses into an element of an inert document (no script
// runs, nothing loads) and removes what can run script whatever the config says, comments, and
// the elements whose content goes with them (DROP); elsewhere DOMPurify (the purify chunk,
// loaded only there: `usePurify`) parses and applies the allow-lists. Either way `walk` below
// then applies the whole policy to the inert result: the tag and attribute allow-lists (again,
// after DOMPurify), an element not allowed dropped with its content (DROP) or replaced by it,
// and the rules below. The page gets nodes only after the walk.
//
// Policy beyond the allow-list:
// - links: only http(s) and mailto; each opens a new tab with rel="noopener noreferrer nofollow";
// - images: only from the backend's origin or data:image/(png|jpeg|gif|webp); any other image
//   becomes a link (or plain text) with its alt text, so nothing third-party loads by itself;
// - class only as `language-*` on code; inputs only as disabled task-list checkboxes;
// - custom tags (`<thinking>`, not HTML elements) with `chatbot.allow_tags`: dropped like any
//   other, with their names added around their content as text.
//
// Math (render/math.ts finds it, the math chunk's KaTeX typesets it) stands in the markdown's
// HTML as a placeholder `<code>` whose class holds this page's random nonce, so nothing an
// answer writes can pass for it. KaTeX's HTML for each formula is sanitized on its own, with the
// math policy that comes in the math chunk (math/policy.ts): its span classes, MathML, its SVG
// paths, and of its inline styles only lengths, colours and `position: relative`, applied through
// CSSOM (which a strict host CSP allows) instead of style attributes: KaTeX's `style="..."` is
// renamed `cb-style` before parsing, since even the sanitizer's inert document reports a style
// attribute to a strict CSP. No link, image or id gets through it.

import {
  Lexer,
  Parser,
  type MarkedOptions,
  type RendererExtension,
  type TokenizerExtension,
} from "marked";
import { bare, own } from "./json";
import type { MathChunk } from "./math/types";
import type { Purify, PurifyOptions } from "./purify/types";
import { delimitersOf, mathExtensions, type Delimiter } from "./render/math";
import { t } from "./translate";

const ALLOWED_TAGS = [
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "del",
  "div",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "i",
  "img",
  "input",
  "kbd",
  "li",
  "ol",
  "p",
  "pre",
  "s",
  "span",
  "strong",
  "sub",
  "sup",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "ul",
];
const ALLOWED_ATTR = [
  "align",
  "alt",
  "checked",
  "class",
  "disabled",
  "href",
  "src",
  "start",
  "title",
  "type",
];
/** Elements not allowed that go with their content (DOMPurify's default FORBID_CONTENTS);
 * any other element not allowed is replaced by its content. */
const DROP = (
  "annotation-xml audio colgroup desc foreignobject head iframe math mi mn mo ms mtext noembed " +
  "noframes noscript plaintext script style svg template title video xmp"
).split(" ");
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
const LANGUAGE_CLASS = /^language-[\w+#.-]{1,40}$/;

const markedOptions: MarkedOptions = bare<MarkedOptions>({
  async: false,
  breaks: false,
  gfm: true,
  pedantic: false,
  silent: false,
  extensions: null,
  hooks: null,
  renderer: null,
  tokenizer: null,
  walkTokens: null,
});

/** `chatbot.line_breaks` on (Gradio's default): a single newline is a line break. */
const breakingOptions: MarkedOptions = bare<MarkedOptions>({ ...markedOptions, breaks: true });
const NONCE = "m" + Math.random().toString(36).slice(2, 10);
const PLACEHOLDER = new RegExp("^language-" + NONCE + "-(\\d+)$");

let delimiters: Delimiter[] = [];
/** The math chunk (KaTeX and the math policy), once here; `wantMath` asks for it (the render
 * chunk loads it). With it: the policy's elements and attributes, and the browser's sanitizer
 * for KaTeX's HTML. */
let tex: MathChunk | null = null;
let mathTags = new Set<string>();
let mathAttributeNames = new Set<string>();
let mathNative: object | null = null;
let wantMath: () => void = () => undefined;
/** This render's formulas, by placeholder index. */
let formulas: [string, boolean][] = [];
let mathMode = false;
const mathExtensionsOption = mathExtensions(
  () => delimiters,
  (source, display, raw) => {
    if (!tex) {
      wantMath();
      return raw.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }
    formulas.push([source, display]);
    return '<code class="language-' + NONCE + "-" + (formulas.length - 1) + '"></code>';
  },
);

/**
 * Markdown to HTML as `Marked#parse` runs marked (in sync, without hooks or walkTokens): its
 * Lexer, then its Parser, on one copy of the options (they keep their tokenizer and renderer on
 * it). The build leaves marked's default instance and the Marked class out (widget/build.mjs).
 */
function toHtml(text: string, options: MarkedOptions): string {
  const copy = { ...options };
  return Parser.parse(Lexer.lex(text, copy), copy);
}

/**
 * Math: the delimiters are the config's `chatbot.latex_delimiters`, read on each render;
 * `want` is called when a text holds math before KaTeX is here.
 */
export function configureMath(want: () => void): void {
  wantMath = want;
}

/** KaTeX has arrived with the math policy: formulas render from now on. */
export function setMath(chunk: MathChunk): void {
  const { tags, attributes } = chunk.policy;
  mathTags = new Set(tags);
  mathAttributeNames = new Set(attributes);
  mathNative = native && sanitizer([...attributes, "viewBox", "preserveAspectRatio"]);
  tex = chunk;
}

/** KaTeX's HTML through the sanitizer with the math policy (`walk` has the policy `check` each
 * element it keeps); never an answer's custom tags. */
function cleanMath(html: string): DocumentFragment {
  const tags = customTags;
  customTags = false;
  mathMode = true;
  try {
    return sanitize(html);
  } finally {
    mathMode = false;
    customTags = tags;
  }
}

/** Puts each formula where its placeholder stands. */
function placeFormulas(fragment: DocumentFragment): void {
  const found = formulas;
  formulas = [];
  if (!found.length) return;
  const codes = fragment.querySelectorAll("code");
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as Element;
    const index = PLACEHOLDER.exec(code.getAttribute("class") || "");
    const item = index && found[Number(index[1])];
    if (!item) continue;
    let formula: Node;
    try {
      formula = (tex as MathChunk).formula(item[0], item[1], cleanMath);
    } catch (error) {
      if (__DEV__) console.warn("chatbubble: math failed", error);
      formula = document.createTextNode(item[0]);
    }
    code.replaceWith(formula);
  }
}

let imageOrigin = "";
let linkBase = "";
/** The server's config once loaded (`chatbot.line_breaks`, `chatbot.allow_tags`). */
let settings: () => unknown = () => null;
/** While markdown is sanitized: `allow_tags` (true, false or tag names). */
let customTags: unknown = false;
/** Nodes the sanitizer hook wants replaced: [node, replacement or null to drop]. */
let pending: [Element, Node | null][] = [];

/**
 * Images may load from `origin`; relative URLs resolve against `baseUrl`; `config` gives the
 * server's config once it is loaded (null before). Call once.
 */
export function configureMarkdown(baseUrl: string, origin: string, config?: () => unknown): void {
  linkBase = baseUrl;
  imageOrigin = origin;
  if (config) settings = config;
}

/**
 * `allow_tags`: a custom tag such as `<thinking>` (not an HTML element) is shown as text around
 * its content instead of vanishing; it never becomes an element (the sanitizer still drops it).
 */
function showCustomTag(node: Node, data: { tagName: string }): void {
  const name = data.tagName;
  if (
    !customTags ||
    !(node instanceof Element) ||
    !(name.indexOf("-") > 0 || node instanceof HTMLUnknownElement) ||
    (Array.isArray(customTags) && customTags.indexOf(name) < 0)
  ) {
    return;
  }
  const doc = node.ownerDocument;
  node.before(doc.createTextNode("<" + name + ">"));
  node.after(doc.createTextNode("</" + name + ">"));
}

function checkUrl(value: string): URL | null {
  try {
    return new URL(value, linkBase || undefined);
  } catch {
    return null;
  }
}

function isWeb(url: URL | null): url is URL {
  return !!url && (url.protocol === "https:" || url.protocol === "http:");
}

function isSafeLink(url: URL | null): url is URL {
  const protocol = url ? url.protocol : "";
  return protocol === "https:" || protocol === "http:" || protocol === "mailto:";
}

function markExternal(link: Element): void {
  link.setAttribute("target", "_blank");
  link.setAttribute("rel", "noopener noreferrer nofollow");
}

function blockedImage(node: Element, url: URL | null): Node {
  const doc = node.ownerDocument;
  const label = node.getAttribute("alt") || node.getAttribute("title") || t("media_image");
  if (!isWeb(url)) return doc.createTextNode(label);
  const link = doc.createElement("a");
  link.setAttribute("href", url.href);
  markExternal(link);
  link.textContent = label;
  return link;
}

function afterAttributes(node: Element): void {
  if (mathMode) return (tex as MathChunk).policy.check(node);
  const tag = node.nodeName;
  if (tag === "A") {
    const url = checkUrl(node.getAttribute("href") ?? "");
    if (node.hasAttribute("href") && isSafeLink(url)) node.setAttribute("href", url.href);
    else node.removeAttribute("href");
  } else if (tag === "IMG") {
    const src = node.getAttribute("src") ?? "";
    node.removeAttribute("src");
    if (DATA_IMAGE.test(src)) node.setAttribute("src", src);
    else {
      const url = checkUrl(src);
      if (isWeb(url) && url.origin === imageOrigin) node.setAttribute("src", url.href);
      else pending.push([node, blockedImage(node, url)]);
    }
  } else if (tag === "INPUT") {
    if ((node.getAttribute("type") ?? "").toLowerCase() === "checkbox")
      node.setAttribute("disabled", "");
    else pending.push([node, null]);
  }
  if (tag !== "INPUT") {
    node.removeAttribute("type");
    node.removeAttribute("checked");
    node.removeAttribute("disabled");
  }
  const cls = node.getAttribute("class");
  if (cls !== null && !(tag === "CODE" && LANGUAGE_CLASS.test(cls))) node.removeAttribute("class");
  const align = node.getAttribute("align");
  if (
    align !== null &&
    !((tag === "TH" || tag === "TD") && /^(?:left|center|right)$/.test(align))
  ) {
    node.removeAttribute("align");
  }
  const start = node.getAttribute("start");
  if (start !== null && !(tag === "OL" && /^\d{1,9}$/.test(start))) node.removeAttribute("start");
  if (tag === "A" && node.hasAttribute("href")) markExternal(node);
}

/** The HTML Sanitizer API as used here (not in TypeScript's DOM types yet). */
declare const Sanitizer: (new (config: object) => object) | undefined;
type SetHTML = (this: Element, html: string, options: { sanitizer: object }) => void;
const XHTML = "http://www.w3.org/1999/xhtml";
/** The browser's own sanitizer (null without the API): safe, DROP removed, no comments, only
 * the attributes the policy allows (`mathNative`: either policy's). */
function sanitizer(attributes: readonly string[]): object | null {
  try {
    if (
      typeof Sanitizer === "function" &&
      typeof (Element.prototype as { setHTML?: SetHTML }).setHTML === "function"
    )
      return new Sanitizer({
        removeElements: DROP,
        // An allow-list of attributes, not the safe method's own removal of event handlers
        // alone: with that, Chromium 156 crashes the page on some (onstart, onfinish, ...).
        // Markdown's, or with KaTeX both policies' (the walk narrows them to the one in use).
        attributes: Array.from(new Set([...ALLOWED_ATTR, ...attributes])),
        comments: false,
        dataAttributes: false,
      });
  } catch {
    // a config this browser's API refuses: DOMPurify instead
  }
  return null;
}
const native = sanitizer([]);
/** DOMPurify (the purify chunk) where the browser has no sanitizer of its own, and its options
 * for markdown's policy and (once KaTeX is here) the math policy. */
let purify: Purify | null = null;
let purifyOptions: PurifyOptions;
let mathPurify: PurifyOptions | null = null;
let inert: Document | null = null;

/** True when the browser sanitizes by itself; otherwise markdown waits for `usePurify`. */
export function nativeSanitizer(): boolean {
  return !!native;
}

/** The purify chunk's DOMPurify has arrived: it is the engine from now on. */
export function usePurify(chunk: Purify): void {
  if (purify) return;
  purify = chunk;
  purifyOptions = chunk.options(ALLOWED_TAGS, ALLOWED_ATTR);
  chunk.purify.addHook("uponSanitizeElement", showCustomTag);
}

const markdownTags = new Set(ALLOWED_TAGS);
const markdownAttributeNames = new Set(ALLOWED_ATTR);
const drop = new Set(DROP);
/** DOMPurify's tests of values: markup that would end a comment or raw text, in any attribute;
 * a script or data URL in any but text and class (links and images have their own rules). */
const XML_UNSAFE = /(?:--!?|\])>|<\/(?:style|title)/i;
const SCRIPT_OR_DATA = /^(?:\w+script|data):/i;
const ATTR_WHITESPACE = /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g;
const TEXT_ATTR = /^(?:alt|title|class)$/;

/**
 * The policy on the sanitizer's inert result, for both engines: each node under `parent`
 * (children first) kept with its allowed attributes and the rules of `afterAttributes`, dropped
 * with its content, or replaced by it (a custom tag shown as text around it); anything but
 * elements and text goes.
 */
function walk(parent: Node): void {
  const tags = mathMode ? mathTags : markdownTags;
  const attributes = mathMode ? mathAttributeNames : markdownAttributeNames;
  const nodes = Array.from(parent.childNodes);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as ChildNode;
    if (node.nodeType === 3) continue;
    if (!(node instanceof Element)) {
      node.remove();
      continue;
    }
    walk(node);
    const name = node.localName.toLowerCase();
    if (tags.has(name) && (mathMode || node.namespaceURI === XHTML)) {
      const list = Array.from(node.attributes);
      for (let j = 0; j < list.length; j++) {
        const attribute = list[j] as Attr;
        const key = attribute.name.toLowerCase();
        const value = attribute.value.replace(ATTR_WHITESPACE, "");
        if (
          !attributes.has(key) ||
          // links and images: their rules in `afterAttributes`; on any other element, none
          (key === "href"
            ? name !== "a"
            : key === "src"
              ? name !== "img"
              : SCRIPT_OR_DATA.test(value) && !TEXT_ATTR.test(key)) ||
          XML_UNSAFE.test(attribute.value)
        )
          node.removeAttributeNode(attribute);
      }
      afterAttributes(node);
    } else if (drop.has(name)) node.remove();
    else {
      showCustomTag(node, { tagName: name });
      node.replaceWith(...Array.from(node.childNodes));
    }
  }
}

/** `html` through the engine and the policy (markdown's, or the math policy in math mode). */
function sanitize(html: string): DocumentFragment {
  let fragment: DocumentFragment;
  if (native) {
    inert ||= document.implementation.createHTMLDocument("");
    const box = inert.createElement("div");
    const engine = (mathMode && mathNative) || native;
    (Element.prototype as { setHTML?: SetHTML }).setHTML!.call(box, html, { sanitizer: engine });
    walk(box);
    fragment = document.createDocumentFragment();
    fragment.append(...Array.from(box.childNodes));
  } else {
    if (!purify) throw new Error("chatbubble: no sanitizer");
    const options = mathMode
      ? (mathPurify ||= purify.options(ALLOWED_TAGS, ALLOWED_ATTR, (tex as MathChunk).policy))
      : purifyOptions;
    fragment = purify.purify.sanitize(html, options);
    walk(fragment);
  }
  return fragment;
}

/** Sanitizes HTML to a fragment with the policy above; plain text if anything goes wrong. */
function clean(source: string, toHtml: (source: string) => string): DocumentFragment {
  pending = [];
  try {
    formulas = [];
    const fragment = sanitize(toHtml(source));
    for (let i = 0; i < pending.length; i++) {
      const [node, replacement] = pending[i] as [Element, Node | null];
      if (replacement) node.replaceWith(replacement);
      else node.remove();
    }
    pending = [];
    placeFormulas(fragment);
    return fragment;
  } catch (error) {
    if (__DEV__) console.warn("chatbubble: markdown failed", error);
    const fallback = document.createDocumentFragment();
    fallback.append(document.createTextNode(source));
    return fallback;
  } finally {
    pending = [];
    formulas = [];
  }
}

/** Renders markdown to a sanitized fragment; plain text if anything goes wrong. */
export function renderMarkdown(source: string): DocumentFragment {
  const chatbot = own(settings(), "chatbot");
  const tags = own(chatbot, "allow_tags");
  let options = own(chatbot, "line_breaks") === false ? markedOptions : breakingOptions;
  delimiters = delimitersOf(own(chatbot, "latex_delimiters"));
  const math = delimiters.length > 0;
  if (math) options = bare<MarkedOptions>({ ...options, extensions: mathExtensionsOption });
  customTags = tags === undefined ? true : tags;
  try {
    return clean(source, (text) => toHtml(text, options));
  } finally {
    customTags = false;
  }
}

/** An HTML string (a `gr.HTML` part) sanitized exactly as rendered markdown is. */
export function sanitizeHtml(source: string): DocumentFragment {
  return clean(source, String);
}
