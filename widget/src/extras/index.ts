// The extras chunk: UI that no visitor needs before the first answer, loaded on demand by the
// core (ui/turns.ts `loadExtras`) from <backend>/widget/extras.js into the widget's shadow root.
// It defines no global: its exports go to a one-shot setter on `window.chatbubble`.

import { copy } from "../clipboard";
import { userMessages } from "../conversation";
import { el, on, report } from "../dom";
import { handOver } from "../handover";
import { encodeJson, own, ownString, parseJson, type Json } from "../json";
import css from "./extras.css";
import { history } from "./history";
import { resizable } from "./resize";
import { fill } from "./restore";
import { EXTRAS_KEY, type Extras, type HistoryHost, type TurnView } from "./types";
import { t } from "../translate";

/** The actions' view of one finished answer (`contextOf`: its turn and the core's host). */
interface AnswerContext {
  /** The answer bubble the buttons go into. */
  readonly bubble: HTMLElement;
  /** The visitor's bubble of the same turn (for "Edit"). */
  readonly user: HTMLElement;
  /** The row under the visitor's bubble: its "Copy" and "Edit" buttons go there. */
  readonly mine: HTMLElement;
  /** The visitor's message as sent (what its "Copy" copies). */
  readonly question: string;
  /** The answer text as received (its text parts' markdown); "" when the answer failed. */
  readonly answer: string;
  /** The answer's messages as the server streamed them, in `history` form; [] when it failed. */
  readonly reply: readonly Json[];
  /** The config as received (`chatbot.buttons`, `watermark`, `like_user_message`). */
  readonly raw: unknown;
  /** The backend's base URL (a file's URL in copied conversations). */
  readonly base: string;
  /** `chatbot.show_copy_button`: a "Copy" button. */
  readonly copy: boolean;
  /** `config.flagging.options` when the answer has an id: "Like"/"Dislike" thumbs, a "Flag" menu. */
  readonly options: readonly string[] | null;
  /** The `done` event's signed id for this answer. */
  readonly id: string | null;
  /**
   * The feedback already given on this answer ("" for none), and where to keep a new one: kept
   * as soon as it is chosen (it survives following a link at once), and the previous one again
   * if the server refuses it.
   */
  readonly flag: string;
  flagged(flag: string): void;
  /** The JSON body of the chat request that produced the answer (its history and message). */
  readonly sent: string;
  readonly conversationId: string;
  /** The storage namespace (backend origin and app) for the visitor id. */
  readonly store: string;
  /** POSTs to /api/feedback; resolves to an error safe to show, or null. */
  post(body: string): Promise<{ readonly message: string } | null>;
  /** The page the widget is on (`page` of a chat request; undefined with `data-page-context="off"`). */
  page(): Json | undefined;
  /** Re-runs the turn, replacing its answer (only while it is the last one). */
  retry(): void;
  /** Removes the turn and puts the visitor's text back in the composer. */
  undo(): void;
  /** With `editable`: re-runs the conversation from this turn with `text`, dropping later ones. */
  readonly edit: ((text: string) => void) | null;
  /**
   * `Chatbot(editable="all")`: replaces the answer's text (nothing re-runs); later requests send
   * it as history. The answers signed with the old text (this one and later ones) lose their id.
   */
  rewrite(text: string): void;
}

/** The panel's conversation, from the first call (`history`) on. */
let host: HistoryHost;

/** Removes `turn` and every later one; false while an answer streams. */
function cut(turn: TurnView): boolean {
  const turns: TurnView[] = host.all;
  const index = turns.indexOf(turn);
  if (host.busy() || index < 0) return false;
  const gone = turns.splice(index);
  for (let i = 0; i < gone.length; i++) (gone[i] as TurnView).view.remove();
  if (!turns.length) host.clear();
  host.save();
  return true;
}

