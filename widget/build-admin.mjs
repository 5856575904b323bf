// Builds the operator console's overview script (widget/admin/overview.ts with uPlot) into
// backend/static/admin/overview.js, and copies uPlot's stylesheet beside it. Served by /admin
// only (backend/http/admin/routes.py), never part of the widget or its chunks. Run by
// widget/build.mjs after the widget.

import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}backend/static/admin/`;

await mkdir(outdir, { recursive: true });
const built = await esbuild.build({
  entryPoints: [`${root}widget/admin/overview.ts`],
  outfile: `${outdir}overview.js`,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["chrome92", "firefox90", "safari15"],
  minify: true,
  charset: "ascii",
  legalComments: "eof",
  write: false,
  logLevel: "warning",
});
const code = built.outputFiles[0].contents;
await writeFile(`${outdir}overview.js`, code);
await copyFile(`${root}node_modules/uplot/dist/uPlot.min.css`, `${outdir}uPlot.min.css`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `admin overview.js   raw ${kb(code.length)}   gzip ${kb(gzipSync(code, { level: 9 }).length)} (console only)`,
);
