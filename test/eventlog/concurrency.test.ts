import { describe, expect, it } from "vitest";
import {
  api,
  PASSWORD,
  signedInAdmin,
  signedUpMember,
  type UserBody,
  uniqueEmail,
} from "../support/api";
import { logOf, nonEmptyLogs, objectsLeftBehind, readLog } from "../support/event-logs";
import { OBJECTS_INSPECTABLE } from "../support/shape";

const statuses = (responses: Response[]) =>
  responses.map((response) => response.status).sort((a, b) => a - b);

// Each PATCH also changes the email, so each command awaits D1 for the email claim between
// deciding and appending: the window in which a second command could decide on stale state.
describe("the event log under concurrent requests", () => {
  it("lets exactly one of 20 PATCHes with the same If-Match win; the rest get 412", async () => {
    // The winner renames and changes the email: versions 2 and 3, and nothing after.
    const { user, token } = await signedUpMember();
    // As an admin: a user's own email changes are rate limited (5 a minute).
    const admin = await signedInAdmin();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api(`/api/users/${user.id}`, {
          method: "PATCH",
          token: admin.token,
          headers: { "if-match": '"1"' },
          json: { name: `Writer ${index}`, email: uniqueEmail(`writer${index}`) },
        }),
      ),
    );
    expect(statuses(responses)).toEqual([200, ...Array(19).fill(412)]);

    if (OBJECTS_INSPECTABLE) {
      // Inside the objects: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      const { head, events } = await readLog(logOf("user", user.id));
      expect(head?.version).toBe(3);
      expect(events.map((event) => event.version)).toEqual([1, 2, 3]);
    }
    const winner = (await (responses.find((r) => r.status === 200) as Response).json()) as UserBody;
    const stored = (await (await api(`/api/users/${user.id}`, { token })).json()) as UserBody;
    expect(stored).toEqual(winner);
  });

  it("applies 20 concurrent unconditional PATCHes one after another, with gapless versions", async () => {
    const { user, token } = await signedUpMember();
    const admin = await signedInAdmin();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api(`/api/users/${user.id}`, {
          method: "PATCH",
          token: admin.token,
          json: { name: `Writer ${index}`, email: uniqueEmail(`writer${index}`) },
        }),
      ),
    );
    expect(statuses(responses)).toEqual(Array(20).fill(200));
    const versions = await Promise.all(
      responses.map(async (response) => ((await response.json()) as UserBody).version),
    );
    // Each PATCH renames and changes the email: two events, so versions 3, 5, ... 41.
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 3));

    if (OBJECTS_INSPECTABLE) {
      // Inside the objects: only the monolith's runner can look (OBJECTS_INSPECTABLE).
      const { events } = await readLog(logOf("user", user.id));
      expect(events.map((event) => event.version)).toEqual(
        Array.from({ length: 41 }, (_, i) => i + 1),
      );
    }
    const stored = (await (
      await api(`/api/users/${user.id}/events?limit=100`, { token })
    ).json()) as {
      items: { version: number }[];
    };
    expect(stored.items).toHaveLength(41);
  });

  it("registers exactly one of 10 concurrent registrations of one email, leaving no orphaned log", async () => {
    const admin = await signedInAdmin();
    const email = uniqueEmail("race");
    // Inside the objects: only the monolith's runner can look (OBJECTS_INSPECTABLE).
    const before = OBJECTS_INSPECTABLE ? (await nonEmptyLogs()).length : 0;
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api("/api/users", {
          method: "POST",
          json: {
            email: index % 2 ? email : email.toUpperCase(),
            name: `Racer ${index}`,
            password: PASSWORD,
          },
        }),
      ),
    );
    expect(statuses(responses)).toEqual([201, ...Array(9).fill(409)]);

    if (OBJECTS_INSPECTABLE) {
      const logs = await nonEmptyLogs();
      expect(logs).toHaveLength(before + 1);
      // The nine losers' objects hold nothing at all: no table, no row, no alarm.
      expect(await objectsLeftBehind()).toEqual([]);
    }
    const list = (await (await api("/api/users?limit=100", { token: admin.token })).json()) as {
      items: UserBody[];
    };
    expect(list.items.filter((user) => user.email === email)).toHaveLength(1);
  });
});
