// Fails when src/ crosses a module boundary (issue 16, ADR 0038): a deep import into a module
// from outside it (anything but its index.ts), or an import cycle, between two files or between
// two units (src/<top>/ and src/modules/<name>/). Part of `npm run check`.
import { fileURLToPath } from "node:url";
import { isMain } from "./lib/is-main.mjs";
import { boundaryViolations } from "./lib/module-boundaries.mjs";

if (isMain(import.meta.url)) {
  const root = fileURLToPath(new URL("../src", import.meta.url));
  const violations = boundaryViolations(root);
  if (violations.length > 0) {
    console.error(
      `Module boundaries crossed (ADR 0038):\n${violations.map((v) => `  ${v}`).join("\n")}`,
    );
    process.exit(1);
  }
}
