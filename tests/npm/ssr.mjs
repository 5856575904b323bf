// Server-side rendering of the React bindings, run by Node in a folder that has the package:
// imports `chatbubble-widget/react` (through the package's exports map) and renders
// <ChatBubble> to strings with react-dom/server while `window`, `document`, `navigator`,
// `localStorage`, `location` and `self` are getters that throw: a module touching one at import
// or during render fails the run (`touched` also lists any it caught). Prints the HTML as JSON.

const touched = [];
for (const name of ["window", "document", "navigator", "localStorage", "location", "self"]) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      touched.push(name);
      throw new Error(`server-side rendering touched ${name}`);
    },
  });
}

const { createElement, StrictMode } = await import("react");
const { renderToString } = await import("react-dom/server");
const { ChatBubble, useChatBubble } = await import("chatbubble-widget/react");

const server = "https://bot.example.com";
const render = (props) =>
  renderToString(createElement(StrictMode, null, createElement(ChatBubble, props)));
const out = {
  hook: typeof useChatBubble,
  inline: render({ server, mode: "inline", className: "chat", style: { height: 500 } }),
  bubble: render({ server, onAnswer: () => undefined }),
  fullscreen: render({ server, mode: "fullscreen", userToken: "t", context: { plan: "pro" } }),
  touched,
};
console.log(JSON.stringify(out));
