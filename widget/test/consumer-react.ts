// A React app's code using `chatbubble-widget/react` as a consumer would (plain createElement,
// no JSX step), compiled with `tsc --noEmit` against the built declarations and React's types
// by npm-types.test.mjs. The `@ts-expect-error` lines must stay errors: a loosened prop
// type (an index signature, `any`) makes them unused and the compile fails.

import { createElement, useRef, type ReactElement } from "react";
import {
  ChatBubble,
  useChatBubble,
  type ChatBubbleProps,
  type ChatHandle,
} from "chatbubble-widget/react";

export function Inline(): ReactElement {
  const chat = useRef<ChatHandle>(null);
  return createElement(
    "section",
    null,
    createElement(ChatBubble, {
      ref: chat,
      server: "https://bot.example.com",
      mode: "inline",
      className: "chat",
      style: { height: 600 },
      userToken: "eyJ...",
      context: { plan: "pro" },
      strings: { composer_send: "Ask" },
      onAnswer: (message) => console.log(message.role, message.content.length),
      onError: ({ message, code }) => console.warn(code, message),
      onIdentify: () => undefined,
    }),
    createElement("button", { onClick: () => chat.current?.send("Hello") }, "Ask"),
  );
}

export function Hooked(): ReactElement {
  const [ref, chat] = useChatBubble({ server: "https://bot.example.com", mode: "inline" });
  const unsubscribe: (() => void) | undefined = chat?.on("open", () => undefined);
  return createElement("div", { ref, onClick: unsubscribe });
}

export const bubble: ChatBubbleProps = {
  server: "https://bot.example.com",
  position: "left",
  // @ts-expect-error: a misspelled option
  lokale: "fr",
};

// @ts-expect-error: a mode that does not exist
export const popup: ChatBubbleProps = { server: "https://bot.example.com", mode: "popup" };

export const misread = createElement(ChatBubble, {
  server: "https://bot.example.com",
  // @ts-expect-error: an answer has a role and a content, no text
  onAnswer: (message) => message.text,
});
