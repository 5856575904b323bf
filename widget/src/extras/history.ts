// `save_history`: every conversation kept in the visitor's localStorage under
// `chatbubble:<backend origin>:<app>:history` (newest first), and the "Chat history" side panel
// that lists them: switch, delete one, delete all (after a confirmation), "New chat", download
// the one on screen. Without `save_history` the same panel is the menu of the conversation on
// screen ("Conversation options": New chat, download, delete). Deleting the conversation on
// screen starts a new one, so it leaves sessionStorage too; nothing is kept on the server.
// Other tabs' changes arrive as `storage` events.
// A signed-in visitor (the site's token, `data-user-token`, and the server's `server_history`)
// has their conversations on the server instead: the chat route records each turn under their
// `sub`, and this panel lists, opens and deletes them through api/history, on any device;
// nothing of theirs goes to localStorage.
// With `store_transcripts` (`server_copy` in the config) an anonymous visitor's turns are kept on
// the server too: each delete here also asks the server to delete its copy (authorized by the
// visitor key), after the local delete, which stands whatever the server answers.
// Storage never breaks the widget: a corrupt value is dropped with one warning, and when the
// quota is full the oldest conversations go first and the panel says so.

import { getJson, postJson } from "../api";
import { el, guard, on, report } from "../dom";
import { encodeJson, own, ownString } from "../json";
import { parts as partsOf, textOf, type Part } from "../parts";
import { t } from "../translate";
import { fill } from "./restore";
import { download } from "./transcript";
import type { HistoryHost, HistoryView } from "./types";

/** One saved conversation: its id, when it last changed, its turns as the core keeps them. */
interface Saved {
  readonly c: string;
  readonly u: number;
  readonly t: readonly unknown[];
}

const TITLE_CHARS = 40;

function title(saved: Saved): string {
  const first: unknown = saved.t[0];
  return short(String((Array.isArray(first) && first[0]) || ""));
}

function short(text: string): string {
  text = text.trim() || t("history_untitled");
  const chars = Array.from(text);
  return chars.length > TITLE_CHARS ? chars.slice(0, TITLE_CHARS - 1).join("") + "\u2026" : text;
}

/** A turn from the server (`{message, answer, id, error, flag}`) as the core saves turns. */
function turnOf(item: unknown): unknown[] {
  const message = partsOf(own(item, "message")) || [];
  const answer = partsOf(own(item, "answer")) || [];
  const error = ownString(item, "error") || "";
  const plain = answer.every((part) => part.type === "text" && !part.metadata && !part.options);
  const files = message.filter((part): part is Part & { type: "file" } => part.type === "file");
  return [
    textOf(message),
    textOf(answer),
    error ? "error" : "done",
    ownString(item, "id") || null,
    error,
    ownString(item, "flag") || "",
    plain ? null : answer,
    files,
  ];
}

function valid(item: unknown): item is Saved {
  const id = own(item, "c");
  return typeof id === "string" && id !== "" && Array.isArray(own(item, "t"));
}

