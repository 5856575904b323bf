// Chatbot(resizable=True), in the extras chunk (loaded when the config asks for it): a grip
// the visitor drags to resize the chat panel.

import { el, on } from "../dom";
import { t } from "../translate";

/**
 * `Chatbot(resizable=True)`: a grip in the panel's top corner away from its anchor (bottom
 * right, or bottom left on the `left` side) that the visitor drags to resize it; once.
 */
export function resizable(panel: HTMLElement, left: boolean): void {
  if (panel.querySelector(".grip")) return;
  const grip = el("div", { class: left ? "grip right" : "grip", title: t("panel_resize") });
  on(grip, "pointerdown", (down) => {
    down.preventDefault();
    grip.setPointerCapture(down.pointerId);
    const box = panel.getBoundingClientRect();
    grip.onpointermove = (move) => {
      const dx = move.clientX - down.clientX;
      panel.style.width = box.width + (left ? dx : -dx) + "px";
      panel.style.height = box.height + down.clientY - move.clientY + "px";
    };
    grip.onpointerup = () => (grip.onpointermove = null);
  });
  panel.append(grip);
}
