// The login chunk: the form an app with a login (`launch(auth=...)`) shows in the panel instead
// of the conversation: its `auth_message` (markdown) above, a username and a password, and why a
// try failed (a wrong password, too many tries). It defines no global: its exports go to a
// one-shot setter on `window.chatbubble`.

import { logIn } from "../api";
import { el, on, report } from "../dom";
import { handOver } from "../handover";
import css from "./login.css";
import { LOGIN_KEY, type Login, type LoginHost } from "./types";
import { t } from "../translate";

let form: HTMLFormElement | null = null;

function store(change: (storage: Storage) => void): void {
  try {
    change(localStorage);
  } catch {
    // full or refused: logged in for this page only
  }
}

function login(host: LoginHost): void {
  if (form) {
    (form.querySelector("input") as HTMLInputElement).focus();
    return;
  }
  const username = el("input", { name: "username", autocomplete: "username", required: "" });
  const password = el("input", {
    name: "password",
    type: "password",
    autocomplete: "current-password",
  });
  const failed = el("p", { class: "failed", role: "alert" });
  const submit = el("button", { type: "submit" }, [t("login_submit")]);
  const shown = (form = el("form", { class: "login", "aria-label": t("login_title") }, [
    host.message ? el("div", { class: "md" }, [host.markdown(host.message) || host.message]) : "",
    el("label", {}, [t("login_username"), username]),
    el("label", {}, [t("login_password"), password]),
    failed,
    submit,
  ]));
  on(shown, "submit", (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    failed.textContent = "";
    logIn(host.widget, username.value, password.value)
      .then((result) => {
        submit.disabled = false;
        if (!result.ok) {
          failed.textContent = result.error.message;
          password.select();
          return;
        }
        shown.remove();
        form = null;
        host.panel.classList.remove("locked");
        host.widget.login.token = result.value.token;
        store((storage) => storage.setItem(host.key, result.value.token));
        host.done();
      })
      .catch(report);
  });
  store((storage) => storage.removeItem(host.key));
  host.panel.classList.add("locked");
  (host.panel.firstChild as HTMLElement).after(shown);
  username.focus();
}

handOver(LOGIN_KEY, { css, login } satisfies Login);
