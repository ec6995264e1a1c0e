import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTour } from "../../examples/tour";
import { type DevServer, startWranglerDev } from "./support/wrangler-dev";

const ADMIN_EMAIL = "tour-admin@example.com";
const BOOTSTRAP_TOKEN = randomBytes(32).toString("base64url");
let server: DevServer;

beforeAll(async () => {
  server = await startWranglerDev({ ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN });
});
afterAll(() => server?.stop());

describe("examples/tour.ts against wrangler dev", () => {
  it("runs the README's tour through the typed client, every step as promised", async () => {
    const lines: string[] = [];
    await runTour({
      baseUrl: server.url,
      adminEmail: ADMIN_EMAIL,
      bootstrapToken: BOOTSTRAP_TOKEN,
      log: (line) => lines.push(line),
    });
    expect(lines.at(-1)).toMatch(/^deactivated my account; ready: d1 \d+ ms, eventLog \d+ ms/);
  });
});
