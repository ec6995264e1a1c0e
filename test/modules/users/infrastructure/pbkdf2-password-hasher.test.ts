import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { PlainPassword } from "../../../../src/modules/users/domain/password.value-object";
import {
  PBKDF2_ITERATIONS,
  pbkdf2PasswordHasher,
} from "../../../../src/modules/users/infrastructure/pbkdf2-password-hasher";
import { api, login, PASSWORD, registerUser } from "../../../support/api";
import { logOf, readLog } from "../../../support/event-logs";

const password = PASSWORD as PlainPassword;

describe("PBKDF2 password hashing", () => {
  // Production Workers reject more than 100,000 iterations; local workerd does not, so only
  // this test keeps a larger number from shipping and failing every login in production.
  it("is pinned to 100,000 iterations of PBKDF2-SHA-256 with a 16-byte salt", async () => {
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    const stored = await pbkdf2PasswordHasher.hash(password);
    const [scheme, iterations, salt, hash] = stored.split("$");
    expect(scheme).toBe("pbkdf2-sha256");
    expect(iterations).toBe("100000");
    expect(atob(salt as string)).toHaveLength(16);
    expect(atob(hash as string)).toHaveLength(32);
  });

  it("salts every hash and verifies only the right password", async () => {
    const first = await pbkdf2PasswordHasher.hash(password);
    const second = await pbkdf2PasswordHasher.hash(password);
    expect(first).not.toBe(second);
    expect(await pbkdf2PasswordHasher.verify(PASSWORD, first)).toBe(true);
    expect(await pbkdf2PasswordHasher.verify(`${PASSWORD}!`, first)).toBe(false);
    expect(await pbkdf2PasswordHasher.verify(PASSWORD, undefined)).toBe(false);
  });

  it("refuses stored hashes it cannot or must not run", async () => {
    const stored = await pbkdf2PasswordHasher.hash(password);
    const [, , salt, hash] = stored.split("$");
    for (const tampered of [
      `pbkdf2-sha256$100001$${salt}$${hash}`,
      `pbkdf2-sha1$100000$${salt}$${hash}`,
      `pbkdf2-sha256$0$${salt}$${hash}`,
      "plaintext",
    ]) {
      expect(await pbkdf2PasswordHasher.verify(PASSWORD, tampered)).toBe(false);
    }
  });

  it("stores the hash in the named form, and never in a response, a log line or an event", async () => {
    const logged = vi.spyOn(console, "log");
    const errors = vi.spyOn(console, "error");
    const user = await registerUser();
    const tokens = await login(user.email);
    const me = await api("/api/users/me", { token: tokens.accessToken });
    const lines = [...logged.mock.calls, ...errors.mock.calls].flat().join("\n");
    logged.mockRestore();
    errors.mockRestore();

    const row = await env.DB.prepare("SELECT password_hash FROM user_credentials WHERE user_id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    const stored = row?.password_hash as string;
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    const [, , salt, hash] = stored.split("$") as string[];

    const { events } = await readLog(logOf("user", user.id));
    const d1Events = await env.DB.prepare("SELECT data FROM domain_events WHERE aggregate_id = ?")
      .bind(user.id)
      .all();
    for (const text of [
      JSON.stringify(user),
      JSON.stringify(tokens),
      await me.text(),
      lines,
      JSON.stringify(events),
      JSON.stringify(d1Events.results),
    ]) {
      expect(text).not.toContain(salt);
      expect(text).not.toContain(hash);
      expect(text).not.toContain(PASSWORD);
    }
  });
});
