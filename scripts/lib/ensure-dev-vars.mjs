import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readDevVar, withDevSecrets } from "./dev-vars.mjs";
import { randomSecret } from "./random-secret.mjs";

/**
 * Makes sure the project's .dev.vars exists with the secrets a local run needs, and returns its
 * text. A first run has none: it is made from the example. Random secrets are filled in (a
 * first run's JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY, or one an older .dev.vars
 * lacks), so that `npm install && npm run dev` gives a working login and
 * `npm run admin:promote` at once. `npm run dev` and `npm run dev:services` both start here.
 */
export function ensureDevVars() {
  const example = readFileSync(".dev.vars.example", "utf8");
  const existing = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : undefined;
  const { text, added } = withDevSecrets(existing ?? example, {
    placeholder: readDevVar(example, "JWT_SECRET"),
    generate: randomSecret,
  });
  if (existing === undefined || added.length > 0) {
    writeFileSync(".dev.vars", text);
    const what = added.length > 0 ? ` with a random ${added.join(" and ")}` : "";
    console.log(`${existing === undefined ? "Created" : "Updated"} .dev.vars${what}.`);
  }
  return text;
}
