// A React app as a team would write it: <ChatBubble> (inline, or ?mode=bubble) under StrictMode (whose dev build
// mounts, unmounts and mounts every effect again), shown and hidden by a button, with a new
// onAnswer callback each render (which must not remount the chat), and strings and
// context changed live (then a context without a key it had).
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { ChatBubble } from "chatbubble-widget/react";

const query = new URLSearchParams(location.search);
const server = query.get("server");
const mode = query.get("mode") || "inline";

function App() {
  const [shown, setShown] = useState(false);
  const [answers, setAnswers] = useState([]);
  const [strings, setStrings] = useState(undefined);
  const [context, setContext] = useState(undefined);
  // Counts this effect's runs: two show that StrictMode's development behaviour is on.
  useEffect(() => {
    window.__appEffects = (window.__appEffects || 0) + 1;
  }, []);
  return (
    <main>
      <h1>A React app</h1>
      <button id="toggle" onClick={() => setShown(!shown)}>
        {shown ? "Hide the chat" : "Show the chat"}
      </button>
      <button
        id="live"
        onClick={() => {
          setStrings({ composer_placeholder: "Ask the docs…" });
          setContext({ plan: "pro" });
        }}
      >
        Other words and context
      </button>
      <button id="topic" onClick={() => setContext({ topic: "billing" })}>
        Another context
      </button>
      {shown && (
        <ChatBubble
          server={server}
          mode={mode}
          className="chat"
          style={{ height: 560 }}
          strings={strings}
          context={context}
          onAnswer={(message) => setAnswers((all) => [...all, message.content])}
        />
      )}
      <ol id="answers">
        {answers.map((text, at) => (
          <li key={at}>{text}</li>
        ))}
      </ol>
    </main>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
