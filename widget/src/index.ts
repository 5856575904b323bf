// Entry point: find the backend from our own <script src>, mount one shadow-rooted host element,
// and publish `window.chatbubble`. Nothing here may throw into the host page.

import { scriptSrc, widgetConfig } from "./config";
import { adoptStyles, report, whenBody } from "./dom";
import { bare } from "./json";
import { configureMarkdown } from "./markdown";
import css from "./styles.css";
import { App, type AppView } from "./ui/app";

/** The only global the widget defines. */
export interface ChatbubbleApi {
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
}

declare global {
  interface Window {
    chatbubble?: ChatbubbleApi;
  }
}

const HOST_TAG = "chatbubble-widget";

function alreadyLoaded(): boolean {
  const existing: unknown = window.chatbubble;
  return (
    typeof existing === "object" &&
    existing !== null &&
    Object.prototype.hasOwnProperty.call(existing, "version")
  );
}

function mount(app: AppView): void {
  if (document.querySelector(HOST_TAG)) return;
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow(bare<ShadowRootInit>({ mode: "open", delegatesFocus: false }));
  adoptStyles(shadow, css);
  shadow.append(app.el);
  document.body.append(host);
}

function boot(): void {
  const src = scriptSrc(); // must run synchronously: currentScript is gone after the first await
  if (alreadyLoaded()) return;
  const widget = widgetConfig(src);
  if (!widget) {
    report("cannot tell where the chat server is: load widget.js from an http(s) <script src>");
    return;
  }
  configureMarkdown(widget.baseUrl, widget.origin);
  let app: AppView | null = null;
  const later = (action: (view: AppView) => void) => () => {
    try {
      if (app) action(app);
    } catch (error) {
      report(error);
    }
  };
  const api: ChatbubbleApi = Object.freeze({
    version: __VERSION__,
    open: later((view) => view.open()),
    close: later((view) => view.close()),
    toggle: later((view) => view.toggle()),
  });
  window.chatbubble = api;
  whenBody(() => {
    app = App(widget);
    mount(app);
  });
}

try {
  boot();
} catch (error) {
  report(error);
}
