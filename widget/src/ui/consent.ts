// The consent gate (the `consent` setting, `data-consent`): while the visitor has not accepted,
// no answer is asked for (streaming.ts checks `consented` before every request of one), no file
// is uploaded and the blocks (whose `load` events call /api/event) are not set up (app.ts); the
// rest of the panel is hidden behind the question, which is the consent chunk's. The answer is kept in
// localStorage per backend origin and app (`:consent`: "1" accepted, "0" declined). The notice
// and the privacy link are drawn by the message list (messages.ts).

import { webUrl } from "../config";
import { CONSENT_KEY, type Consent } from "../consent/types";
import { guard, report } from "../dom";
import { own } from "../json";
import { close, prepare } from "./app";
import { chunk } from "./chunks";
import { composer, config, host, panel, widget } from "./state";

/**
 * The question asked: true (the chunk's translated one), its text, or "" for none; the script
 * tag's `data-consent` wins over the server's.
 */
function question(): string | true {
  const asked = host.page.consent ?? own(config && config.raw, "consent");
  return asked === true || (typeof asked == "string" ? asked : "");
}

/** Accepted on this page (also when storage refuses to keep it). */
let agreed = false;

const key = (): string => "chatbubble:" + widget.origin + ":" + config!.app + ":consent";

/** The site's privacy policy: `data-privacy-url`, else the server's `privacy_url`. */
export const privacy = (): string | null =>
  host.page.privacyUrl || webUrl(own(config && config.raw, "privacy_url"));

/** True once the config is here and no question is asked or the visitor accepted it. */
export function consented(): boolean {
  if (!config) return false;
  try {
    return agreed || !question() || localStorage.getItem(key()) == "1";
  } catch {
    return false; // storage refused: asked again on every page
  }
}

/** Shows the question while it is unanswered (the panel is open). */
export function ask(): void {
  if (!config || consented()) return;
  chunk<Consent>(CONSENT_KEY).then(
    guard((x: Consent) =>
      x.ask({
        panel: panel.el,
        question: question(),
        privacy: privacy(),
        key: key(),
        done(yes) {
          if ((agreed = yes)) {
            prepare();
            composer.focus();
          } else close(true);
        },
      }),
    ),
    report,
  );
}
