import { describe, expect, it } from "vitest";
import { api, login, PASSWORD, problemOf, signedUpMember } from "../../../support/api";
import { logOf, readLog } from "../../../support/event-logs";
import { OBJECTS_INSPECTABLE } from "../../../support/shape";

describe("concurrent password changes", () => {
  it("with the same current password: exactly one succeeds, the other finds it wrong", async () => {
    const { user, token } = await signedUpMember();
    const change = (newPassword: string) =>
      api(`/api/users/${user.id}/password`, {
        method: "POST",
        token,
        json: { currentPassword: PASSWORD, newPassword },
      });
    const responses = await Promise.all([
      change("first new passphrase"),
      change("second new one!"),
    ]);

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([204, 403]);
    const loser = responses.find((response) => response.status === 403) as Response;
    expect(await problemOf(loser)).toMatchObject({ code: "AUTH.WRONG_PASSWORD" });
    if (OBJECTS_INSPECTABLE) {
      // Inside the user's object: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      const { events } = await readLog(logOf("user", user.id));
      expect(events.filter((event) => event.type === "UserPasswordChanged")).toHaveLength(1);
    }
    // The winner's password is the one that works.
    const winner = responses[0]?.status === 204 ? "first new passphrase" : "second new one!";
    await expect(login(user.email, winner)).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("a wrong current password changes nothing", async () => {
    const { user, token } = await signedUpMember();
    const response = await api(`/api/users/${user.id}/password`, {
      method: "POST",
      token,
      json: { currentPassword: "not the password at all", newPassword: "whatever new phrase" },
    });
    expect(response.status).toBe(403);
    // Inside the user's object: only the monolith's runner can look (OBJECTS_INSPECTABLE).
    if (OBJECTS_INSPECTABLE) expect((await readLog(logOf("user", user.id))).head?.version).toBe(1);
    await expect(login(user.email, PASSWORD)).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});