/** What the actions of the finished `turn` read and do. */
function contextOf(turn: TurnView): AnswerContext {
  const { config } = host;
  const { id, text, status } = turn;
  const failed = status === "error";
  return {
    bubble: turn.answer.el,
    user: turn.view.user,
    mine: turn.view.mine,
    question: turn.user,
    answer: failed ? "" : text,
    reply: failed ? [] : host.reply(turn),
    raw: config.raw,
    base: host.widget.baseUrl,
    copy: config.chatbot.showCopyButton,
    options: id ? config.flagging : null,
    id,
    flag: turn.flag,
    flagged: (flag: string) => {
      turn.flag = flag;
      host.save();
    },
    sent: host.sent(turn),
    conversationId: host.current(),
    store: host.store,
    post: host.post,
    page: host.page,
    retry: () => host.retry(turn),
    undo: () => cut(turn) && host.refill(turn.user, turn.files),
    edit: config.editable ? (next: string) => cut(turn) && host.send(next, turn.files) : null,
    rewrite: (next: string) => {
      turn.text = next;
      turn.parts = null;
      turn.answer.set(next, null);
      // The server signed these answers with the old text: their feedback goes.
      const turns: TurnView[] = host.all;
      for (let i = turns.indexOf(turn); i < turns.length; i++) {
        const later = turns[i] as TurnView;
        later.id = null;
        later.answer.el.querySelector(".actions")?.remove();
        later.view.mine.replaceChildren();
        host.decorate(later);
      }
      host.save();
    },
  };
}

const SVG_NS = "http://www.w3.org/2000/svg";
/** The flag values of the thumbs (the protocol's, not shown: their labels are catalog strings). */
const THUMBS = ["Like", "Dislike"];

function icon(d: string, flip = false): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  const attrs: Record<string, string> = {
    viewBox: "0 0 24 24",
    width: "16",
    height: "16",
    "aria-hidden": "true",
    focusable: "false",
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "2",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
  };
  const names = Object.keys(attrs);
  for (let i = 0; i < names.length; i++) {
    svg.setAttribute(names[i] as string, attrs[names[i] as string] as string);
  }
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", d);
  if (flip) path.setAttribute("transform", "rotate(180 12 12)");
  svg.append(path);
  return svg;
}

/** A raised thumb: the palm with its thumb up, and the cuff on the left. */
const THUMB =
  "M7 11v10H3V11h4zm0 0l4-8a2.5 2.5 0 0 1 3 2.5V9h5a2 2 0 0 1 2 2.3l-1.3 7.5A2.5 2.5 0 0 1 16.2 21H7";
const FLAG = "M5 21V4h12l-2.5 4L17 12H5";

/** The visitor's anonymous id, kept in localStorage (in memory when storage is refused). */
let memoryVisitor = "";
function visitorId(store: string): string {
  const key = store + ":visitor";
  let id = "";
  try {
    id = localStorage.getItem(key) || "";
  } catch {
    id = memoryVisitor;
  }
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = "v" + Math.random().toString(36).slice(2) + Date.now().toString(36);
    memoryVisitor = id;
    try {
      localStorage.setItem(key, id);
    } catch {
      // memory only
    }
  }
  return id;
}

/**
 * The conversation up to and including the answer, exactly as the server signed it: the history
 * it received, the visitor's files (`{"file": id}` messages) and text, the answer's messages.
 */
function conversation(context: AnswerContext): Json[] {
  const body = parseJson(context.sent);
  const history = own(body, "history");
  const message = own(body, "message");
  const out: Json[] = Array.isArray(history) ? (history as Json[]).slice() : [];
  const files = own(message, "files");
  const text = typeof message === "string" ? message : own(message, "text");
  const mine = userMessages(
    typeof text === "string" ? text : "",
    Array.isArray(files) ? files.map(String) : [],
  );
  for (let i = 0; i < mine.length; i++) out.push({ role: "user", content: mine[i] as Json });
  for (let i = 0; i < context.reply.length; i++) {
    out.push({ role: "assistant", content: context.reply[i] as Json });
  }
  return out;
}

/** `chatbot.watermark`: added after a blank line to everything copied (as Gradio). */
let watermark = "";
const marked = (text: string): string => (watermark ? text + "\n\n" + watermark : text);

/** A "Copy" button that puts the answer's markdown source on the clipboard. */
function copyButton(source: string, name = t("action_copy")): HTMLButtonElement {
  const button = el("button", { type: "button", class: "act" }, [name]);
  on(button, "click", () => copy(button, marked(source)));
  return button;
}

/** The conversation up to the answer as Gradio's "Copy conversation" writes it: `role: text`
 * (a file: its URL) per message, a blank line between. */
