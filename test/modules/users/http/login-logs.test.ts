import { beforeEach, describe, expect, it } from "vitest";
import { api, registerUser } from "../../../support/api";
import { consoleOutputOf } from "../../../support/console-output";
import { roomInRateWindow } from "../../../support/rate-limits";

/** The login request's own log line, which shows the capture works for that request. */
const requestLine = (output: string[], requestId: string) =>
  output.filter((line) => line.includes(`"requestId":"${requestId}"`));

describe("a failed login's logs (no credentials)", () => {
  beforeEach(() => roomInRateWindow(), 70_000);

  it("write neither the email nor the password, whatever failed", async () => {
    const user = await registerUser();
    const ip = "203.0.113.140";
    const attempts = [
      { name: "wrong-password", email: user.email, password: "a wrong guess 0xWRONG" },
      { name: "unknown-email", email: "nobody.at.all@example.net", password: "guess 0xUNKNOWN" },
      { name: "malformed-email", email: "not@@an.email", password: "guess 0xMALFORMED" },
    ];
    // Seven more from the same address use up its 10 logins a minute: the next is refused.
    const fillers = Array.from({ length: 7 }, (_, index) => ({
      name: `filler-${index}`,
      email: `filler${index}@example.net`,
      password: `filler guess ${index}`,
    }));
    const limited = { name: "rate-limited", email: user.email, password: "guess 0xLIMITED" };
    const all = [...attempts, ...fillers, limited];

    const statuses: number[] = [];
    const output = await consoleOutputOf(async () => {
      for (const attempt of all) {
        const response = await api("/api/auth/login", {
          method: "POST",
          ip,
          headers: { "x-request-id": `login-log-${attempt.name}` },
          json: { email: attempt.email, password: attempt.password },
        });
        statuses.push(response.status);
      }
    });

    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    for (const attempt of [...attempts, limited]) {
      expect(requestLine(output, `login-log-${attempt.name}`), attempt.name).toHaveLength(1);
    }
    const text = output.join("\n").toLowerCase();
    for (const { email, password } of all) {
      expect(text).not.toContain(email.toLowerCase());
      expect(text).not.toContain(password.toLowerCase());
    }
    expect(text).not.toContain(user.email.split("@")[0]);
  });
});
