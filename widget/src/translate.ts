// The `t` every module calls for a word the visitor sees: in the core it is the catalog's
// (i18n.ts, set by the App); in a chunk, its own copy of this module gets the core's `t` at
// hand-over (dom.ts `handOver` adds `lend` to the chunk's exports, chunks.ts calls it). So the
// English catalog is only in the core, and a chunk speaks its widget's language.

/** Placeholder values: numbers go through `Intl.NumberFormat`; `count` picks a plural form. */
export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: string, vars?: Vars) => string;

/** Until lent (a chunk that is never given one): the key itself. */
export let t: Translate = (key) => key;

export function lend(given: Translate): void {
  t = given;
}
