// What zod's `./from-json-schema.js` (`z.fromJSONSchema`) resolves to in the deploy bundle, through
// the [alias] in wrangler.toml: the API never builds a zod schema from a JSON Schema, yet zod's
// `z` namespace re-exports that converter, so it was bundled whole (12 KiB minified, 3 KiB gzip).

/** Not in the deploy bundle: the Worker has no use for it. */
export function fromJSONSchema(): never {
  throw new Error("z.fromJSONSchema is left out of the deploy bundle ([alias] in wrangler.toml)");
}
