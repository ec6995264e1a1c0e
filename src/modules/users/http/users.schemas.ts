import { z } from "@hono/zod-openapi";
import { builtOnFirstUse, checkedBy, EventListSchema } from "../../../gateway/schemas";
import { parseEmail } from "../domain/email.value-object";
import { parsePassword } from "../domain/password.value-object";
import { parseUserName } from "../domain/user-name.value-object";
import { USER_ROLES } from "../domain/user-role";
import { USER_STATUSES } from "../domain/user-status";

// Fields of request bodies, built inside the bodies' lazy schemas (see ProblemSchema).
const emailField = () =>
  z.string().superRefine(checkedBy(parseEmail)).openapi({
    format: "email",
    example: "ada@example.com",
    description: "Trimmed and lower-cased.",
  });

const nameField = () =>
  z
    .string()
    .superRefine(checkedBy(parseUserName))
    .openapi({ example: "Ada Lovelace", description: "1 to 100 characters after trimming." });

const passwordField = () =>
  z
    .string()
    .superRefine(checkedBy(parsePassword))
    .openapi({ format: "password", example: "correct horse battery staple" });

const USER_EXAMPLE = {
  id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
  email: "ada@example.com",
  name: "Ada Lovelace",
  status: "active" as const,
  role: "customer" as const,
  version: 1,
  createdAt: "2026-11-20T09:30:00.000Z",
  updatedAt: "2026-11-20T09:30:00.000Z",
};

export const UserSchema = z.lazy(() =>
  z
    .object({
      id: z.uuid(),
      email: z.string(),
      name: z.string(),
      status: z.enum(USER_STATUSES),
      role: z.enum(USER_ROLES),
      version: z.number().int().openapi({ description: "Also the `ETag`." }),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .openapi("User", { example: USER_EXAMPLE }),
);

// Strict objects: an unknown field (`role`, `status`, `id`, `version`, ...) is a 400, never
// silently dropped or applied (mass assignment, OWASP API3).
export const RegisterUserSchema = z.lazy(() =>
  z
    .strictObject({ email: emailField(), name: nameField(), password: passwordField() })
    .openapi("RegisterUser"),
);

export const ChangePasswordSchema = z.lazy(() =>
  z
    .strictObject({ currentPassword: z.string().max(1024), newPassword: passwordField() })
    .openapi("ChangePassword"),
);

export const ChangeRoleSchema = z.lazy(() =>
  z.strictObject({ role: z.enum(USER_ROLES) }).openapi("ChangeRole"),
);

export const LoginSchema = z.lazy(() =>
  z
    .strictObject({
      email: z.string().max(1024).openapi({ example: "ada@example.com" }),
      password: z.string().max(1024).openapi({ format: "password" }),
    })
    .openapi("Login"),
);

export const RefreshTokenSchema = z.lazy(() =>
  z.strictObject({ refreshToken: z.string().min(1).max(256) }).openapi("RefreshToken"),
);

export const TokenPairSchema = z.lazy(() =>
  z
    .object({
      tokenType: z.literal("Bearer"),
      accessToken: z.string().openapi({ description: "A JWT (HS256) valid for 15 minutes." }),
      expiresIn: z.number().int().openapi({ example: 900 }),
      refreshToken: z
        .string()
        .openapi({ description: "Opaque; single use: each refresh returns a new one." }),
    })
    .openapi("TokenPair", {
      example: {
        tokenType: "Bearer",
        accessToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkwZjNhMiJ9.c2lnbmF0dXJl",
        expiresIn: 900,
        refreshToken: "rt_0190f3a27b1c7cc08f1e2b3c4d5e6f70.S0m3Rand0mS3cret",
      },
    }),
);

export const SessionSchema = z.lazy(() =>
  z
    .object({
      id: z.uuid(),
      createdAt: z.iso.datetime().openapi({ description: "The password login that began it." }),
      lastUsedAt: z.iso.datetime().openapi({ description: "The login or the latest refresh." }),
      expiresAt: z.iso
        .datetime()
        .openapi({ description: "Its absolute end: refreshes never move it." }),
      userAgent: z.string().nullable(),
      current: z.boolean().openapi({ description: "Whether this request's token belongs to it." }),
    })
    .openapi("Session"),
);

const SESSION_EXAMPLE = {
  id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f71",
  createdAt: "2026-11-26T09:00:00.000Z",
  lastUsedAt: "2026-11-26T09:45:00.000Z",
  expiresAt: "2026-12-26T09:00:00.000Z",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
  current: true,
};

export const SessionListSchema = z.lazy(() =>
  z
    .object({ items: z.array(SessionSchema), nextCursor: z.string().nullable() })
    .openapi("SessionList", { example: { items: [SESSION_EXAMPLE], nextCursor: null } }),
);

export const ReplaceUserSchema = z.lazy(() =>
  z.strictObject({ email: emailField(), name: nameField() }).openapi("ReplaceUser"),
);

export const PatchUserSchema = z.lazy(() =>
  z
    .strictObject({ email: emailField().optional(), name: nameField().optional() })
    .openapi("PatchUser"),
);

export const UserListSchema = z.lazy(() =>
  z
    .object({ items: z.array(UserSchema), nextCursor: z.string().nullable() })
    .openapi("UserList", { example: { items: [USER_EXAMPLE], nextCursor: null } }),
);

export const UserExportSchema = z.lazy(() =>
  z
    .object({
      exportedAt: z.iso.datetime(),
      user: UserSchema,
      sessions: z.array(SessionSchema.unwrap().omit({ current: true })),
      orders: z
        .array(z.record(z.string(), z.unknown()))
        .openapi({ description: "Each as `Order`." }),
      events: EventListSchema.unwrap().shape.items,
    })
    .openapi("UserExport", {
      example: {
        exportedAt: "2026-12-02T08:00:00.000Z",
        user: USER_EXAMPLE,
        sessions: [SESSION_EXAMPLE].map(({ current: _, ...session }) => session),
        orders: [{ id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f74", customerId: USER_EXAMPLE.id }],
        events: [
          {
            version: 1,
            type: "UserRegistered",
            data: { userId: USER_EXAMPLE.id, email: USER_EXAMPLE.email, name: USER_EXAMPLE.name },
            occurredAt: USER_EXAMPLE.createdAt,
            correlationId: null,
            causationId: null,
          },
        ],
      },
    }),
);

export const UserStatusFilterSchema = builtOnFirstUse(() =>
  z.object({
    status: z.enum(USER_STATUSES).optional(),
  }),
);
