import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { D1Session } from "../../../db/d1-session";
import type { AppEnv } from "../../../gateway/app-env";
import { adminOnly, authenticated, principalOf } from "../../../gateway/authentication";
import { enforceRateLimit, rateLimit } from "../../../gateway/middleware/rate-limit.middleware";
import { unwrap } from "../../../gateway/problem";
import {
  ETAG_HEADER,
  eventList,
  eventsRoute,
  expectedVersions,
  json,
  noContentWithEtag,
  notModified,
  pageRequest,
  withEtag,
} from "../../../gateway/resource-responses";
import { createRouter } from "../../../gateway/router";
import {
  BODY_STATUSES,
  GATEWAY_STATUSES,
  IdParamSchema,
  IfMatchHeaderSchema,
  IfNoneMatchHeaderSchema,
  PageQuerySchema,
  problemResponses,
} from "../../../gateway/schemas";
import { changePassword } from "../application/change-password.handler";
import { changeUserDetails } from "../application/change-user-details.handler";
import { changeUserRole } from "../application/change-user-role.handler";
import { deactivateUser } from "../application/deactivate-user.handler";
import { eraseUser } from "../application/erase-user.handler";
import { exportUser } from "../application/export-user.query";
import { getUser, getUserEvents } from "../application/get-user.query";
import { listUsers } from "../application/list-users.query";
import { registerUser } from "../application/register-user.handler";
import { isAdmin } from "../domain/access-policy";
import { parseEmail } from "../domain/email.value-object";
import { parseUserId, type UserId } from "../domain/user-id.value-object";
import { userRepository } from "../infrastructure/d1-user.repository";
import { requireRecentLoginFor, requireSelfOrAdmin } from "./authentication";
import { requirePersonalDataKeys } from "./personal-data-keys";
import { usersDeps } from "./users.deps";
import {
  ChangePasswordSchema,
  ChangeRoleSchema,
  PatchUserSchema,
  RegisterUserSchema,
  ReplaceUserSchema,
  UserExportSchema,
  UserListSchema,
  UserSchema,
  UserStatusFilterSchema,
} from "./users.schemas";

const tags = ["Users"];

/** The path's user id, once the caller is known to be that user or an admin. */
function targetUser(c: Context<AppEnv>, rawId: string): UserId {
  const id = unwrap(parseUserId(rawId));
  requireSelfOrAdmin(c, id);
  return id;
}

/**
 * Whether the caller is changing their own email to another one: only then is the attempt
 * counted, and on one's own account only then is a recent login asked. (The caller's current
 * email is the one authentication has just read.)
 */
function changesOwnEmail(c: Context<AppEnv>, id: UserId, email: string | undefined): boolean {
  if (email === undefined) return false;
  const caller = principalOf(c);
  const next = parseEmail(email);
  return caller.id === id && next.ok && next.value !== caller.email;
}

/** PUT and PATCH differ only in which fields the body must hold. */
async function changeDetails(
  c: Context<AppEnv>,
  rawId: string,
  fields: { email?: string; name?: string },
) {
  const id = targetUser(c, rawId);
  const ownEmail = changesOwnEmail(c, id, fields.email);
  requireRecentLoginFor(c, id, ownEmail ? "email" : "details");
  await requirePersonalDataKeys(c);
  // Each attempt tells whether an address is taken (409): limit them per caller. Admins can
  // list every user's email anyway, so limiting theirs would protect nothing.
  if (ownEmail && !isAdmin(principalOf(c))) {
    await enforceRateLimit(c.env.EMAIL_CHANGE_RATE_LIMITER, id, "email change");
  }
  const { view } = unwrap(
    await changeUserDetails(userRepository(c.env, c.var.d1), {
      id,
      ...fields,
      expectedVersions: expectedVersions(c),
    }),
  );
  return withEtag(c, view, 200);
}

