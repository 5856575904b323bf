// The `t` every module calls for a word the visitor sees. The catalog is the core's (i18n.ts:
// the locale's strings, the site's overrides, English): in the core it is set by index.ts; a
// chunk's own copy of this module gets the core's at hand-over (handover.ts `handOver` adds
// `lend` to the chunk's exports; shell/loader.ts calls it and teaches the core the chunk's
// English). The English of the keys only chunks use is in those chunks: build.mjs gives each
// bundle the part of widget/locales/en.json its code uses (the core's keys in the core only), so
// `english` here is this bundle's share.

import english from "../locales/en.json";

/** Placeholder values: numbers go through `Intl.NumberFormat`; `count` picks a plural form. */
export type Vars = Readonly<Record<string, string | number>>;
/** The catalog's lookup; `fallback`: the English of keys the core does not carry. */
export type Translate = (key: string, vars?: Vars, fallback?: object) => string;

/** Until lent (a chunk that is never given one): the key itself. */
let lent: Translate = (key) => key;

export const t = (key: string, vars?: Vars): string => lent(key, vars, english);

/** Takes the core's catalog; gives back this bundle's English (i18n.ts `learn`). */
export function lend(given: Translate): object {
  lent = given;
  return english;
}
