// The package's declarations as a consumer sees them: widget/build-npm.mjs builds the package
// into a scratch directory, installed there as node_modules/chatbubble-widget beside the
// workspace's React types (linked); `tsc --noEmit` (strict) compiles consumer.ts,
// consumer-element.ts and consumer-react.ts against it, whose `@ts-expect-error` lines check
// that a misspelled option, event or prop does not compile. Run with `node --test widget/test/`.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

const CONSUMERS = ["consumer.ts", "consumer-element.ts", "consumer-react.ts"];

test("consumers compile against the built declarations, a misspelling does not", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chatbubble-consumer-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = join(dir, "node_modules", "chatbubble-widget");
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(join(root, "node_modules/@types/react"), join(dir, "node_modules/@types/react"));
  execFileSync("node", [join(root, "widget/build-npm.mjs"), pkg], { stdio: "pipe" });
  for (const file of CONSUMERS) copyFileSync(join(root, "widget/test", file), join(dir, file));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2020",
        module: "esnext",
        moduleResolution: "bundler",
        lib: ["dom", "es2020"],
        types: [],
        strict: true,
        noEmit: true,
        noUnusedLocals: true,
      },
      files: CONSUMERS,
    }),
  );
  const tsc = join(root, "node_modules/.bin/tsc");
  let output = "";
  try {
    execFileSync(tsc, ["-p", join(dir, "tsconfig.json")], { stdio: "pipe", cwd: dir });
  } catch (error) {
    output = String(error.stdout) + String(error.stderr);
  }
  assert.equal(output, "", "tsc reports errors");
});