const writeRoute = (
  method: "put" | "patch",
  schema: typeof ReplaceUserSchema | typeof PatchUserSchema,
) =>
  createRoute({
    method,
    path: "/{id}",
    operationId: method === "put" ? "replaceUser" : "updateUser",
    tags,
    summary:
      method === "put"
        ? "Replace a user's email and name; a new own email, or an admin's write, needs a recent login"
        : "Change a user's email or name; a new own email, or an admin's write, needs a recent login",
    ...authenticated,
    request: {
      params: IdParamSchema(),
      headers: IfMatchHeaderSchema(),
      body: { required: true, content: json(schema) },
    },
    responses: {
      200: {
        description: "The user after the change",
        headers: ETAG_HEADER,
        content: json(UserSchema),
      },
      ...problemResponses(400, 401, 403, 404, 409, 412, 429, ...BODY_STATUSES, ...GATEWAY_STATUSES),
    },
  });

/**
 * A customer's orders, as their own reads show them, read in the request's D1 session: a port,
 * since the orders module depends on this one (who the caller is) and the entry file wires the
 * two (ADR 0038).
 */
export type CustomerOrders = (env: Env, d1: D1Session, customerId: string) => Promise<unknown[]>;

export const buildUsersRoutes = (customerOrders: CustomerOrders) =>
  createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        operationId: "registerUser",
        tags,
        summary: "Register a user (public; rate limited per address)",
        security: [],
        middleware: rateLimit((env) => env.REGISTRATION_RATE_LIMITER, "registration", {
          perNetwork: (env) => env.REGISTRATION_NETWORK_RATE_LIMITER,
        }),
        request: { body: { required: true, content: json(RegisterUserSchema) } },
        responses: {
          201: {
            description: "Registered",
            headers: { ...ETAG_HEADER, Location: { schema: { type: "string" } } },
            content: json(UserSchema),
          },
          ...problemResponses(400, 409, 429, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        await requirePersonalDataKeys(c);
        const { view } = unwrap(await registerUser(usersDeps(c), c.req.valid("json")));
        c.header("Location", `/api/users/${view.id}`);
        return withEtag(c, view, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/me",
        operationId: "getCurrentUser",
        tags,
        summary: "The caller's own user",
        ...authenticated,
        responses: {
          200: { description: "The caller", headers: ETAG_HEADER, content: json(UserSchema) },
          // 400: an x-d1-bookmark that is not one (ADR 0035).
          ...problemResponses(400, 401, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const user = unwrap(
          await getUser(userRepository(c.env, c.var.d1), principalOf(c).id as UserId),
        );
        return withEtag(c, user, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        operationId: "listUsers",
        tags,
        summary: "List users, oldest first (admin)",
        ...adminOnly,
        request: { query: PageQuerySchema().extend(UserStatusFilterSchema().shape) },
        responses: {
          200: { description: "A page of users", content: json(UserListSchema) },
          ...problemResponses(400, 401, 403, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const { status, ...page } = c.req.valid("query");
        const users = unwrap(
          await listUsers(userRepository(c.env, c.var.d1), {
            ...pageRequest(page),
            ...(status === undefined ? {} : { status }),
          }),
        );
        return c.json(users, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}",
        operationId: "getUser",
        tags,
        summary: "Read a user (that user or an admin)",
        ...authenticated,
        request: { params: IdParamSchema(), headers: IfNoneMatchHeaderSchema() },
        responses: {
          200: { description: "The user", headers: ETAG_HEADER, content: json(UserSchema) },
          304: { description: "Not modified since the given ETag" },
          ...problemResponses(400, 401, 403, 404, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = targetUser(c, c.req.valid("param").id);
        const user = unwrap(await getUser(userRepository(c.env, c.var.d1), id));
        return notModified(c, user.version) ?? withEtag(c, user, 200);
      },
    )
    .openapi(writeRoute("put", ReplaceUserSchema), (c) =>
      changeDetails(c, c.req.valid("param").id, c.req.valid("json")),
    )
    .openapi(writeRoute("patch", PatchUserSchema), (c) =>
      changeDetails(c, c.req.valid("param").id, c.req.valid("json")),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{id}",
        operationId: "deactivateUser",
        tags,
        summary:
          "Deactivate a user (that user or an admin, with a login in the last 5 minutes; idempotent)",
        ...authenticated,
        request: { params: IdParamSchema(), headers: IfMatchHeaderSchema() },
        responses: {
          204: { description: "Deactivated", headers: ETAG_HEADER },
          ...problemResponses(400, 401, 403, 404, 409, 412, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = targetUser(c, c.req.valid("param").id);
        requireRecentLoginFor(c, id, "deactivation");
        await requirePersonalDataKeys(c);
        const expected = expectedVersions(c);
        const { version } = unwrap(await deactivateUser(usersDeps(c), id, expected));
        return noContentWithEtag(c, version);
      },
    )
    .openapi(
      eventsRoute({
        operationId: "listUserEvents",
        tags,
        summary: "A user's events, oldest first (that user or an admin)",
        access: authenticated,
      }),
      async (c) => {
        const id = targetUser(c, c.req.valid("param").id);
        await requirePersonalDataKeys(c);
        const page = await getUserEvents(
          userRepository(c.env, c.var.d1),
          id,
          pageRequest(c.req.valid("query")),
        );
        return eventList(c, unwrap(page));
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/password",
        operationId: "changePassword",
        tags,
        summary:
          "Change a password (that user, or an admin with a recent login); ends every session of the user",
        ...authenticated,
        request: {
          params: IdParamSchema(),
          body: { required: true, content: json(ChangePasswordSchema) },
        },
        responses: {
          204: { description: "Changed; every refresh token of the user is revoked" },
          ...problemResponses(400, 401, 403, 404, 409, 429, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = targetUser(c, c.req.valid("param").id);
        requireRecentLoginFor(c, id, "password");
        // Checking the current password is a login in disguise: limit guesses per account.
        await enforceRateLimit(c.env.ACCOUNT_RATE_LIMITER, `password:${id}`, "password change");
        await requirePersonalDataKeys(c);
        unwrap(await changePassword(usersDeps(c), { id, ...c.req.valid("json") }));
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/{id}/role",
        operationId: "setUserRole",
        tags,
        summary:
          "Set a user's role (an admin with a recent login); the last active admin cannot be demoted (409)",
        ...adminOnly,
        request: {
          params: IdParamSchema(),
          headers: IfMatchHeaderSchema(),
          body: { required: true, content: json(ChangeRoleSchema) },
        },
        responses: {
          200: { description: "The user", headers: ETAG_HEADER, content: json(UserSchema) },
          ...problemResponses(400, 401, 403, 404, 409, 412, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = unwrap(parseUserId(c.req.valid("param").id));
        requireRecentLoginFor(c, id, "role");
        await requirePersonalDataKeys(c);
        const { view } = unwrap(
          await changeUserRole(usersDeps(c), {
            id,
            role: c.req.valid("json").role,
            source: "admin",
            expectedVersions: expectedVersions(c),
          }),
        );
        return withEtag(c, view, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}/export",
        operationId: "exportUser",
        tags,
        summary: "Export a user's data: profile, sessions, orders, events (that user or an admin)",
        ...authenticated,
        request: { params: IdParamSchema() },
        responses: {
          200: { description: "The export", content: json(UserExportSchema) },
          ...problemResponses(400, 401, 403, 404, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = targetUser(c, c.req.valid("param").id);
        await requirePersonalDataKeys(c);
        const deps = usersDeps(c);
        const exported = await exportUser(
          { ...deps, ordersOf: (customerId) => customerOrders(c.env, c.var.d1, customerId) },
          id,
        );
        // Events and orders are shown as their own lists show them (see eventList).
        return c.json(unwrap(exported) as z.infer<typeof UserExportSchema>, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/erase",
        operationId: "eraseUser",
        tags,
        summary: "Erase a user's personal data (that user or an admin, recent login; idempotent)",
        ...authenticated,
        request: { params: IdParamSchema() },
        responses: {
          204: { description: "Erased (also when it already was)" },
          ...problemResponses(400, 401, 403, 404, 409, ...BODY_STATUSES, ...GATEWAY_STATUSES),
        },
      }),
      async (c) => {
        const id = targetUser(c, c.req.valid("param").id);
        requireRecentLoginFor(c, id, "erasure");
        await requirePersonalDataKeys(c);
        unwrap(await eraseUser(usersDeps(c), id));
        return c.body(null, 204);
      },
    );
