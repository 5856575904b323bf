// The app's rules for attached files (`multimodal` in /api/config), checked before uploading so
// the visitor hears about a refusal at once; the server checks them again.

import type { Multimodal } from "../config";
import { humanSize } from "../media/file-url";
import { t } from "../translate";

const GROUPS = ["image", "audio", "video", "text"];

/** True when `file` is one of `types` (null: any file). */
export function allowed(file: File, types: readonly string[] | null): boolean {
  if (!types) return true;
  const name = file.name.toLowerCase();
  const mime = file.type.toLowerCase();
  for (let i = 0; i < types.length; i++) {
    const type = (types[i] as string).toLowerCase();
    if (type === "file") return true;
    if (GROUPS.indexOf(type) >= 0 ? mime.indexOf(type + "/") === 0 : name.endsWith(type)) {
      return true;
    }
  }
  return false;
}

/** Why `file` cannot be attached, or null when it can. With the microphone on, audio (a
 * recording) is accepted whatever `fileTypes` say, as on the server. */
export function refusal(file: File, options: Multimodal): string | null {
  const recording =
    options.sources.indexOf("microphone") >= 0 && file.type.toLowerCase().indexOf("audio/") === 0;
  if (!recording && !allowed(file, options.fileTypes)) {
    return t("upload_wrong_type", { name: file.name });
  }
  if (file.size > options.maxFileSize) {
    return t("upload_too_large", { name: file.name, size: humanSize(options.maxFileSize) });
  }
  if (!file.size) return t("upload_empty", { name: file.name });
  return null;
}
