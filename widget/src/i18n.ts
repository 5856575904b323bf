// The widget's message catalog (core only): English built in (widget/locales/en.json, bundled),
// one other locale at a time (its chunk, /widget/locale-<code>.js, loaded by ui/locale.ts) and
// the site's own strings (`data-strings`, `chatbubble("strings", {...})`) over both. A key
// missing from the locale falls back to English. Plurals: `key.<category>` by
// `Intl.PluralRules` for the `count` placeholder, else `key.other`. Module state: one widget
// per run of the bundle (ui/state.ts says why).

import en from "../locales/en.json";
import { own, parseJson } from "./json";
import type { Vars } from "./translate";

/** The hand-over key of the locale chunks (/widget/locale-<code>.js). */
export const LOCALE_KEY = "chatbubble.locale";
/** Every locale the widget may choose (widget/locales/<code>.json; English is built in). */
export const SUPPORTED = (
  "ar bn ca cs da de el en es et fa fi fil fr he hi hr hu id it ja ko lt lv ms nb nl pl pt-BR " +
  "pt-PT ro ru sk sl sr sv sw ta th tr uk ur vi zh-CN zh-TW"
).split(" ");
/** Tags that name a supported locale by another name (lower case). */
const ALIASES: Readonly<Record<string, string>> = {
  iw: "he",
  no: "nb",
  tl: "fil",
  "zh-hant": "zh-TW",
  "zh-hk": "zh-TW",
  "zh-mo": "zh-TW",
};
/** Longest `data-strings` read (characters). */
const MAX_STRINGS = 20000;

let code = "en";
let catalog: unknown = {};
const mine: Record<string, string> = Object.create(null);
/** The English of every key known so far: the core's, then each chunk's as it arrives. */
const english: Record<string, unknown> = Object.assign(Object.create(null), en);

/** A chunk's English (what its `lend` gives back), so `texts` and `relabel` know its words. */
export function learn(more: unknown): void {
  if (more && typeof more == "object") Object.assign(english, more);
}

/** The locale in use ("en" until another one's catalog is here). */
export const locale = (): string => code;

/**
 * The visible text for `key`, with `{name}` placeholders filled from `vars`; `fallback`: a
 * chunk's English (translate.ts).
 */
export function t(key: string, vars?: Vars, fallback?: object): string {
  const find = (key: string): string | undefined => {
    const text = own(mine, key) ?? own(catalog, key) ?? own(english, key) ?? own(fallback, key);
    return typeof text === "string" ? text : undefined;
  };
  const count = vars && vars["count"];
  const text =
    (typeof count === "number" &&
      (find(key + "." + new Intl.PluralRules(code).select(count)) || find(key + ".other"))) ||
    find(key) ||
    key;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const value = vars && own(vars, name);
    return typeof value === "number"
      ? new Intl.NumberFormat(code).format(value)
      : typeof value === "string"
        ? value
        : all;
  });
}

/** The supported locale for a BCP 47 tag: exact, an alias, else the first of its language. */
export function match(tag: string): string | null {
  const lower = tag.toLowerCase().replace(/_/g, "-");
  const language = lower.split("-")[0];
  const found =
    SUPPORTED.filter((code) => code.toLowerCase() == lower)[0] ||
    own(ALIASES, lower) ||
    own(ALIASES, lower.split("-", 2).join("-")) ||
    own(ALIASES, language as string) ||
    SUPPORTED.filter((code) => code.toLowerCase().split("-")[0] == language)[0];
  return typeof found == "string" ? found : null;
}

/** The first supported locale of `tags` (the page's choice, the app's, the browser's), or "en". */
export function choose(tags: readonly (string | null | undefined)[]): string {
  for (let i = 0; i < tags.length; i++) {
    const found = tags[i] && match(tags[i] as string);
    if (found) return found;
  }
  return "en";
}

/** Switches to `next` with its catalog (`{}` for English). */
export function use(next: string, strings: unknown): void {
  code = next;
  catalog = strings;
}

/** Puts the site's strings over the catalog: string values only; false when `more` is no object. */
export function override(more: unknown): boolean {
  const ok = !!more && typeof more == "object" && !Array.isArray(more);
  if (ok) {
    const keys = Object.keys(more as object);
    for (let i = 0; i < keys.length; i++) {
      const value = own(more, keys[i] as string);
      if (typeof value === "string") mine[keys[i] as string] = value;
    }
  }
  return ok;
}

/** Reads `data-strings` (a JSON object of at most MAX_STRINGS characters; else warned). */
export function readStrings(
  tag: HTMLScriptElement | null,
  warn: (name: string, value: string) => void,
): void {
  const text = tag && tag.getAttribute("data-strings");
  if (text && (text.length > MAX_STRINGS || !override(parseJson(text)))) {
    warn("data-strings", text.slice(0, 80));
  }
}

/** Every key's text now, to tell what changed after `use` or `override` (see `relabel`). */
export function texts(): Record<string, string> {
  const now: Record<string, string> = Object.create(null);
  const keys = Object.keys(english);
  for (let i = 0; i < keys.length; i++) now[keys[i] as string] = t(keys[i] as string);
  return now;
}

/**
 * Says again in the new words what `root` shows in the old ones (`before`, from `texts`): text
 * nodes and `aria-label`, `title` and `placeholder` equal to an old text. Conversation text
 * (`.msg.user`, markdown `.md`, `.plain`) is left alone.
 */
export function relabel(root: Element, before: Record<string, string>): void {
  const now = texts();
  const map: Record<string, string> = Object.create(null);
  for (const key in now)
    if (before[key] !== now[key]) map[before[key] as string] = now[key] as string;
  const walk = document.createTreeWalker(root, 5, (node) =>
    node instanceof Element && node.matches(".md,.plain,.msg.user") ? 2 : 1,
  );
  for (let node: Node | null = root; node; node = walk.nextNode()) {
    if (node instanceof Element) {
      for (const name of ["aria-label", "title", "placeholder"]) {
        const value = node.getAttribute(name);
        const said = value !== null && own(map, value);
        if (typeof said === "string") node.setAttribute(name, said);
      }
    } else {
      const said = own(map, node.nodeValue || "");
      if (typeof said === "string") node.nodeValue = said;
    }
  }
}
