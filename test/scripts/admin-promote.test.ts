import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  bootstrapRequest,
  bootstrapTokenFor,
  DEFAULT_URL,
  parsePromoteArguments,
} from "../../scripts/lib/admin-promote.mjs";
import { BASE, registerUser, type UserBody } from "../support/api";

describe("npm run admin:promote", () => {
  it("sends a request the Worker accepts: the user becomes an admin", async () => {
    const user = await registerUser();
    const request = bootstrapRequest({
      url: `${BASE}/`,
      email: user.email,
      token: env.ADMIN_BOOTSTRAP_TOKEN as string,
    });
    expect(request.url).toBe(`${BASE}/api/admin/bootstrap`);
    // As through Cloudflare, which sets the client address the rate limit counts.
    request.headers.set("cf-connecting-ip", "192.0.2.200");
    const response = await exports.default.fetch(request);
    expect(response.status).toBe(200);
    expect(((await response.json()) as UserBody).role).toBe("admin");
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