function transcript(context: AnswerContext): string {
  const messages = conversation(context);
  const out: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const content = own(messages[i], "content");
    const file = own(content, "file");
    const text =
      typeof content === "string"
        ? content
        : typeof file === "string"
          ? context.base + "api/files/" + file
          : "";
    out.push(own(messages[i], "role") + ": " + text);
  }
  return out.join("\n\n");
}

/** A small text button; `last` ones show on the newest answer only (see extras.css). */
function action(name: string, run: () => void, last = false): HTMLButtonElement {
  const button = el("button", { type: "button", class: last ? "act last-only" : "act" }, [name]);
  on(button, "click", run);
  return button;
}

/**
 * "Edit" on a message (`user`, the visitor's or an answer's bubble): an inline editor, then
 * `edit` with the new text (the visitor's: re-runs the conversation from it; an answer's with
 * `editable="all"`: replaces it).
 */
function editButton(
  user: HTMLElement,
  row: HTMLElement,
  original: string,
  edit: (text: string) => void,
): HTMLButtonElement {
  const open = (): void => {
    const before = Array.prototype.slice.call(user.childNodes) as Node[];
    const box = el("textarea", {
      class: "edit-box",
      "aria-label": t("action_edit_message"),
      rows: "3",
    });
    box.value = original;
    const close = (): void => {
      user.classList.remove("editing");
      user.replaceChildren(...before);
      row.hidden = false;
    };
    const cancel = (): void => {
      close();
      button.focus();
    };
    const save = (): void => {
      const text = box.value.trim();
      if (text && text !== original) {
        close();
        edit(text);
      } else cancel();
    };
    on(box, "keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        cancel();
      } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      }
    });
    user.classList.add("editing");
    user.replaceChildren(
      box,
      el("div", { class: "edit-actions" }, [
        action(t("action_cancel"), cancel),
        action(t("action_save"), save),
      ]),
    );
    row.hidden = true;
    box.focus();
  };
  const button = action(t("action_edit"), open);
  return button;
}

function answer(turn: TurnView): void {
  if (turn.answer.el.querySelector(".actions")) return;
  const context = contextOf(turn);
  const { bubble, user } = context;
  const chatbot = own(context.raw, "chatbot");
  const buttons = own(chatbot, "buttons");
  const shown = (name: string): boolean => Array.isArray(buttons) && buttons.indexOf(name) >= 0;
  const mark = own(chatbot, "watermark");
  watermark = typeof mark === "string" ? mark : "";
  const actions = el("div", { class: "actions" });
  if (!bubble.classList.contains("failed"))
    actions.append(action(t("answer_retry"), context.retry, true));
  actions.append(action(t("action_undo"), context.undo, true));
  if (context.copy && context.answer) actions.append(copyButton(context.answer));
  // `editable="all"`: answers of text alone can be edited in place (Gradio 6.31 shows the edit
  // without re-running).
  const { reply } = context;
  if (own(chatbot, "editable") === "all" && reply.length === 1 && typeof reply[0] === "string") {
    actions.append(editButton(bubble, actions, reply[0], context.rewrite));
  }
  if (shown("copy_all")) {
    const all = action(t("action_copy_all"), () => copy(all, marked(transcript(context))), true);
    all.title = t("action_copy_conversation");
    actions.append(all);
  }
  // Gradio's "share" posts to a Hugging Face discussion; here it is the browser's share sheet,
  // where there is one (no button otherwise).
  if (shown("share") && typeof navigator.share === "function") {
    actions.append(
      action(
        t("action_share"),
        () => void navigator.share({ text: marked(transcript(context)) }).catch(() => undefined),
        true,
      ),
    );
  }
  if (context.options && context.id) feedback(context, context.options, context.id, actions);
  bubble.append(actions);
  const { mine, question } = context;
  if (mine.firstChild) return;
  if (context.copy) mine.append(copyButton(question));
  if (context.edit) mine.append(editButton(user, mine, question, context.edit));
  if (context.options && context.id && own(chatbot, "like_user_message") === true) {
    feedback(context, context.options, context.id, mine, true);
  }
}

/**
 * Feedback buttons in `row`: on the answer `id` (or with `visitors`, on the visitor's message of
 * its turn), or with `welcome` (an index) on that answer of the welcome.
 */
