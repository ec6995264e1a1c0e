import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../gateway/app-env";
import { etagOf, expectedVersion, matchesIfNoneMatch } from "../../../gateway/conditional-requests";
import { unwrap } from "../../../gateway/problem";
import { createRouter } from "../../../gateway/router";
import {
  IdParamSchema,
  IfMatchHeaderSchema,
  IfNoneMatchHeaderSchema,
  PageQuerySchema,
  problemResponses,
} from "../../../gateway/schemas";
import { changeUserDetails } from "../application/change-user-details.handler";
import { deactivateUser } from "../application/deactivate-user.handler";
import { getUser, getUserEvents } from "../application/get-user.query";
import { listUsers } from "../application/list-users.query";
import { registerUser } from "../application/register-user.handler";
import type { UserView } from "../application/user.view";
import { parseUserId } from "../domain/user-id.value-object";
import { userRepository } from "../infrastructure/d1-user.repository";
import {
  PatchUserSchema,
  RegisterUserSchema,
  ReplaceUserSchema,
  UserEventsSchema,
  UserListSchema,
  UserSchema,
  UserStatusFilterSchema,
} from "./users.schemas";

const tags = ["Users"];
const json = <T>(schema: T) => ({ "application/json": { schema } });
const etagHeader = { ETag: { schema: { type: "string" as const }, description: "The version." } };

const userResponse = <S extends 200 | 201>(c: Context<AppEnv>, user: UserView, status: S) => {
  c.header("ETag", etagOf(user.version));
  return c.json(user, status);
};

/** PUT and PATCH differ only in which fields the body must hold. */
async function changeDetails(
  c: Context<AppEnv>,
  rawId: string,
  fields: { email?: string; name?: string },
  headers: { "if-match"?: string },
) {
  const { view } = unwrap(
    await changeUserDetails(userRepository(c.env), {
      id: unwrap(parseUserId(rawId)),
      ...fields,
      expectedVersion: unwrap(expectedVersion(headers["if-match"])),
    }),
  );
  return userResponse(c, view, 200);
}

const writeRoute = (
  method: "put" | "patch",
  schema: typeof ReplaceUserSchema | typeof PatchUserSchema,
) =>
  createRoute({
    method,
    path: "/{id}",
    tags,
    summary:
      method === "put"
        ? "Replace a user's email and name"
        : "Change some of a user's email and name",
    request: {
      params: IdParamSchema,
      headers: IfMatchHeaderSchema,
      body: { required: true, content: json(schema) },
    },
    responses: {
      200: {
        description: "The user after the change",
        headers: etagHeader,
        content: json(UserSchema),
      },
      ...problemResponses(400, 404, 409, 412, 413, 415),
    },
  });

export const usersRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Register a user",
      request: { body: { required: true, content: json(RegisterUserSchema) } },
      responses: {
        201: {
          description: "Registered",
          headers: { ...etagHeader, Location: { schema: { type: "string" } } },
          content: json(UserSchema),
        },
        ...problemResponses(400, 409, 413, 415),
      },
    }),
    async (c) => {
      const { view } = unwrap(await registerUser(userRepository(c.env), c.req.valid("json")));
      c.header("Location", `/api/users/${view.id}`);
      return userResponse(c, view, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "List users, oldest first",
      request: { query: PageQuerySchema.extend(UserStatusFilterSchema.shape) },
      responses: {
        200: { description: "A page of users", content: json(UserListSchema) },
        ...problemResponses(400),
      },
    }),
    async (c) => {
      const { limit, cursor, status } = c.req.valid("query");
      const page = unwrap(
        await listUsers(userRepository(c.env), {
          limit,
          ...(cursor === undefined ? {} : { cursor }),
          ...(status === undefined ? {} : { status }),
        }),
      );
      return c.json(page, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      tags,
      summary: "Read a user",
      request: { params: IdParamSchema, headers: IfNoneMatchHeaderSchema },
      responses: {
        200: { description: "The user", headers: etagHeader, content: json(UserSchema) },
        304: { description: "Not modified since the given ETag" },
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const id = unwrap(parseUserId(c.req.valid("param").id));
      const user = unwrap(await getUser(userRepository(c.env), id));
      if (matchesIfNoneMatch(c.req.valid("header")["if-none-match"], user.version)) {
        return c.body(null, 304, { ETag: etagOf(user.version) });
      }
      return userResponse(c, user, 200);
    },
  )
  .openapi(writeRoute("put", ReplaceUserSchema), (c) =>
    changeDetails(c, c.req.valid("param").id, c.req.valid("json"), c.req.valid("header")),
  )
  .openapi(writeRoute("patch", PatchUserSchema), (c) =>
    changeDetails(c, c.req.valid("param").id, c.req.valid("json"), c.req.valid("header")),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{id}",
      tags,
      summary: "Deactivate a user (idempotent)",
      request: { params: IdParamSchema, headers: IfMatchHeaderSchema },
      responses: { 204: { description: "Deactivated" }, ...problemResponses(400, 404, 412) },
    }),
    async (c) => {
      const id = unwrap(parseUserId(c.req.valid("param").id));
      const expected = unwrap(expectedVersion(c.req.valid("header")["if-match"]));
      unwrap(await deactivateUser(userRepository(c.env), id, expected));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}/events",
      tags,
      summary: "A user's events, oldest first",
      request: { params: IdParamSchema },
      responses: {
        200: { description: "The user's log", content: json(UserEventsSchema) },
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const id = unwrap(parseUserId(c.req.valid("param").id));
      const items = unwrap(await getUserEvents(userRepository(c.env), id));
      return c.json({ items: items as z.infer<typeof UserEventsSchema>["items"] }, 200);
    },
  );
