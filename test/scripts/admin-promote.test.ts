import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  bootstrapTokenFor,
  DEFAULT_URL,
  parsePromoteArguments,
  promoteAdmin,
} from "../../scripts/lib/admin-promote.mjs";
import { fetchWorker, registerUser } from "../support/api";

const TOKEN = "a-bootstrap-token-that-must-stay-secret";
// The Worker answers any host; what matters is a URL the script accepts for a deployed Worker.
const DEPLOYED = "https://api.test/";

/** A stand-in for the API's 200, for the tests that need no Worker behind the URL. */
const promotedUser: Send = () =>
  Promise.resolve(Response.json({ id: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72", email: "o@e.com" }));

type Send = (request: Request) => Promise<Response>;

/** promoteAdmin with a token exported, its output kept, and every request it sends recorded. */
async function promote(args: string[], send: Send = promotedUser, token = TOKEN) {
  const sent: Request[] = [];
  const printed: string[] = [];
  const failed: string[] = [];
  const code = await promoteAdmin({
    args,
    environment: { ADMIN_BOOTSTRAP_TOKEN: token },
    devVarsText: undefined,
    send: (request) => {
      sent.push(request);
      return send(request);
    },
    print: (line) => printed.push(line),
    fail: (line) => failed.push(line),
  });
  return { code, sent, printed, failed };
}

describe("npm run admin:promote", () => {
  it("promotes a registered user through the Worker, and says so", async () => {
    const user = await registerUser();
    const { code, sent, printed, failed } = await promote(
      [user.email, "--url", DEPLOYED],
      (request) => {
        // As through Cloudflare, which sets the client address the rate limit counts.
        request.headers.set("cf-connecting-ip", "192.0.2.200");
        return fetchWorker(request);
      },
      env.ADMIN_BOOTSTRAP_TOKEN as string,
    );
    expect({ code, failed }).toEqual({ code: 0, failed: [] });
    expect(sent.map((request) => request.url)).toEqual([`${DEPLOYED}api/admin/bootstrap`]);
    expect(printed).toEqual([`${user.email} (${user.id}) is an admin.`]);
  });

  it("takes an email and an optional --url", () => {
    expect(parsePromoteArguments(["ops@example.com"])).toEqual({
      ok: true,
      email: "ops@example.com",
      url: DEFAULT_URL,
    });
    const deployed = { ok: true, email: "ops@example.com", url: "https://api.example.com" };
    expect(parsePromoteArguments(["--url", "https://api.example.com", "ops@example.com"])).toEqual(
      deployed,
    );
    expect(parsePromoteArguments(["ops@example.com", "--url=https://api.example.com"])).toEqual(
      deployed,
    );
    for (const bad of [[], ["a@example.com", "b@example.com"], ["a@example.com", "--url"]]) {
      expect(parsePromoteArguments(bad).ok).toBe(false);
    }
    expect(parsePromoteArguments(["a@example.com", "--url", "ftp://x"]).ok).toBe(false);
    expect(parsePromoteArguments(["a@example.com", "--force"]).ok).toBe(false);
  });

  it.each([
    "http://api.example.com",
    "http://my-worker.example.workers.dev/",
    "http://192.0.2.10:8787",
    "http://[2001:db8::1]:8787",
    "http://localhost.example.com",
    "http://127.0.0.1.example.com",
  ])("refuses the clear-text %s with exit code 2, and sends nothing", async (url) => {
    const { code, sent, printed, failed } = await promote(["ops@example.com", "--url", url]);
    expect(code).toBe(2);
    expect(sent).toEqual([]);
    expect(printed).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain(`refusing to send ADMIN_BOOTSTRAP_TOKEN in clear text to ${url}`);
    expect(failed[0]).toContain("use https://");
  });

  it.each([
    ["https://api.example.com", "https://api.example.com/api/admin/bootstrap"],
    ["http://localhost:8787", "http://localhost:8787/api/admin/bootstrap"],
    ["http://127.0.0.1:9000/", "http://127.0.0.1:9000/api/admin/bootstrap"],
    ["http://127.4.5.6", "http://127.4.5.6/api/admin/bootstrap"],
    ["http://[::1]:8787", "http://[::1]:8787/api/admin/bootstrap"],
  ])("sends the token to %s: https:, or http: on this machine", async (url, endpoint) => {
    const { code, sent } = await promote(["ops@example.com", "--url", url]);
    expect(code).toBe(0);
    expect(sent.map((request) => request.url)).toEqual([endpoint]);
    expect(sent[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("exits with 1 and the API's answer when the API refuses", async () => {
    const refused = () => Promise.resolve(new Response("no such user", { status: 404 }));
    const { code, sent, failed } = await promote(["ops@example.com"], refused);
    expect({ code, sent: sent.length }).toEqual({ code: 1, sent: 1 });
    expect(failed[0]).toContain("no such user");
  });

  it("takes the token from the environment, and from .dev.vars only for a local server", () => {
    const devVars = "JWT_SECRET=x\nADMIN_BOOTSTRAP_TOKEN=from-dev-vars\n";
    const exported = { ADMIN_BOOTSTRAP_TOKEN: "from-the-environment" };
    expect(bootstrapTokenFor(DEFAULT_URL, exported, devVars)).toBe("from-the-environment");
    expect(bootstrapTokenFor("https://api.example.com", exported, devVars)).toBe(
      "from-the-environment",
    );
    expect(bootstrapTokenFor(DEFAULT_URL, {}, devVars)).toBe("from-dev-vars");
    expect(bootstrapTokenFor("http://127.0.0.1:9000", {}, devVars)).toBe("from-dev-vars");
    expect(bootstrapTokenFor("https://api.example.com", {}, devVars)).toBeUndefined();
    expect(bootstrapTokenFor(DEFAULT_URL, {}, undefined)).toBeUndefined();
  });
});
