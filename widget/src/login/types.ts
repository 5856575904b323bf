// The contract between the core widget and the login chunk (widget/src/login/index.ts →
// backend/static/chunks/login.js), loaded when the app has a login (`launch(auth=...)`) and the
// visitor has no valid token.

import type { WidgetConfig } from "../config";
import type { Markdown } from "../render/types";

export const LOGIN_KEY = "chatbubble.login";

/** What the core lends the login form. */
export interface LoginHost {
  /** Its `login.token` gets the token. */
  readonly widget: WidgetConfig;
  /** The localStorage key the token is kept under (removed while the form shows). */
  readonly key: string;
  /** The panel: the form replaces the conversation until the visitor is logged in. */
  readonly panel: HTMLElement;
  /** The app's `auth_message` (markdown), shown above the form; null for none. */
  readonly message: string | null;
  /** Markdown through the one sanitizer (null until the sanitizer is ready). */
  readonly markdown: Markdown;
  /** The visitor logged in (the token is set and kept). */
  done(): void;
}

export interface Login {
  readonly css: string;
  /** Shows the form (once; a second call focuses it). */
  login(host: LoginHost): void;
}
