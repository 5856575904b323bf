// The protocol between widget.js and the code that loads it (the npm package `chatbubble-widget`):
// the one place its number lives. Raise it when `Mount` (page-config.ts), the AppView the mount
// resolves to, or the data attributes change incompatibly; the package refuses any other number.
export const PROTOCOL = 1;
