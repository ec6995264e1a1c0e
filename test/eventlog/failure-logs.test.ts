import { describe, expect, it } from "vitest";
import { api, signedInAdmin, uniqueEmail } from "../support/api";
import { consoleOutputOf } from "../support/console-output";
import { breakProjections } from "../support/event-logs";

describe("the event log's failure logs", () => {
  it("name the error's class, never its message with the bound values", async () => {
    const admin = await signedInAdmin();
    const member = await api("/api/users", {
      method: "POST",
      json: { email: uniqueEmail(), name: "Private Person", password: "correct horse battery" },
    });
    const { id } = (await member.json()) as { id: string };
    const email = uniqueEmail("secret-address");
    const lines = await consoleOutputOf(async () => {
      const repair = await breakProjections();
      try {
        const changed = await api(`/api/users/${id}`, {
          method: "PATCH",
          token: admin.token,
          json: { email, name: "Renamed Person" },
        });
        expect(changed.status).toBe(200);
      } finally {
        await repair();
      }
    });
    const failure = lines.find((line) => line.includes("projection failed"));
    expect(failure).toBeDefined();
    const logged = JSON.parse(failure as string);
    expect(logged).toMatchObject({ errorClass: expect.any(String) });
    expect(logged).not.toHaveProperty("error");
    for (const line of lines) {
      expect(line).not.toContain(email);
      expect(line).not.toContain("Renamed Person");
    }
  });
});
