// The conversation's copy in sessionStorage, as ui/turns.ts writes it: `{o: open, c: id, t:
// turns}`, each turn `[user, text, status, answer id, error, flag, parts, files]`, and an answer
// still streaming when the page was left has `[stream, token, last event id]` after those eight.
// The core reads it (shell/shell.ts) to tell whether the panel must come at once, and whether
// the extras chunk (which shows saved turns again: extras/restore.ts) comes along with it; the
// panel reads it with the core's `read` (lent: shell/lent.ts).

import { own, parseJson } from "./json";

/**
 * The conversation saved under `key` (null or undefined: none, or storage is refused). A corrupt
 * copy is discarded, with a warning.
 */
export function read(key: string): unknown {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(key);
  } catch {
    // forbidden storage: nothing saved
  }
  const saved = raw && parseJson(raw);
  if (saved === undefined) {
    console.warn("chatbubble storage: discarded a corrupt conversation");
    try {
      sessionStorage.removeItem(key);
    } catch {
      // nothing more to do
    }
  }
  return saved;
}

/** Whether the conversation `saved` (as `read` gives it) was left open or with an answer still
 * coming. */
export function resumes(saved: unknown): boolean {
  const turns = own(saved, "t");
  return (
    own(saved, "o") === true ||
    (Array.isArray(turns) && turns.some((turn) => Array.isArray(turn) && turn.length > 8))
  );
}

/** Whether the conversation `saved` has turns (the extras chunk shows them again). */
export function hasTurns(saved: unknown): boolean {
  const turns = own(saved, "t");
  return Array.isArray(turns) && turns.length > 0;
}
