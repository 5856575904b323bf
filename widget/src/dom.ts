// The element helper and the one place event handlers are guarded.
//
// Attributes are walked with `Object.keys` (never `for..in`), so enumerable junk on a polluted
// `Object.prototype` never becomes an attribute. No helper here writes HTML or a `style`
// attribute: a strict host CSP blocks the latter, and HTML comes only from markdown.ts.

export type Attrs = Readonly<Record<string, string | boolean | undefined>>;
export type Child = Node | string;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: readonly Child[],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs) setAttrs(node, attrs);
  if (children) for (let i = 0; i < children.length; i++) node.append(children[i] as Child);
  return node;
}

export function setAttrs(node: Element, attrs: Attrs): void {
  const keys = Object.keys(attrs);
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i] as string;
    const value = attrs[name];
    if (__DEV__ && name === "style") console.warn("chatbubble: style attributes break under CSP");
    if (value === true) node.setAttribute(name, "");
    else if (typeof value === "string") node.setAttribute(name, value);
    else node.removeAttribute(name);
  }
}

/** Reports an error from the widget without ever throwing into the host page. */
export function report(error: unknown): void {
  try {
    console.warn("chatbubble:", error);
  } catch {
    // a page that broke console.warn gets silence
  }
}

/** Wraps a callback so an exception inside it is reported instead of escaping. */
export function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      report(error);
    }
  };
}

export function on<K extends keyof HTMLElementEventMap>(
  target: HTMLElement,
  type: K,
  handler: (event: HTMLElementEventMap[K]) => void,
): void {
  target.addEventListener(type, guard(handler) as EventListener);
}

/** Runs `fn` once `document.body` exists. */
export function whenBody(fn: () => void): void {
  if (document.body) {
    fn();
    return;
  }
  const ready = guard(() => {
    if (!document.body) return;
    document.removeEventListener("readystatechange", ready);
    document.removeEventListener("DOMContentLoaded", ready);
    fn();
  });
  document.addEventListener("readystatechange", ready);
  document.addEventListener("DOMContentLoaded", ready);
}

/**
 * Applies the stylesheet to a shadow root as a constructable stylesheet, which a strict
 * `style-src` CSP allows. Browsers without them (Safari before 16.4) get `<style>` elements.
 * Returns a setter for the extra sheets that follow it (theme and layout, the operator's CSS).
 */
export function adoptStyles(root: ShadowRoot, css: string): (extra: readonly string[]) => void {
  const constructable =
    "adoptedStyleSheets" in root && typeof CSSStyleSheet.prototype.replaceSync === "function";
  const sheets: (CSSStyleSheet | HTMLStyleElement)[] = [];
  const set = (extra: readonly string[]): void => {
    const texts = [css, ...extra];
    for (let i = 0; i < texts.length; i++) {
      let sheet = sheets[i];
      if (!sheet) {
        sheet = constructable ? new CSSStyleSheet() : document.createElement("style");
        sheets.push(sheet);
        if (!constructable) root.prepend(...(sheets as HTMLStyleElement[]));
      }
      if (sheet instanceof CSSStyleSheet) sheet.replaceSync(texts[i] as string);
      else sheet.textContent = texts[i] as string;
    }
    if (constructable) root.adoptedStyleSheets = sheets as CSSStyleSheet[];
  };
  set([]);
  return set;
}
