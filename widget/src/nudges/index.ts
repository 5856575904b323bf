// The nudges chunk: the greeting beside the closed launcher (greeting.ts) and the unread badge
// on it (badge.ts). It defines no global: its exports go to a one-shot setter on
// `window.chatbubble`.

import { handOver } from "../handover";
import { clearBadge, startBadge, unread } from "./badge";
import { greet, seenGreeting } from "./greeting";
import css from "./nudges.css";
import { NUDGES_KEY, type Nudges, type NudgesHost } from "./types";

function start(host: NudgesHost): void {
  startBadge(host);
  greet(host);
  host.events.on("open", () => {
    clearBadge();
    seenGreeting();
  });
}

handOver(NUDGES_KEY, { css, start, unread } satisfies Nudges);
