import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { primarySession } from "../../src/db/d1-session";
import { userAggregate } from "../../src/modules/users";
import { userRepository } from "../../src/modules/users/infrastructure/d1-user.repository";
import { api, login, PASSWORD, signedUpMember, uniqueEmail } from "../support/api";
import { logOf, readOpenedLog } from "../support/event-logs";

describe("replaying a log", () => {
  it("rebuilds the same user the projection shows", async () => {
    const { user, token } = await signedUpMember();
    const path = `/api/users/${user.id}`;
    await api(path, { method: "PATCH", token, json: { name: "Second name" } });
    const email = uniqueEmail();
    await api(path, { method: "PUT", token, json: { name: "Third", email } });
    await api(`${path}/password`, {
      method: "POST",
      token,
      json: { currentPassword: PASSWORD, newPassword: "a different passphrase" },
    });
    const fresh = await login(email, "a different passphrase");
    await api(path, { method: "DELETE", token: fresh.accessToken });

    const { events } = await readOpenedLog(logOf("user", user.id));
    const replayed = events.reduce(userAggregate.evolve as never, userAggregate.initialState());
    const projected = await userRepository(env, primarySession(env.DB)).findById(user.id as never);

    const { emailIndex, ...shown } = userAggregate.view(replayed, events.length) ?? {};
    expect(shown).toEqual(projected);
    expect(emailIndex).toMatch(/^[0-9a-f]{64}$/);
    expect(projected).toMatchObject({ name: "Third", status: "deactivated", version: 6 });
  });
});
