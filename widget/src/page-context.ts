// What each request says about the page the widget is on (`page` of POST /api/chat and
// /api/event, the chat function's `request.page`): its URL, title, language, referrer, and the
// values the page sets with `data-context='{...}'` on the script tag and
// `chatbubble("context", {...})`. `data-page-context="off"` sends none of it. Module state: one
// widget per page.

import { locale } from "./i18n";
import { bare, encodeJson, parseJson, type Json } from "./json";

let off = false;
const values = bare({}) as Record<string, Json>;

/** `chatbubble("context", {...})`: merges a JSON object's keys over the values (a snapshot). */
export function setContext(more: unknown): boolean {
  const ok = !!more && typeof more == "object" && !Array.isArray(more);
  if (ok) Object.assign(values, parseJson(encodeJson(more as Json)));
  return ok;
}

/** Reads `data-page-context` and `data-context` (a JSON object; else ignored with a warning). */
export function readContext(
  tag: HTMLScriptElement | null,
  warn: (name: string, value: string) => void,
): void {
  off = !!tag && tag.getAttribute("data-page-context") == "off";
  const text = tag && tag.getAttribute("data-context");
  if (text && !setContext(parseJson(text))) warn("data-context", text);
}

/** An http(s) URL of at most 2048 characters without its fragment, else "". */
const web = (url: string): string => (
  (url = url.split("#")[0] as string),
  /^https?:/.test(url) && url.length < 2049 ? url : ""
);

/**
 * The request's `page`, or undefined with `data-page-context="off"`. The language is the page's
 * `<html lang>`, else the browser's; the title is cut to 300 characters.
 */
export function aboutPage(): Json | undefined {
  const lang = document.documentElement.lang || navigator.language;
  return off
    ? undefined
    : {
        url: web(location.href),
        title: document.title.slice(0, 300),
        lang: /^[\w-]{1,35}$/.test(lang) ? lang : "",
        referrer: web(document.referrer),
        context: values,
        locale: locale(),
      };
}
