// What `@asteasolutions/zod-to-openapi` resolves to in the deploy bundle ([alias] in
// wrangler.toml) and in the workerd tests (vitest.config.ts): the OpenAPI document is built from
// the routes at build time, in Node, with the real generator (scripts/lib/api-document.mjs), and
// the Worker serves that file. At run time @hono/zod-openapi needs the generator's names, not its
// work: `.openapi()` metadata and registered routes are read by the document builder only, and
// request validation is zod's own. This keeps the generator (31 KiB) out of the bundle and its
// per-schema metadata copies out of start-up (ADR 0029).

/** `.openapi()` on every zod schema: the schema itself, since only the document reads metadata. */
export function extendZodWithOpenApi(zod: { ZodType: { prototype: object } }): void {
  const prototype = zod.ZodType.prototype as { openapi?: unknown };
  prototype.openapi ??= function openapi(this: unknown) {
    return this;
  };
}

/** Records nothing: routes and components matter to the document only. */
export class OpenAPIRegistry {
  readonly definitions: never[] = [];
  register<T>(_refId: string, schema: T): T {
    return schema;
  }
  registerParameter<T>(_refId: string, schema: T): T {
    return schema;
  }
  registerPath(): void {}
  registerWebhook(): void {}
  registerComponent(type: string, name: string, component: unknown) {
    return { name, ref: { $ref: `#/components/${type}/${name}` }, component };
  }
}

/** The generators: never at run time, where the document is a built file. */
class BuiltAtBuildTime {
  constructor() {
    throw new Error("The OpenAPI document is built at build time (npm run openapi), not here.");
  }
}

export const OpenApiGeneratorV3 = BuiltAtBuildTime;
export const OpenApiGeneratorV31 = BuiltAtBuildTime;

/** No metadata is kept at run time. */
export const getOpenApiMetadata = () => ({});
