// A page's code using the npm package as a consumer would, compiled with `tsc --noEmit` against
// the built declarations by npm-types.test.mjs. The `@ts-expect-error` lines must stay errors:
// a loosened type (an index signature, `any`) makes them unused and the compile fails.

import {
  mount,
  PROTOCOL,
  type ChatHandle,
  type EventMap,
  type MountOptions,
} from "chatbubble-widget";

const options: MountOptions = {
  server: "https://bot.example.com",
  mode: "inline",
  target: "#chat",
  locale: "fr",
  userToken: "eyJ...",
  context: { plan: "pro" },
  strings: { composer_send: "Ask" },
  pageContext: false,
  consent: "May we keep this conversation?",
  zIndex: 10,
};
const chat: ChatHandle = mount(options);
const stop: () => void = chat.on("message", (detail: EventMap["message"]) => {
  const role: "user" | "assistant" = detail.role;
  console.log(role, detail.content.length);
});
chat.on("identify", ({ code }) => chat.identify(code));
chat.on("open", (nothing: undefined) => nothing);
chat.send("Hello");
chat.setContext({ page: 2 });
chat.setTheme({ primary: "#0e7490" });
chat.setTheme("dark");
chat.ready.then(
  () => chat.open(),
  (error: Error) => console.error(error.message),
);
const protocol: number = PROTOCOL;
stop();
chat.destroy();

// @ts-expect-error: a misspelled option
mount({ server: "https://bot.example.com", modes: "inline" });
// @ts-expect-error: the server is required
mount({ mode: "bubble" });
// @ts-expect-error: no such mode
mount({ server: "https://bot.example.com", mode: "sidebar" });
// @ts-expect-error: no such event
chat.on("answer", () => undefined);
// @ts-expect-error: send takes text
chat.send(42);

export { protocol };