function feedback(
  context: Pick<AnswerContext, "flag" | "flagged" | "conversationId" | "store" | "post" | "page"> &
    Partial<AnswerContext>,
  options: readonly string[],
  id: string,
  row: HTMLElement,
  visitors = false,
  welcome = -1,
): void {
  const status = el("span", { class: "feedback-error", role: "status" });
  // Feedback on the visitor's message (`like_user_message`) is kept on this page only.
  const keep = visitors ? () => undefined : context.flagged;
  const buttons: HTMLButtonElement[] = [];
  let current = "";
  let busy = false;

  const show = (flag: string): void => {
    current = flag;
    for (let i = 0; i < buttons.length; i++) {
      const button = buttons[i] as HTMLButtonElement;
      button.setAttribute("aria-pressed", String(button.dataset["flag"] === flag));
    }
    flagButton?.classList.toggle("chosen", !!flag && THUMBS.indexOf(flag) < 0);
  };

  /** While a flag is on its way the buttons are aria-busy, and clicks on them are ignored. */
  const setBusy = (on: boolean): void => {
    busy = on;
    const all = flagButton ? buttons.concat(flagButton) : buttons;
    for (let i = 0; i < all.length; i++) {
      (all[i] as HTMLButtonElement).setAttribute("aria-busy", String(on));
    }
  };

  /**
   * The flag's request body (with `comment`: the words that go with a thumbs-down), and the
   * page's URL (none with `data-page-context="off"`): the console filters flags by it.
   */
  const bodyOf = (flag: string, comment?: string): string => {
    const url = ownString(context.page(), "url");
    const anon = {
      flag,
      visitor: visitorId(context.store),
      conversation_id: context.conversationId,
      ...(url ? { page_url: url } : {}),
    };
    return encodeJson(
      welcome < 0
        ? {
            target: visitors ? "user" : "assistant",
            id,
            conversation: conversation(context as AnswerContext),
            ...anon,
            ...(comment === undefined ? {} : { comment }),
          }
        : { welcome, ...anon },
    );
  };

  // `feedback_comments`: a thumbs-down on an answer opens an optional comment box.
  const comments =
    welcome < 0 && !visitors && own(own(context.raw, "flagging"), "comments") === true;
  let box: HTMLElement | null = null;
  const closeBox = (): void => {
    if (box) box.remove();
    box = null;
  };
  const ask = (): void => {
    if (box) return;
    const field = el("textarea", { class: "edit-box", rows: "2", maxlength: "1000" });
    const submit = action(t("feedback_comment_send"), () => {
      const text = field.value.trim();
      if (!text) return closeBox();
      submit.disabled = true;
      context.post(bodyOf("Dislike", text)).then((error) => {
        submit.disabled = false;
        status.classList.toggle("done", !error);
        status.textContent = error ? error.message : t("feedback_comment_thanks");
        if (!error) closeBox();
      }, report);
    });
    on(field, "keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        closeBox();
        buttons.find((button) => button.dataset["flag"] === "Dislike")?.focus();
      }
    });
    box = el("div", { class: "comment-box" }, [
      el("label", {}, [t("feedback_comment_label"), field]),
      el("div", { class: "edit-actions" }, [action(t("feedback_comment_skip"), closeBox), submit]),
    ]);
    row.append(box);
    field.focus();
  };

  // The choice is kept with the conversation at once (a visitor who clicks and follows a link
  // keeps it), and taken back if the server refuses it.
  const send = (flag: string): void => {
    if (busy) return;
    setBusy(true);
    const before = current;
    show(flag);
    keep(flag);
    status.textContent = "";
    status.classList.remove("done");
    if (flag !== "Dislike") closeBox();
    context
      .post(bodyOf(flag))
      .then((error) => {
        if (error) {
          show(before);
          keep(before);
          status.textContent = error.message;
        } else if (flag === "Dislike" && comments) ask();
      }, report)
      .finally(() => setBusy(false));
  };

  for (let i = 0; i < THUMBS.length; i++) {
    const name = THUMBS[i] as string;
    if (options.indexOf(name) < 0) continue;
    const button = el("button", {
      type: "button",
      class: "thumb",
      "aria-label": t(i ? "action_dislike" : "action_like"),
      title: t(i ? "action_dislike" : "action_like"),
      "aria-pressed": "false",
      "aria-busy": "false",
      "data-flag": name,
    });
    button.append(icon(THUMB, i === 1));
    on(button, "click", () => send(current === name ? "" : name));
    buttons.push(button);
    row.append(button);
  }

  const others = options.filter((option) => THUMBS.indexOf(option) < 0);
  let flagButton: HTMLButtonElement | null = null;
  if (others.length) {
    const button = el("button", {
      type: "button",
      class: "thumb",
      "aria-label": t("action_flag"),
      title: t("action_flag"),
      "aria-haspopup": "menu",
      "aria-expanded": "false",
      "aria-busy": "false",
    });
    button.append(icon(FLAG));
    const menu = el("div", { class: "flag-menu", role: "menu", "aria-label": t("action_flag") });
    menu.hidden = true;
    const toggle = (show: boolean): void => {
      menu.hidden = !show;
      button.setAttribute("aria-expanded", String(show));
    };
    for (let i = 0; i < others.length; i++) {
      const option = others[i] as string;
      const item = el("button", { type: "button", role: "menuitem" }, [option]);
      on(item, "click", () => {
        toggle(false);
        send(current === option ? "" : option);
        button.focus();
      });
      menu.append(item);
    }
    on(button, "click", () => {
      toggle(!!menu.hidden);
      if (!menu.hidden) (menu.firstElementChild as HTMLElement | null)?.focus();
    });
    on(menu, "keydown", (event) => {
      const items = Array.prototype.slice.call(menu.children) as HTMLElement[];
      const at = items.indexOf(event.target as HTMLElement);
      if (event.key === "Escape") {
        event.stopPropagation();
        toggle(false);
        button.focus();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : items.length - 1;
        items[(at + step) % items.length]?.focus();
      }
    });
    const wrap = el("span", { class: "flag" }, [button, menu]);
    // The menu closes when focus moves elsewhere (Tab). A focus loss to nothing is ignored:
    // Safari does not focus clicked buttons, so that is also a click on a menu item.
    on(wrap, "focusout", (event) => {
      const next = event.relatedTarget as Node | null;
      if (next && !wrap.contains(next)) toggle(false);
    });
    flagButton = button;
    row.append(wrap);
  }
  row.append(status);
  show(visitors ? "" : context.flag);
}

