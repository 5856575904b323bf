// The message list (role="log"): the intro (placeholder and examples) before the first
// message, visitor bubbles, answer bubbles, and autoscroll that follows the stream unless the
// visitor has scrolled up (or the chatbot's `autoscroll` is off: then only the visitor's own
// message is brought into view). Finished answers are announced once through a separate polite live
// region, so screen readers do not read every streamed token.

import type { ChatbotOptions, ServerConfig } from "../config";
import { el, on } from "../dom";
import type { FilePart } from "../parts";
import type { Markdown } from "../render/types";
import { t } from "../translate";
import { Answer, type AnswerView, type Rich, type Stepper } from "./answer";

/** How close to the bottom (px) still counts as "at the bottom". */
const STICKY_PX = 32;

export interface MessageListView {
  readonly el: HTMLDivElement;
  /** The visually hidden live region that announces finished answers. */
  readonly live: HTMLDivElement;
  /** Adds the visitor's message (its text and files) and an empty answer after it. */
  add(text: string, files: readonly FilePart[]): Added;
  /** Scrolls to the newest message and keeps following it. */
  scrollToEnd(): void;
  /** Keeps the end in view after the list grew, unless the visitor scrolled up. */
  follow(): void;
  /** Applies the server's config: name, direction, placeholder and examples. */
  configure(config: ServerConfig): void;
  /** Renders the placeholder again (markdown has arrived); the examples keep their focus. */
  redraw(): void;
  /** The notice (markdown) and privacy link at the top of every conversation; "" for none. */
  notice(source: string | undefined, privacy: string | null): void;
  /** Removes every message and shows the intro again. */
  reset(): void;
  announce(text: string): void;
}

/** One visitor message and its answer in the list. */
export interface Added {
  readonly answer: AnswerView;
  /** The visitor's bubble. */
  readonly user: HTMLElement;
  /** The row under the visitor's bubble for its actions (Copy, Edit); empty until filled. */
  readonly mine: HTMLElement;
  /** Takes both out of the list. */
  remove(): void;
}

const welcome = (): HTMLElement => el("p", { class: "welcome" }, [t("panel_welcome")]);

function avatar(src: string | null, who: string): HTMLElement | null {
  return src ? el("img", { class: "avatar " + who, src, alt: "", "aria-hidden": "true" }) : null;
}

export function MessageList(
  onExample: (index: number) => void,
  options: () => ChatbotOptions | null,
  rich: Rich,
  steps: Stepper,
  markdown: Markdown,
): MessageListView {
  const intro = el("div", { class: "intro" }, [welcome()]);
  /** The welcome messages (`Chatbot(value=...)`), always first, and their markdown sources. */
  const opening = el("div", { class: "opening" });
  let openings: [HTMLElement, string][] = [];
  /** The notice: its markdown source and the privacy link after it. */
  const note = el("div", { class: "ai-notice", part: "notice", role: "note", hidden: true });
  let notice: [HTMLElement, string] = [note, ""];
  const log = el(
    "div",
    {
      class: "log",
      part: "messages",
      role: "log",
      "aria-live": "off",
      "aria-label": t("panel_messages"),
      tabindex: "0",
    },
    [note, opening, intro],
  );
  const live = el("div", { class: "sr-only", role: "status", "aria-live": "polite" });
  let stick = true;
  let lastTop = 0;
  const placeholder = el("div", { class: "placeholder md" });
  let placeholderSource = "";

  /** The placeholder as markdown, or as plain text until markdown is here. */
  const draw = (box: HTMLElement, source: string): void => {
    const rendered = markdown(source);
    box.classList.toggle("plain", !rendered);
    box.replaceChildren(rendered || source);
  };
  const drawPlaceholder = (): void => draw(placeholder, placeholderSource);

  on(log, "scroll", () => {
    const distance = log.scrollHeight - log.scrollTop - log.clientHeight;
    if (distance <= STICKY_PX) stick = true;
    else if (log.scrollTop < lastTop) stick = false;
    lastTop = log.scrollTop;
  });

  const pin = (): void => {
    log.scrollTop = log.scrollHeight;
    lastTop = log.scrollTop;
  };

  const follow = (): void => {
    const chatbot = options();
    if (stick && (!chatbot || chatbot.autoscroll)) pin();
  };

  const scrollToEnd = (): void => {
    stick = true;
    pin();
  };

  /** Wraps a bubble with its avatar, when there is one. */
  const line = (bubble: HTMLElement, image: HTMLElement | null, who: string): HTMLElement =>
    image ? el("div", { class: "line " + who }, [image, bubble]) : bubble;

  return {
    el: log,
    live,
    add(text, files) {
      intro.remove();
      const chatbot = options();
      const [visitor, bot] = chatbot ? chatbot.avatars : [null, null];
      const answer = Answer(follow, options, rich, steps, markdown);
      const user = el("div", { class: "msg user" }, [text]);
      if (files.length) {
        const box = el("div", { class: "files" });
        const draw = (): void => {
          const view = rich(draw);
          if (view) box.replaceChildren(view.files(files));
        };
        draw();
        user.prepend(box);
      }
      const mine = el("div", { class: "actions mine" });
      const nodes = [
        line(user, avatar(visitor, "user"), "user"),
        mine,
        answer.slot,
        line(answer.el, avatar(bot, "bot"), "bot"),
      ];
      log.append(...nodes);
      scrollToEnd();
      return { answer, user, mine, remove: () => nodes.forEach((node) => node.remove()) };
    },
    scrollToEnd,
    follow,
    configure(config) {
      if (config.label) log.setAttribute("aria-label", config.label);
      const parts: Node[] = [];
      const [visitor, bot] = config.chatbot.avatars;
      opening.replaceChildren();
      openings = config.chatbot.welcome.map(([mine, source]) => {
        const box = el("div", { class: "md", dir: "auto" });
        const who = mine ? "user" : "bot";
        opening.append(
          line(el("div", { class: "msg " + who }, [box]), avatar(mine ? visitor : bot, who), who),
        );
        return [box, source];
      });
      openings.forEach(([box, source]) => draw(box, source));
      // With a welcome the chat is not empty: no placeholder, as in Gradio.
      placeholderSource = openings.length ? "" : config.placeholder || "";
      if (placeholderSource) {
        drawPlaceholder();
        parts.push(placeholder);
      } else if (!config.examples.length && !openings.length) {
        parts.push(welcome());
      }
      if (config.examples.length) {
        const buttons = config.examples.map((example, index) => {
          const button = el("button", { type: "button", class: "example" }, [
            example.label || example.text,
          ]);
          if (example.icon) button.prepend(el("img", { src: example.icon, alt: "" }));
          on(button, "click", () => onExample(index));
          return button;
        });
        parts.push(el("div", { class: "examples" }, buttons));
      }
      intro.replaceChildren(...parts);
    },
    notice(source = "", privacy) {
      const box = el("div", { class: "md" });
      notice = [box, source];
      note.hidden = !source && !privacy;
      note.setAttribute("aria-label", t("notice_label"));
      note.replaceChildren(box);
      if (privacy) {
        note.append(
          el("a", { href: privacy, target: "_blank", rel: "noopener noreferrer" }, [
            t("privacy_link"),
          ]),
        );
      }
      draw(box, source);
    },
    redraw() {
      draw(...notice);
      if (placeholderSource) drawPlaceholder();
      openings.forEach(([box, source]) => draw(box, source));
    },
    reset() {
      log.replaceChildren(note, opening, intro);
      live.textContent = "";
      scrollToEnd();
    },
    announce(text) {
      live.textContent = text;
    },
  };
}
