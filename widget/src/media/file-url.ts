// Where media may load from: only the backend's own file route. A part's `url` is used only
// when it is an http(s) URL on the backend origin whose path starts with /api/files/; anything
// else (another host, a data: or javascript: URL, a path elsewhere) is never put in the page.

export function fileUrl(value: string, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const web = url.protocol === "https:" || url.protocol === "http:";
  return web && url.origin === origin && url.pathname.indexOf("/api/files/") === 0
    ? url.href
    : null;
}

/** A byte count for people: "512 B", "48 KB", "1.2 MB". */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return bytes + " B";
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (value < 10 ? value.toFixed(1) : Math.round(value)) + " " + units[unit];
}
