import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { api, PASSWORD, signedUpMember, type UserBody, uniqueEmail } from "../support/api";
import { logOf, readLog } from "../support/event-logs";

// A real D1 failure, not a mock: a table every projection writes disappears while commands run.
// (Not `users`: authentication reads it, and the commands must still be let in.)
const breakProjections = () =>
  env.DB.exec("ALTER TABLE domain_events RENAME TO domain_events_unavailable");
const repairProjections = () =>
  env.DB.exec("ALTER TABLE domain_events_unavailable RENAME TO domain_events");

async function d1EventsOf(id: string, table = "domain_events") {
  const { results } = await env.DB.prepare(
    `SELECT version, type FROM ${table} WHERE aggregate_id = ? ORDER BY version`,
  )
    .bind(id)
    .all<{ version: number; type: string }>();
  return results;
}

describe("a projection whose D1 write fails", () => {
  afterEach(async () => {
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE name = 'domain_events_unavailable'",
    ).all();
    if (tables.results.length > 0) await repairProjections();
  });

  it("keeps the command's outcome, and the alarm brings D1 level with the log", async () => {
    const { user, token } = await signedUpMember();
    await breakProjections();

    const renamed = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      json: { name: "Written while D1 was down", email: uniqueEmail("moved") },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get("etag")).toBe('"3"');
    const stale = (await (await api(`/api/users/${user.id}`, { token })).json()) as UserBody;
    expect(stale.version).toBe(1);
    const deactivated = await api(`/api/users/${user.id}`, { method: "DELETE", token });
    expect(deactivated.status).toBe(204);

    const log = logOf("user", user.id);
    expect((await readLog(log)).head).toMatchObject({ version: 4, projectedVersion: 1 });
    expect(await d1EventsOf(user.id, "domain_events_unavailable")).toHaveLength(1);

    // The first retry still finds D1 down: nothing is applied, and another retry is scheduled.
    expect(await runDurableObjectAlarm(log)).toBe(true);
    expect((await readLog(log)).head?.projectedVersion).toBe(1);

    await repairProjections();
    expect(await runDurableObjectAlarm(log)).toBe(true);

    const { head, events } = await readLog(log);
    expect(head).toMatchObject({ version: 4, projectedVersion: 4 });
    expect(await d1EventsOf(user.id)).toEqual(
      events.map((event) => ({ version: event.version, type: event.type })),
    );
    const admin = await signedUpMember();
    expect((await api(`/api/users/${user.id}`, { token: admin.token })).status).toBe(403);
    const shown = (await env.DB.prepare("SELECT name, status, version FROM users WHERE id = ?")
      .bind(user.id)
      .first()) as Pick<UserBody, "name" | "status" | "version">;
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
    const { user, token } = await signedUpMember();
    await breakProjections();
    const moved = await api(`/api/users/${user.id}`, {
      method: "PATCH",
      token,
      json: { email: uniqueEmail("moved") },
    });
    expect(moved.status).toBe(200);
    await repairProjections();
    await runDurableObjectAlarm(logOf("user", user.id));

    const reuse = await api("/api/users", {
      method: "POST",
      json: { email: user.email, name: "Next owner", password: PASSWORD },
    });
    expect(reuse.status).toBe(201);
  });
});
