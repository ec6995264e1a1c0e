import { createRoute, z } from "@hono/zod-openapi";
import { primaryReads } from "../../../gateway/middleware/primary-reads.middleware";
import { HttpProblem, noResourceAt, unwrap } from "../../../gateway/problem";
import { ETAG_HEADER, json, withEtag } from "../../../gateway/resource-responses";
import { createRouter } from "../../../gateway/router";
import { BODY_STATUSES, GATEWAY_STATUSES, problemResponses } from "../../../gateway/schemas";
import { bootstrapAdmin } from "../application/change-user-role.handler";
import { bootstrapClosed } from "../domain/user.errors";
import { requireBootstrapToken, requireOpenBootstrap } from "./bootstrap-token.middleware";
import { requirePersonalDataKeys } from "./personal-data-keys";
import { usersDeps } from "./users.deps";
import { UserSchema } from "./users.schemas";

const BOOTSTRAP_CLOSED = bootstrapClosed().code;

/** The OpenAPI security scheme of the bootstrap: the operator's secret, not a user's token. */
const BOOTSTRAP_AUTH = "adminBootstrapToken";

const BootstrapAdminSchema = z.lazy(() =>
  z
    .strictObject({ email: z.string().max(1024).openapi({ example: "ops@example.com" }) })
    .openapi("BootstrapAdmin"),
);

export function buildAdminRoutes() {
  const adminRoutes = createRouter();

  // Every method: a GET to a switched-off bootstrap is a 404 too, not a 405 naming POST.
  adminRoutes.use("/bootstrap", primaryReads(), requireOpenBootstrap());

  adminRoutes.openapi(
    createRoute({
      method: "post",
      path: "/bootstrap",
      operationId: "bootstrapAdmin",
      tags: ["Admin"],
      summary:
        "Make the first admin with ADMIN_BOOTSTRAP_TOKEN (404 when it is not set or an admin exists)",
      security: [{ [BOOTSTRAP_AUTH]: [] }],
      middleware: requireBootstrapToken(),
      request: { body: { required: true, content: json(BootstrapAdminSchema) } },
      responses: {
        200: {
          description: "The user, now an admin",
          headers: ETAG_HEADER,
          content: json(UserSchema),
        },
        ...problemResponses(400, 401, 404, 409, 429, ...BODY_STATUSES, ...GATEWAY_STATUSES),
      },
    }),
    async (c) => {
      const { email } = c.req.valid("json");
      await requirePersonalDataKeys(c);
      const promoted = await bootstrapAdmin(usersDeps(c), email);
      // Another bootstrap made the first admin since requireOpenBootstrap looked: closed.
      if (!promoted.ok && promoted.error.code === BOOTSTRAP_CLOSED) {
        throw new HttpProblem(noResourceAt(c.req.path));
      }
      const { view } = unwrap(promoted);
      return withEtag(c, view, 200);
    },
  );

  adminRoutes.openAPIRegistry.registerComponent("securitySchemes", BOOTSTRAP_AUTH, {
    type: "http",
    scheme: "bearer",
    description:
      "The operator's ADMIN_BOOTSTRAP_TOKEN secret (at least 32 bytes); `npm run admin:promote` sends it.",
  });
  return adminRoutes;
}
