// How a chunk hands its exports to the core (a module of the chunks' own: the core lends the
// panel chunk its dom.ts, shell/lent.ts, but each bundle's `lend` must be its own).

import { report } from "./dom";
import { lend } from "./translate";

/**
 * A chunk hands its exports to the core: the one-shot setter on `window.chatbubble`. With them
 * goes `lend`, by which the core gives the chunk its `t` (translate.ts).
 */
export function handOver(key: string, exports: object): void {
  try {
    (window.chatbubble as Record<symbol, unknown>)[Symbol.for(key)] = { ...exports, lend };
  } catch (error) {
    report(error);
  }
}
