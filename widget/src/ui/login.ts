// The login an app may ask for (`launch(auth=...)`; /api/config's `login`): the token from
// POST /login is kept in localStorage per backend and app (a reload or another page of the site
// stays logged in) and sent by api.ts as `Authorization: Bearer` on every call. Without a valid
// one, or when the server says it expired, the login chunk's form takes the panel's place (and
// keeps the new token).

import { guard, report } from "../dom";
import { ownString } from "../json";
import { LOGIN_KEY, type Login } from "../login/types";
import { chunk, loadRender, markdown } from "./chunks";
import { composer, panel, widget } from "./state";

let key = "";
let message: string | null = null;

/** The config says the app has a login: use the kept token until it expires, or ask for one. */
export function needLogin(app: string, login: unknown): void {
  key = "chatbubble:" + widget.origin + ":" + app + ":login";
  message = ownString(login, "message") || null;
  widget.login.expired = ask;
  let token = "";
  try {
    token = localStorage.getItem(key) || "";
  } catch {
    // unreadable storage: log in again
  }
  // The token is "<name>.<expiry>.<signature>" (docs/protocol.md).
  if (Number(token.split(".")[1]) * 1000 > Date.now()) widget.login.token = token;
  else ask();
}

/** Shows the form (after markdown, for the message above it). */
function ask(): void {
  widget.login.token = "";
  loadRender()
    .then(() => chunk<Login>(LOGIN_KEY))
    .then(
      guard((value: Login) =>
        value.login({ widget, key, panel: panel.el, message, markdown, done: composer.focus }),
      ),
      report,
    );
}
