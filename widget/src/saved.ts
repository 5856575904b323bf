// The conversation's copy in sessionStorage, as ui/turns.ts writes it: `{o: open, c: id, t:
// turns}`, each turn `[user, text, status, answer id, error, flag, parts, files]`, and an answer
// still streaming when the page was left has `[stream, token, last event id]` after those eight.
// The core reads it (shell/shell.ts) to tell whether the panel must come at once.

import { own, parseJson } from "./json";

/** Whether the conversation saved under `key` was left open or with an answer still coming. */
export function resumes(key: string): boolean {
  let saved: unknown = null;
  try {
    saved = parseJson(sessionStorage.getItem(key) || "null");
  } catch {
    // forbidden storage, or a corrupt copy (the panel discards it when it loads)
  }
  const turns = own(saved, "t");
  return (
    own(saved, "o") === true ||
    (Array.isArray(turns) && turns.some((turn) => Array.isArray(turn) && turn.length > 8))
  );
}
