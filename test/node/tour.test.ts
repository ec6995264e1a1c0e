import { describe, expect, inject, it } from "vitest";
import { runTour } from "../../examples/tour";

const ADMIN_EMAIL = "tour-admin@example.com";

describe("examples/tour.ts against wrangler dev", () => {
  it("runs the README's tour through the typed client, every step as promised", async () => {
    const lines: string[] = [];
    await runTour({
      baseUrl: inject("devServerUrl"),
      adminEmail: ADMIN_EMAIL,
      bootstrapToken: inject("bootstrapToken"),
      log: (line) => lines.push(line),
    });
    expect(lines.at(-1)).toMatch(
      /^deactivated and erased my account; ready: d1 \d+ ms, eventLog \d+ ms, jwtSecret \d+ ms, piiMasterKey \d+ ms$/,
    );
  });
});
