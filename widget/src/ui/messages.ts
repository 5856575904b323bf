// The message list (role="log"): visitor bubbles, answer bubbles, and autoscroll that follows
// the stream unless the visitor has scrolled up.

import { el, on } from "../dom";
import { Answer, type AnswerView } from "./answer";

/** How close to the bottom (px) still counts as "at the bottom". */
const STICKY_PX = 32;

export interface MessageListView {
  readonly el: HTMLDivElement;
  /** Adds the visitor's message and an empty answer after it. */
  add(text: string): AnswerView;
  /** Scrolls to the newest message and keeps following it. */
  scrollToEnd(): void;
}

export function MessageList(): MessageListView {
  const welcome = el("p", { class: "welcome" }, ["Send a message to start the chat."]);
  const log = el(
    "div",
    { class: "log", role: "log", "aria-live": "polite", "aria-label": "Messages" },
    [welcome],
  );
  let stick = true;
  let lastTop = 0;

  on(log, "scroll", () => {
    const distance = log.scrollHeight - log.scrollTop - log.clientHeight;
    if (distance <= STICKY_PX) stick = true;
    else if (log.scrollTop < lastTop) stick = false;
    lastTop = log.scrollTop;
  });

  const follow = (): void => {
    if (!stick) return;
    log.scrollTop = log.scrollHeight;
    lastTop = log.scrollTop;
  };

  const scrollToEnd = (): void => {
    stick = true;
    follow();
  };

  return {
    el: log,
    add(text) {
      welcome.remove();
      const answer = Answer(follow);
      log.append(el("div", { class: "msg user" }, [text]), answer.el);
      scrollToEnd();
      return answer;
    },
    scrollToEnd,
  };
}
