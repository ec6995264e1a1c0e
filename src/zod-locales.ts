// What zod's locales barrel (`../locales/index.js` inside zod) resolves to in the deploy bundle,
// through the [alias] in wrangler.toml: English only, the one locale zod registers and we use.
// The other 62 weighed 38 KiB gzip (ADR 0017).
export { default as en } from "zod/v4/locales/en.js";
