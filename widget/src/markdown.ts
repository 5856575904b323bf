// The only producer of HTML in the widget: markdown (GFM, by marked) sanitized by DOMPurify
// with a strict allow-list, returned as a DocumentFragment that the caller inserts with
// `replaceChildren` (never serialized and re-parsed).
//
// Policy beyond the allow-list, enforced on the sanitizer's inert document before anything
// reaches the page:
// - links: only http(s) and mailto; each opens a new tab with rel="noopener noreferrer nofollow";
// - images: only from the backend's origin or data:image/(png|jpeg|gif|webp); any other image
//   becomes a link (or plain text) with its alt text, so nothing third-party loads by itself;
// - class only as `language-*` on code; inputs only as disabled task-list checkboxes;
// - custom tags (`<thinking>`, not HTML elements) with `chatbot.allow_tags`: dropped like any
//   other, with their names added around their content as text.

import DOMPurify from "dompurify";
import { Marked, type MarkedOptions } from "marked";
import { bare, own } from "./json";

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
const FORBID_TAGS = [
  "base",
  "button",
  "embed",
  "form",
  "iframe",
  "link",
  "math",
  "meta",
  "noscript",
  "object",
  "option",
  "script",
  "select",
  "style",
  "svg",
  "template",
  "textarea",
];
const FORBID_ATTR = ["style", "id", "name", "srcset", "action", "formaction", "xlink:href"];
/** A first filter only; `checkUrl` below has the final word. */
const URI_PATTERN =
  /^(?:(?:https?|mailto):|data:image\/(?:png|jpeg|gif|webp)[;,]|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
const LANGUAGE_CLASS = /^language-[\w+#.-]{1,40}$/;

const purifyOptions = bare({
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOWED_URI_REGEXP: URI_PATTERN,
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_TEMPLATES: false,
  SAFE_FOR_XML: true,
  WHOLE_DOCUMENT: false,
  FORCE_BODY: false,
  IN_PLACE: false,
  KEEP_CONTENT: true,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: false,
  USE_PROFILES: false as const,
  PARSER_MEDIA_TYPE: "text/html" as const,
  NAMESPACE: "http://www.w3.org/1999/xhtml",
  RETURN_DOM: true,
  RETURN_DOM_FRAGMENT: true as const,
  RETURN_TRUSTED_TYPE: false,
});

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

const marked = new Marked();
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
  const label = node.getAttribute("alt") || node.getAttribute("title") || "image";
  if (!isWeb(url)) return doc.createTextNode(label);
  const link = doc.createElement("a");
  link.setAttribute("href", url.href);
  markExternal(link);
  link.textContent = label;
  return link;
}

function afterAttributes(node: Element): void {
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

DOMPurify.addHook("afterSanitizeAttributes", afterAttributes);
DOMPurify.addHook("uponSanitizeElement", showCustomTag);

/** Sanitizes HTML to a fragment with the policy above; plain text if anything goes wrong. */
function clean(source: string, toHtml: (source: string) => string): DocumentFragment {
  pending = [];
  try {
    const fragment = DOMPurify.sanitize(toHtml(source), purifyOptions);
    for (let i = 0; i < pending.length; i++) {
      const [node, replacement] = pending[i] as [Element, Node | null];
      if (replacement) node.replaceWith(replacement);
      else node.remove();
    }
    return fragment;
  } catch (error) {
    if (__DEV__) console.warn("chatbubble: markdown failed", error);
    const fallback = document.createDocumentFragment();
    fallback.append(document.createTextNode(source));
    return fallback;
  } finally {
    pending = [];
  }
}

/** Renders markdown to a sanitized fragment; plain text if anything goes wrong. */
export function renderMarkdown(source: string): DocumentFragment {
  const chatbot = own(settings(), "chatbot");
  const tags = own(chatbot, "allow_tags");
  const options = own(chatbot, "line_breaks") === false ? markedOptions : breakingOptions;
  customTags = tags === undefined ? true : tags;
  try {
    return clean(source, (text) => marked.parse(text, options) as string);
  } finally {
    customTags = false;
  }
}

/** An HTML string (a `gr.HTML` part) sanitized exactly as rendered markdown is. */
export function sanitizeHtml(source: string): DocumentFragment {
  return clean(source, String);
}
