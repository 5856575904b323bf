// The widget's language: `data-locale` > the app's `locale` (/api/config) > the browser's
// `navigator.languages` > English, each matched to a supported locale by i18n.ts. English is
// built in; another locale's strings come as a chunk (/widget/locale-<code>.js, hand-over key
// LOCALE_KEY). Until they are here the widget shows English; then what it already shows is said
// again in the new words (i18n.ts `relabel`), and the root element gets `lang`.

import { choose, LOCALE_KEY, override, relabel, texts, use } from "../i18n";
import { own } from "../json";
import { chunk, root } from "./loader";

/** The locale last chosen (its chunk may be on its way). */
let wanted = "";
/** The chosen locale ("" until chosen): the root's direction follows it (shell.ts `restyle`). */
export const language = (): string => wanted;

function apply(code: string, strings: unknown): void {
  const before = texts();
  use(code, strings);
  root.lang = code;
  relabel(root, before);
}

/** Chooses the locale for `first` (the page's or the app's choice), then the browser's. */
export function speak(first: string | null | undefined): void {
  const code = choose([first, ...(navigator.languages || [navigator.language])]);
  if (code === wanted) return;
  wanted = code;
  // Until another locale's strings are here (or if they never come) the words are English.
  root.lang ||= "en";
  if (code === "en") return apply(code, {});
  // A locale whose chunk cannot load (not translated yet, or offline) stays English.
  chunk(LOCALE_KEY, "locale-" + code.toLowerCase()).then(
    (value) => {
      if (wanted === code) apply(code, own(value, "strings"));
    },
    () => undefined,
  );
}

/** `chatbubble("strings", {...})`: the site's words over the catalog's, shown at once. */
export function strings(values: unknown): void {
  const before = texts();
  if (override(values)) relabel(root, before);
}
