import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/kernel/ids";
import type { Email } from "../../src/modules/users/domain/email.value-object";
import { emailIndexOf } from "../../src/modules/users/infrastructure/email-index";
import { api, PASSWORD, uniqueEmail } from "../support/api";
import { breakClaims, logOf, readLog, registrationDiedAfterClaiming } from "../support/event-logs";

const register = (email: string) =>
  api("/api/users", { method: "POST", json: { email, name: "Retry", password: PASSWORD } });

describe("unique claims", () => {
  it("are released by the alarm when a command died between claiming and appending", async () => {
    const id = newId();
    const email = uniqueEmail("crash");
    const log = await registrationDiedAfterClaiming(id, email);
    expect((await register(email)).status).toBe(409);

    expect(await runDurableObjectAlarm(log)).toBe(true);

    expect((await register(email)).status).toBe(201);
    expect((await readLog(log)).head).toBeUndefined();
  });

  it("are released by the alarm, set again while D1 is down, when a command died after claiming", async () => {
    const id = newId();
    const email = uniqueEmail("crash-while-down");
    const log = await registrationDiedAfterClaiming(id, email);

    const repair = await breakClaims();
    try {
      expect(await runDurableObjectAlarm(log)).toBe(true);
    } finally {
      await repair();
    }
    // The claim is still held, and only an alarm set again can release it.
    expect((await register(email)).status).toBe(409);
    expect(await runDurableObjectAlarm(log)).toBe(true);

    expect((await register(email)).status).toBe(201);
    expect((await readLog(log)).head).toBeUndefined();
  });

  it("are claimed again by the alarm when D1 lost them (a restore, a lost write)", async () => {
    const email = uniqueEmail("restored");
    const response = await register(email);
    const { id } = (await response.json()) as { id: string };
    await env.DB.prepare("DELETE FROM unique_claims WHERE value = ?")
      .bind(await emailIndexOf(env, email as Email))
      .run();
    const log = logOf("user", id);
    await runInDurableObject(log, (_instance, state) =>
      state.storage.setAlarm(Date.now() + 60_000),
    );

    expect(await runDurableObjectAlarm(log)).toBe(true);

    expect((await register(email)).status).toBe(409);
  });

  it("a registration that loses the email race leaves no object state behind", async () => {
    const email = uniqueEmail("race");
    expect((await register(email)).status).toBe(201);
    const id = newId();
    // The loser is run directly in its own log, as the API would with a fresh id.
    const outcome = await logOf("user", id).execute({
      aggregateType: "user",
      aggregateId: id,
      command: {
        type: "RegisterUser",
        email,
        emailIndex: await emailIndexOf(env, email as Email),
        name: "Loser",
      },
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: "USER.EMAIL_TAKEN" } });
    expect((await readLog(logOf("user", id))).head).toBeUndefined();
    expect(await runDurableObjectAlarm(logOf("user", id))).toBe(false);
  });
});
