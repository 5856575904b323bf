// A React app as a team would write it: <ChatBubble> inline under StrictMode (whose dev build
// mounts, unmounts and mounts every effect again), shown and hidden by a button, with a new
// onAnswer callback each render (which must not remount the chat).
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { ChatBubble } from "chatbubble-widget/react";

const server = new URLSearchParams(location.search).get("server");

function App() {
  const [shown, setShown] = useState(false);
  const [answers, setAnswers] = useState([]);
  return (
    <main>
      <h1>A React app</h1>
      <button id="toggle" onClick={() => setShown(!shown)}>
        {shown ? "Hide the chat" : "Show the chat"}
      </button>
      {shown && (
        <ChatBubble
          server={server}
          mode="inline"
          className="chat"
          style={{ height: 560 }}
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
