import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../../gateway/problem";
import { ETAG_HEADER, json, withEtag } from "../../../gateway/resource-responses";
import { createRouter } from "../../../gateway/router";
import { problemResponses } from "../../../gateway/schemas";
import { bootstrapAdmin } from "../application/change-user-role.handler";
import { requireBootstrapToken } from "./bootstrap-token.middleware";
import { usersDeps } from "./users.deps";
import { UserSchema } from "./users.schemas";

/** The OpenAPI security scheme of the bootstrap: the operator's secret, not a user's token. */
const BOOTSTRAP_AUTH = "adminBootstrapToken";

const BootstrapAdminSchema = z
  .strictObject({ email: z.string().max(1024).openapi({ example: "ops@example.com" }) })
  .openapi("BootstrapAdmin");

export const adminRoutes = createRouter().openapi(
  createRoute({
    method: "post",
    path: "/bootstrap",
    operationId: "bootstrapAdmin",
    tags: ["Admin"],
    summary:
      "Make an existing, active user an admin, with ADMIN_BOOTSTRAP_TOKEN (404 when it is not set)",
    security: [{ [BOOTSTRAP_AUTH]: [] }],
    middleware: requireBootstrapToken(),
    request: { body: { required: true, content: json(BootstrapAdminSchema) } },
    responses: {
      200: {
        description: "The user, now an admin",
        headers: ETAG_HEADER,
        content: json(UserSchema),
      },
      ...problemResponses(400, 401, 404, 409, 413, 415, 429, 500),
    },
  }),
  async (c) => {
    const { email } = c.req.valid("json");
    const { view } = unwrap(await bootstrapAdmin(usersDeps(c), email));
    return withEtag(c, view, 200);
  },
);

adminRoutes.openAPIRegistry.registerComponent("securitySchemes", BOOTSTRAP_AUTH, {
  type: "http",
  scheme: "bearer",
  description:
    "The operator's ADMIN_BOOTSTRAP_TOKEN secret (at least 32 bytes); `npm run admin:promote` sends it.",
});
