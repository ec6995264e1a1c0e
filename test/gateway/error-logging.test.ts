import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { logPseudonym } from "../../src/kernel/log-pseudonym";
import { loggableError } from "../../src/kernel/loggable-error";
import { runMaintenance } from "../../src/maintenance/scheduled";
import type { Email } from "../../src/modules/users/domain/email.value-object";
import { emailIndexOf } from "../../src/modules/users/infrastructure/email-index";
import { api, PASSWORD, registerUser } from "../support/api";
import { consoleOutputOf } from "../support/console-output";
import { logOf } from "../support/event-logs";

// A real D1 failure, not a mock: the table login reads the password hash from disappears.
const breakCredentials = () =>
  env.DB.exec("ALTER TABLE user_credentials RENAME TO user_credentials_unavailable");
const repairCredentials = () =>
  env.DB.exec("ALTER TABLE user_credentials_unavailable RENAME TO user_credentials");

describe("error logs (no personal data)", () => {
  afterEach(async () => {
    const broken = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE name = 'user_credentials_unavailable'",
    ).all();
    if (broken.results.length > 0) await repairCredentials();
  });

  it("logs a failing login with the error class, table and request id, and no email", async () => {
    const user = await registerUser();
    await breakCredentials();
    let status = 0;
    const output = await consoleOutputOf(async () => {
      const response = await api("/api/auth/login", {
        method: "POST",
        headers: { "x-request-id": "failing-login-1" },
        json: { email: user.email.toUpperCase(), password: PASSWORD },
      });
      status = response.status;
    });

    expect(status).toBe(500);
    const text = output.join("\n");
    expect(text).not.toContain(user.email);
    expect(text.toLowerCase()).not.toContain(user.email);
    expect(text).not.toContain(PASSWORD);
    const failure = output.map((line) => JSON.parse(line)).find((line) => line.errorClass);
    expect(failure).toMatchObject({
      level: "error",
      requestId: "failing-login-1",
      errorClass: "DrizzleQueryError",
      table: "users",
    });
  });

  it("logs a failed maintenance job by its class and table, never its message", async () => {
    const failing = {
      name: "failing-job",
      run: async () => {
        throw Object.assign(new Error('Failed query: ... params: "ada@example.com"'), {
          query: 'delete from "refresh_tokens" where "user_id" = ?',
        });
      },
    };
    const output = await consoleOutputOf(() => runMaintenance(env, [failing]).catch(() => {}));
    expect(output.join("\n")).not.toContain("ada@example.com");
    expect(output.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ job: "failing-job", errorClass: "Error", table: "refresh_tokens" }),
    );
  });

  it("logs a reconciled user's email held by another by its scope and a keyed pseudonym", async () => {
    const user = await registerUser();
    // What a restore or an operator's mistake can leave: the user's email claimed by another.
    // Claims hold the email's blind index, never the address (ADR 0037).
    const index = await emailIndexOf(env, user.email as Email);
    await env.DB.prepare("UPDATE unique_claims SET owner = ? WHERE value = ?")
      .bind(`user:${crypto.randomUUID()}`, index)
      .run();

    const output = await consoleOutputOf(() => logOf("user", user.id).reconcile());

    const text = output.join("\n");
    expect(text.toLowerCase()).not.toContain(user.email.toLowerCase());
    expect(text.toLowerCase()).not.toContain(user.email.split("@")[0]?.toLowerCase());
    const conflicts = output
      .map((line) => JSON.parse(line))
      .filter(
        (line) => line.message === "a unique value this aggregate holds is claimed by another",
      );
    expect(conflicts).toEqual([
      {
        level: "error",
        message: "a unique value this aggregate holds is claimed by another",
        stream: `user:${user.id}`,
        scope: "user-email",
        valuePseudonym: await logPseudonym(env.JWT_SECRET, "user-email", index),
      },
    ]);
    expect(conflicts[0].valuePseudonym).toMatch(/^[0-9a-f]{32}$/);
  });

  it("gives a value the same pseudonym under one secret, another under another, none without", async () => {
    const secret = "test-only-pseudonym-secret-0123456789abcdef";
    const ada = await logPseudonym(secret, "user-email", "ada@example.com");
    expect(await logPseudonym(secret, "user-email", "ada@example.com")).toBe(ada);
    expect(await logPseudonym(secret, "user-email", "bob@example.com")).not.toBe(ada);
    expect(await logPseudonym(secret, "product-sku", "ada@example.com")).not.toBe(ada);
    expect(await logPseudonym(`${secret}-rotated`, "user-email", "ada@example.com")).not.toBe(ada);
    expect(await logPseudonym(undefined, "user-email", "ada@example.com")).toBeNull();
  });

  it("names the class and table of a failed query, never its message", () => {
    const error = Object.assign(new Error('Failed query: ... params: "ada@example.com"'), {
      query: 'insert into "refresh_tokens" ("token_hash") values (?)',
    });
    expect(loggableError(error)).toEqual({ errorClass: "Error", table: "refresh_tokens" });
    expect(loggableError("plain text")).toEqual({ errorClass: "string" });
    const wrapped = new TypeError("outer", { cause: new RangeError("inner") });
    expect(loggableError(wrapped)).toEqual({ errorClass: "TypeError", causeClass: "RangeError" });
  });
});
