import { z } from "@hono/zod-openapi";
import { checkedBy } from "../../../gateway/schemas";
import { parseEmail } from "../domain/email.value-object";
import { parseUserName } from "../domain/user-name.value-object";
import { USER_STATUSES } from "../domain/user-status";

const EmailField = z.string().superRefine(checkedBy(parseEmail)).openapi({
  format: "email",
  example: "ada@example.com",
  description: "Trimmed and lower-cased.",
});

const NameField = z
  .string()
  .superRefine(checkedBy(parseUserName))
  .openapi({ example: "Ada Lovelace", description: "1 to 100 characters after trimming." });

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    status: z.enum(USER_STATUSES),
    version: z.number().int().openapi({ description: "Also the `ETag`." }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("User");

// Strict objects: an unknown field is a 400, never silently dropped (mass assignment).
export const RegisterUserSchema = z
  .strictObject({ email: EmailField, name: NameField })
  .openapi("RegisterUser");

export const ReplaceUserSchema = z
  .strictObject({ email: EmailField, name: NameField })
  .openapi("ReplaceUser");

export const PatchUserSchema = z
  .strictObject({ email: EmailField.optional(), name: NameField.optional() })
  .openapi("PatchUser");

export const UserListSchema = z
  .object({ items: z.array(UserSchema), nextCursor: z.string().nullable() })
  .openapi("UserList");

export const UserStatusFilterSchema = z.object({
  status: z.enum(USER_STATUSES).optional(),
});

export const UserEventsSchema = z
  .object({
    items: z.array(
      z.object({
        version: z.number().int(),
        type: z.string(),
        data: z.record(z.string(), z.unknown()),
        occurredAt: z.iso.datetime(),
      }),
    ),
  })
  .openapi("UserEvents");
