import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { aggregateRegistry } from "../../src/aggregates";
import type { CommandOutcome } from "../../src/eventlog/event-log.contract";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import { EventStore } from "../../src/eventlog/event-store";
import { DATA_KEY } from "../../src/eventlog/personal-data";
import { readPiiKeys, unwrapKey } from "../../src/kernel/pii-keys";
import { apiWith, PASSWORD, signedUpMember, uniqueEmail } from "../support/api";
import { logOf } from "../support/event-logs";

// The test's PII_MASTER_KEY (vitest.config.ts) is the old one; this is what it rotates to.
const OLD = env.PII_MASTER_KEY as string;
const NEW = "the-rotated-pii-master-key-0123456789-abcdefghijkl";

/** What the user's object stores: its events as stored, and its wrapped data key. */
const stored = (id: string) =>
  runInDurableObject(logOf("user", id), (_instance, state) => {
    const store = new EventStore(state.storage);
    return { events: store.readAfter(0), wrapped: store.sealed()[DATA_KEY] as string };
  });

/** Runs a command in the user's object as a Worker with these secrets would run it there. */
const executeWith = (secrets: Record<string, string | undefined>, id: string, command: unknown) =>
  runInDurableObject(logOf("user", id), (_instance, state) => {
    const rotated = new EventLogObject(state, { ...env, ...secrets }, aggregateRegistry);
    return rotated.execute({
      aggregateType: "user",
      aggregateId: id,
      command,
    }) as Promise<CommandOutcome>;
  });

const opens = async (secret: string, wrapped: string) => {
  const keys = readPiiKeys({ PII_MASTER_KEY: secret });
  if (!keys.ok) throw new Error(keys.problem);
  return unwrapKey(await keys.keys, wrapped, "stream-data-key").then(
    () => true,
    () => false,
  );
};

describe("rotating PII_MASTER_KEY", () => {
  it("re-wraps the keys, rewrites no event, and leaves the old key useless", async () => {
    const email = uniqueEmail("rotated");
    const { user, token } = await signedUpMember({ email, name: "Rota Tion" });
    const before = await stored(user.id);
    expect(await opens(OLD, before.wrapped)).toBe(true);

    // During the rotation both are set: the old one still unwraps, and whatever it unwraps is
    // wrapped again under the new one.
    const during = { PII_MASTER_KEY: NEW, PII_MASTER_KEY_PREVIOUS: OLD };
    expect((await apiWith(during, "/health/ready")).status).toBe(200);
    const renamed = await executeWith(during, user.id, {
      type: "ChangeUserDetails",
      name: "Rota Tion Two",
    });
    expect(renamed).toMatchObject({ ok: true, value: { version: 2 } });

    const after = await stored(user.id);
    expect(after.events.slice(0, 1)).toEqual(before.events);
    expect(after.wrapped).not.toBe(before.wrapped);
    expect(await opens(NEW, after.wrapped)).toBe(true);
    expect(await opens(OLD, after.wrapped)).toBe(false);
    const d1Copy = await env.DB.prepare("SELECT wrapped_key FROM user_data_keys WHERE user_id = ?")
      .bind(user.id)
      .first<{ wrapped_key: string }>();
    expect(d1Copy?.wrapped_key).toBe(after.wrapped);

    // Once every key is re-wrapped, the previous one goes: the new one alone does everything.
    const rotated = { PII_MASTER_KEY: NEW, PII_MASTER_KEY_PREVIOUS: undefined };
    expect((await apiWith(rotated, "/health/ready")).status).toBe(200);
    const login = await apiWith(rotated, "/api/auth/login", {
      method: "POST",
      json: { email, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const events = await apiWith(rotated, `/api/users/${user.id}/events`, { token });
    expect(events.status).toBe(200);
    const { items } = (await events.json()) as { items: { data: Record<string, unknown> }[] };
    expect(items.map((event) => event.data.name)).toEqual(["Rota Tion", "Rota Tion Two"]);
    expect(
      await executeWith(rotated, user.id, { type: "ChangeUserDetails", name: "Rota Tion Three" }),
    ).toMatchObject({ ok: true, value: { version: 3 } });

    // And the old key alone is now a wrong one.
    expect((await apiWith({ PII_MASTER_KEY: OLD }, "/health/ready")).status).toBe(503);
  });
});
