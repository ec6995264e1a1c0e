import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { primarySession } from "../../../../src/db/d1-session";
import type { Email } from "../../../../src/modules/users/domain/email.value-object";
import { newUserId } from "../../../../src/modules/users/domain/user-id.value-object";
import { userRepository } from "../../../../src/modules/users/infrastructure/d1-user.repository";
import { registerUser } from "../../../support/api";

describe("the D1 user repository", () => {
  it("finds a user by id and by canonical email", async () => {
    const user = await registerUser();
    const repository = userRepository(env, primarySession(env.DB));
    expect(await repository.findById(user.id as never)).toEqual(user);
    expect(await repository.findByEmail(user.email as Email)).toEqual(user);
    expect(await repository.findByEmail("nobody@example.com" as Email)).toBeUndefined();
  });

  it("saves through the user's log and deletes by deactivating", async () => {
    const repository = userRepository(env, primarySession(env.DB));
    const id = newUserId();
    const saved = await repository.save(id, {
      type: "RegisterUser",
      email: "saved@example.com" as Email,
      emailIndex: await repository.indexEmail("saved@example.com" as Email),
      name: "Saved" as never,
    });
    expect(saved).toMatchObject({
      ok: true,
      value: { version: 1, view: { id, status: "active" } },
    });
    const deleted = await repository.delete(id);
    expect(deleted).toMatchObject({
      ok: true,
      value: { version: 2, view: { status: "deactivated" } },
    });
    expect(await repository.findById(id)).toMatchObject({ status: "deactivated", version: 2 });
  });
});