export function history(host: HistoryHost): HistoryView {
  const key = host.store + ":history";
  const newChat = el("button", { type: "button", class: "act" }, [t("history_new")]);
  const note = el("p", { class: "hist-note", role: "status" });
  const items = el("ul", { class: "hist-list" });
  const keeps = host.saved;
  /** A signed-in visitor's conversations are on the server (asked each time: a site may sign
   * its visitor in or out on the page). */
  const remote = (): boolean =>
    keeps && own(host.raw, "server_history") === true && !!host.widget.user.token;
  /** The server's list as last read (newest first), shown while it is read again. */
  let listed: Saved[] = [];
  /** Bumped by each read of the list: an older answer that arrives late is ignored. */
  let reads = 0;
  /** Says the server's refusal (or the network's failure) in the status line. */
  const failed = (message: string): void => {
    note.classList.remove("done");
    note.textContent = message;
  };
  /** Deletes the server's copy of an anonymous visitor's conversations (`server_copy`); not
   * found is no failure (nothing of it was stored yet). */
  const unstore = (path: string, body = "{}"): void => {
    if (own(host.raw, "server_copy") === true)
      postJson(host.widget, path, body).then((error) => {
        if (error && error.status !== 404) failed(error.message);
      }, report);
  };
  const tool = (name: string, run: () => void): HTMLButtonElement => {
    const button = el("button", { type: "button", class: "act" }, [name]);
    on(button, "click", run);
    return button;
  };
  /** Download and delete, under the list; the confirmation of "Delete all" takes their place. */
  const tools = el("div", { class: "hist-tools" });
  const showTools = (): void => {
    tools.replaceChildren(
      tool(t("history_download"), () => download(host.turns(), side)),
      keeps
        ? tool(t("history_delete_all"), confirmAll)
        : tool(t("history_delete_current"), () => {
            const id = host.current();
            host.fresh();
            told(t("history_deleted"));
            if (id) unstore("api/history/" + id + "/delete");
          }),
    );
  };
  const side = el(
    "div",
    {
      class: "hist-panel",
      role: "region",
      "aria-label": t(keeps ? "history_title" : "history_menu"),
      hidden: true,
    },
    [newChat, note, items, tools],
  );
  host.panel.append(side);
  showTools();

  /** Says `text` in the panel's status line (not a warning: in the text colour). */
  function told(text: string): void {
    note.textContent = text;
    note.classList.add("done");
  }

  function confirmAll(): void {
    const cancel = tool(t("history_delete_cancel"), () => {
      showTools();
      (tools.firstChild as HTMLElement).focus();
    });
    tools.replaceChildren(
      el("p", { class: "hist-confirm" }, [t("history_delete_all_confirm")]),
      cancel,
      tool(t("history_delete_all_yes"), () => {
        const done = (): void => {
          host.fresh();
          showTools();
          if (remote()) draw(listed);
          else render();
          told(t("history_deleted_all"));
          newChat.focus();
        };
        if (!remote()) {
          const ids = new Set([host.current(), ...read().map((item) => item.c)]);
          ids.delete("");
          write([]);
          done();
          unstore("api/history/delete", encodeJson({ ids: [...ids].slice(0, 500) }));
          return;
        }
        postJson(host.widget, "api/history/delete", "{}").then((error) => {
          if (!error) listed = [];
          showTools();
          if (error) failed(error.message);
          else done();
        }, report);
      }),
    );
    cancel.focus();
  }

  /** The saved conversations, newest first; [] when there are none or storage is unreadable. */
  function read(): Saved[] {
    let raw: string | null = null;
    try {
      raw = localStorage.getItem(key);
    } catch {
      return [];
    }
    if (!raw) return [];
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // reported below, with the other unusable values
    }
    if (Array.isArray(parsed) && parsed.every(valid)) return parsed as Saved[];
    console.warn("chatbubble storage: discarded a corrupt chat history");
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing more to do
    }
    return [];
  }

  /** Writes `list` (newest first), dropping the oldest conversations while the quota is full. */
  function write(list: Saved[]): void {
    let dropped = false;
    for (;;) {
      try {
        if (list.length) localStorage.setItem(key, encodeJson(list as never));
        else localStorage.removeItem(key);
        break;
      } catch (error) {
        const full = error instanceof DOMException && error.name === "QuotaExceededError";
        if (!full) return;
        dropped = true;
        note.classList.remove("done");
        if (list.length <= 1) {
          note.textContent = t("history_full_not_saved");
          return;
        }
        list.pop();
      }
    }
    if (dropped) {
      note.classList.remove("done");
      note.textContent = t("history_full_trimmed");
    }
  }

  /** Reads the server's list again, then shows it. */
  function fetchList(): void {
    const read = ++reads;
    if (!listed.length) told(t("history_loading"));
    getJson(host.widget, "api/history").then((result) => {
      if (read !== reads) return;
      if (!result.ok) {
        failed(result.error.message);
        return;
      }
      const found = own(result.value, "conversations");
      listed = [];
      const items = Array.isArray(found) ? (found as unknown[]) : [];
      for (let i = 0; i < items.length; i++) {
        const id = ownString(items[i], "id");
        if (id) listed.push({ c: id, u: 0, t: [[ownString(items[i], "title") || ""]] });
      }
      told(listed.length ? "" : t("history_empty"));
      draw(listed);
    }, report);
  }

  /** Shows the saved conversation `id` (its turns as saved) in place of the one on screen. */
  function load(id: string, turns: readonly unknown[]): void {
    host.begin(id);
    fill(host, turns, false);
    host.save();
  }

  /** Opens the conversation `id`: from the server, or from localStorage. */
  function open(id: string): void {
    if (!remote()) {
      const fresh = read().find((item) => item.c === id);
      if (fresh) load(fresh.c, fresh.t);
      toggle(false);
      return;
    }
    told(t("history_loading"));
    getJson(host.widget, "api/history/" + id).then((result) => {
      if (!result.ok) {
        failed(result.error.message);
        return;
      }
      const found = own(result.value, "turns");
      const turns = Array.isArray(found) ? (found as unknown[]).map(turnOf) : [];
      told("");
      load(id, turns);
      toggle(false);
    }, report);
  }

  /** Deletes the conversation `id` (on the server too, for a signed-in visitor). */
  function remove(id: string): void {
    const done = (): void => {
      if (id === host.current()) host.fresh();
      // The server's list is known without it: reading it again would replace what is said.
      if (remote()) draw(listed);
      else render();
      told(t("history_deleted"));
      newChat.focus();
    };
    if (!remote()) {
      write(read().filter((item) => item.c !== id));
      done();
      unstore("api/history/" + id + "/delete");
      return;
    }
    postJson(host.widget, "api/history/" + id + "/delete", "{}").then((error) => {
      // Not found: the conversation has no turn on the server yet (or is gone already).
      if (error && error.status !== 404) failed(error.message);
      else {
        listed = listed.filter((item) => item.c !== id);
        done();
      }
    }, report);
  }

  function render(): void {
    if (remote()) {
      draw(listed);
      fetchList();
    } else draw(keeps ? read() : []);
  }

  function draw(list: readonly Saved[]): void {
    const current = host.current();
    items.replaceChildren();
    for (let i = 0; i < list.length; i++) {
      const saved = list[i] as Saved;
      const name = title(saved);
      const button = el("button", { type: "button", class: "hist-item", title: name }, [name]);
      if (saved.c === current) button.setAttribute("aria-current", "true");
      on(button, "click", () => open(saved.c));
      const erase = el("button", {
        type: "button",
        class: "hist-delete",
        "aria-label": t("history_delete_named", { name }),
        title: t("history_delete"),
      });
      erase.textContent = "\u00d7";
      on(erase, "click", () => remove(saved.c));
      items.append(el("li", {}, [button, erase]));
    }
  }

  function toggle(show: boolean): void {
    if (show) {
      if (note.classList.contains("done")) note.textContent = "";
      const header = host.panel.firstElementChild as HTMLElement | null;
      side.style.top = (header ? header.offsetHeight : 0) + "px";
      render();
    }
    side.hidden = !show;
    host.button.setAttribute("aria-expanded", String(show));
    if (show) newChat.focus();
  }

  on(newChat, "click", () => {
    host.fresh();
    toggle(false);
  });
  window.addEventListener(
    "storage",
    guard((event: StorageEvent) => {
      if ((event.key === key || event.key === null) && !remote()) render();
    }),
    host.life,
  );

  return {
    save(id, turns) {
      if (!keeps || !turns.length) return;
      // The server records a signed-in visitor's turns itself; the open list is read again
      // once an answer has finished.
      if (remote()) {
        const last = turns[turns.length - 1];
        if (!side.hidden && Array.isArray(last) && last[2] !== "stopped") fetchList();
        return;
      }
      const list = read();
      const at = list.findIndex((item) => item.c === id);
      const text = encodeJson(turns as never);
      if (at >= 0 && encodeJson((list[at] as Saved).t as never) === text) return;
      if (at >= 0) list.splice(at, 1);
      list.unshift({ c: id, u: Date.now(), t: turns });
      write(list);
      if (!side.hidden) render();
    },
    toggle: () => toggle(!!side.hidden),
  };
}
