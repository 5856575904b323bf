// Bundles widget sources in memory with esbuild and imports them, for the Node unit tests.

import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const src = fileURLToPath(new URL("../src/", import.meta.url));

/** The exports of `contents` (export lines relative to widget/src), bundled and imported. */
export async function load(contents) {
  const built = await esbuild.build({
    stdin: { contents, resolveDir: src, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    loader: { ".css": "text" },
    define: { __DEV__: "true", __VERSION__: '"test"' },
    logLevel: "error",
  });
  const code = Buffer.from(built.outputFiles[0].contents).toString("base64");
  return import("data:text/javascript;base64," + code);
}