/**
 * Feedback buttons under the last bubble of each answer of the welcome (a run of its `.bot`
 * bubbles), named by the index of its first message. The preset is the answer's entry of
 * `feedback_value` (one per answer, as Gradio's frontend reads it); the visitor's own flags are
 * kept in sessionStorage for the conversation.
 */
function welcome(opening: HTMLElement): void {
  const { config } = host;
  const bubbles = opening.querySelectorAll(".msg");
  const preset = own(own(config.raw, "chatbot"), "feedback_value");
  const key = host.store + ":welcome:" + host.current();
  let saved: unknown = null;
  try {
    saved = parseJson(sessionStorage.getItem(key) || "{}");
  } catch {
    // storage refused or corrupt: the presets show
  }
  const flags: Record<string, Json> = Object.assign(Object.create(null), saved);
  const bot = (i: number): boolean => !!bubbles[i] && bubbles[i].classList.contains("bot");
  let start = 0;
  let answer = -1;
  for (let i = 0; i < bubbles.length; i++) {
    if (!bot(i)) continue;
    if (!bot(i - 1)) {
      start = i;
      answer++;
    }
    if (bot(i + 1) || (bubbles[i] as Element).querySelector(".actions")) continue;
    const at = String(start);
    const given = Array.isArray(preset) ? preset[answer] : null;
    const mine = flags[at];
    const row = el("div", { class: "actions" });
    const context = {
      flag: typeof mine === "string" ? mine : typeof given === "string" ? given : "",
      flagged(flag: string) {
        flags[at] = flag;
        try {
          sessionStorage.setItem(key, encodeJson(flags));
        } catch {
          // kept on this page only
        }
      },
      get conversationId() {
        return host.current();
      },
      store: host.store,
      post: host.post,
      page: host.page,
    };
    feedback(context, config.flagging || [], "", row, false, start);
    (bubbles[i] as Element).append(row);
  }
}

const exports: Extras = {
  css,
  answer,
  history: (given) => history((host = given)),
  restore: (turns) => fill(host, turns, true),
  resizable,
  welcome,
};
handOver(EXTRAS_KEY, exports);
