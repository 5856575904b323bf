// The generated stylesheet: the theme's palette (light, dark, or both behind a media query) and
// the layout the page and server ask for. Values are validated before they get here; each one
// is a fallback behind the page's own `--chatbubble-*` property, so the page still wins.

import { PALETTE_KEYS, type ChatbotOptions, type Palette, type PaletteKey } from "./config";
import type { PageConfig, ThemeMode } from "./page-config";

/** Used in dark mode when the server sends no dark palette. */
export const DEFAULT_DARK: Palette = {
  primary: "#a5b4fc",
  on_primary: "#111827",
  background: "#111827",
  surface: "#1f2937",
  text: "#f3f4f6",
  muted: "#a1a9b8",
  border: "#374151",
  danger: "#fca5a5",
};

function declarations(colors: Palette, dark: boolean): string {
  let out = dark ? "color-scheme:dark;" : "";
  for (let i = 0; i < PALETTE_KEYS.length; i++) {
    const key = PALETTE_KEYS[i] as PaletteKey;
    const value = colors[key];
    const name = key.replace("_", "-");
    if (value) out += `--${name}:var(--chatbubble-${name},${value});`;
  }
  return `.root{${out}}`;
}

/** The palette rules for `mode`; `overrides` (the page's) win over the server's palettes. */
export function themeCss(
  light: Palette,
  dark: Palette,
  overrides: Palette,
  mode: ThemeMode,
): string {
  // Palettes hold only own, validated entries (see config.ts `palette`).
  const day = declarations({ ...light, ...overrides }, false);
  const night = declarations({ ...DEFAULT_DARK, ...dark, ...overrides }, true);
  if (mode === "light") return day;
  if (mode === "dark") return night;
  return `${day}@media (prefers-color-scheme:dark){${night}}`;
}

/**
 * The launcher's and the panel's `side` (data-position, else the direction's inline end: see
 * shell/shell.ts) with the page's offsets and stacking; panel height from the server (desktop only).
 */
export function layoutCss(
  page: PageConfig,
  chatbot: ChatbotOptions | null,
  side: "left" | "right",
): string {
  const other = side === "left" ? "right" : "left";
  const x = `${side}:${page.offsetX}px;${other}:auto;`;
  const above = `bottom:${page.offsetY + 68}px;`;
  let css = `.launcher{${x}bottom:${page.offsetY}px}.greeting{${x}${above}}`;
  let desktop = `.panel{${x}${above}transform-origin:bottom ${side};`;
  if (chatbot) {
    if (chatbot.height) desktop += `height:${chatbot.height};`;
    if (chatbot.minHeight) desktop += `min-height:${chatbot.minHeight};`;
    if (chatbot.maxHeight) desktop += `max-height:min(${chatbot.maxHeight},calc(100vh - 108px));`;
  }
  css += `@media (min-width:640px){${desktop}}}`;
  if (page.zIndex !== null)
    css += `:host{z-index:var(--chatbubble-z-index,${page.zIndex})!important}`;
  return css;
}
