import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { api, registerUser, type UserBody, uniqueEmail } from "../support/api";
import { logOf, readLog } from "../support/event-logs";

// A real D1 failure, not a mock: the read model's table disappears while commands run.
const breakUsersTable = () => env.DB.exec("ALTER TABLE users RENAME TO users_unavailable");
const repairUsersTable = () => env.DB.exec("ALTER TABLE users_unavailable RENAME TO users");

async function d1EventsOf(id: string) {
  const { results } = await env.DB.prepare(
    "SELECT version, type FROM domain_events WHERE aggregate_id = ? ORDER BY version",
  )
    .bind(id)
    .all<{ version: number; type: string }>();
  return results;
}

describe("a projection whose D1 write fails", () => {
  afterEach(async () => {
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE name = 'users_unavailable'",
    ).all();
    if (tables.results.length > 0) await repairUsersTable();
  });

  it("keeps the command's outcome, and the alarm brings D1 level with the log", async () => {
    const user = await registerUser();
    await breakUsersTable();

    const renamed = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      json: { name: "Written while D1 was down", email: uniqueEmail("moved") },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get("etag")).toBe('"3"');
    const deactivated = await api(`/api/users/${user.id}`, { method: "DELETE" });
    expect(deactivated.status).toBe(204);

    const log = logOf("user", user.id);
    expect((await readLog(log)).head).toMatchObject({ version: 4, projectedVersion: 1 });
    expect(await d1EventsOf(user.id)).toHaveLength(1);

    // The first retry still finds D1 down: nothing is applied, and another retry is scheduled.
    expect(await runDurableObjectAlarm(log)).toBe(true);
    expect((await readLog(log)).head?.projectedVersion).toBe(1);

    await repairUsersTable();
    expect(await runDurableObjectAlarm(log)).toBe(true);

    const { head, events } = await readLog(log);
    expect(head).toMatchObject({ version: 4, projectedVersion: 4 });
    expect(await d1EventsOf(user.id)).toEqual(
      events.map((event) => ({ version: event.version, type: event.type })),
    );
    const shown = (await (await api(`/api/users/${user.id}`)).json()) as UserBody;
    expect(shown).toMatchObject({
      name: "Written while D1 was down",
      status: "deactivated",
      version: 4,
    });

    // Nothing is left to retry, and a replayed projection would apply nothing twice.
    expect(await runDurableObjectAlarm(log)).toBe(false);
    expect(await d1EventsOf(user.id)).toHaveLength(4);
  });

  it("releases the old email once the projection catches up", async () => {
    const user = await registerUser();
    await breakUsersTable();
    const moved = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      json: { email: uniqueEmail("moved") },
    });
    expect(moved.status).toBe(200);
    await repairUsersTable();
    await runDurableObjectAlarm(logOf("user", user.id));

    const reuse = await api("/api/users", {
      method: "POST",
      json: { email: user.email, name: "Next owner" },
    });
    expect(reuse.status).toBe(201);
  });
});
