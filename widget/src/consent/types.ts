// The contract between the core widget and the consent chunk (widget/src/consent/index.ts →
// backend/static/chunks/consent.js): the question a visitor answers before anything of theirs
// leaves the browser (the `consent` setting, `data-consent`). Loaded when the panel opens and
// the question is unanswered; the core keeps the gate itself (ui/consent.ts, asked in
// ui/streaming.ts before every request of an answer).

export const CONSENT_KEY = "chatbubble.consent";

/** What the core lends the chunk. */
export interface ConsentHost {
  /** The chat panel: the question goes under its header, in place of the conversation. */
  readonly panel: HTMLElement;
  /** The question's text (plain text), or true for the catalog's. */
  readonly question: string | true;
  /** The privacy policy (an http(s) URL), or null. */
  readonly privacy: string | null;
  /** The localStorage key of the answer ("1" accepted, "0" declined). */
  readonly key: string;
  /** The visitor answered: true for Accept. */
  done(accepted: boolean): void;
}

export interface Consent {
  readonly css: string;
  /** Shows the question (once; again it takes the focus). */
  ask(host: ConsentHost): void;
}
