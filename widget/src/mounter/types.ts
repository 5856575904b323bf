// The contract between the core widget and the mounter chunk (widget/src/mounter/index.ts →
// backend/static/chunks/mounter.js): `chatbubble.mount(target, options)`, which adds another
// chat to the page as another run of widget.js. Loaded by index.ts on the first `mount` call
// (the target is checked before), once per page: what it does needs no widget of its own.

export const MOUNTER_KEY = "chatbubble.mounter";

export interface Mounter {
  readonly css: string;
  /**
   * Runs widget.js again (the script `tag` of the first widget: its `src` and `data-*`, then
   * `options` over them, as `data-<name>` attributes) into `element`, inline; resolves to that
   * chat's API once it is there.
   */
  mount(tag: HTMLScriptElement, element: Element, options: unknown): Promise<unknown>;
}
