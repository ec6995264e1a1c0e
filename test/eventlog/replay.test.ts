import { describe, expect, it } from "vitest";
import { userAggregate } from "../../src/modules/users";
import { api, registerUser, type UserBody, uniqueEmail } from "../support/api";
import { logOf, readLog } from "../support/event-logs";

describe("replaying a log", () => {
  it("rebuilds the same user the projection shows", async () => {
    const user = await registerUser();
    await api(`/api/users/${user.id}`, { method: "PATCH", json: { name: "Second name" } });
    await api(`/api/users/${user.id}`, {
      method: "PUT",
      json: { name: "Third", email: uniqueEmail() },
    });
    await api(`/api/users/${user.id}`, { method: "DELETE" });

    const { events } = await readLog(logOf("user", user.id));
    const replayed = events.reduce(userAggregate.evolve as never, userAggregate.initialState());
    const projected = (await (await api(`/api/users/${user.id}`)).json()) as UserBody;

    expect(userAggregate.view(replayed, events.length)).toEqual(projected);
    expect(projected).toMatchObject({ name: "Third", status: "deactivated", version: 5 });
  });
});
