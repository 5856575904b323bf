// A page's code using `<chat-bubble>` (chatbubble-widget/element) as a consumer would, compiled
// with consumer.ts by npm-types.test.mjs against the built declarations: the element is typed
// through `document.querySelector`, its events through `addEventListener`.

import { ChatBubbleElement, define } from "chatbubble-widget/element";
import type { ChatHandle } from "chatbubble-widget";

const element: ChatBubbleElement | null = document.querySelector("chat-bubble");
if (element) {
  const handle: ChatHandle | null = element.handle;
  handle?.send("Hello");
  element.locale = "de";
  element.context = { plan: "pro" };
  element.userToken = null;
  element.addEventListener("chatbubble-message", (event) => {
    const role: "user" | "assistant" = event.detail.role;
    console.log(role, event.detail.content);
  });
  element.addEventListener("chatbubble-ready", (event) => event.detail.open());
  element.addEventListener("chatbubble-error", (event) => console.error(event.detail.code));
  // @ts-expect-error: a message's detail has no `text`
  element.addEventListener("chatbubble-message", (event) => event.detail.text);
  // @ts-expect-error: the handle is read-only
  element.handle = null;
  // @ts-expect-error: no such attribute property
  element.userTokn = "eyJ...";
}
const created: ChatBubbleElement = document.createElement("chat-bubble");
created.setAttribute("server", "https://bot.example.com");
const defined: CustomElementConstructor | undefined = define("help-chat");

export { defined };
