import { beforeEach, describe, expect, it } from "vitest";
import {
  api,
  apiWith,
  PASSWORD,
  problemOf,
  registerUser,
  signedInAdmin,
  signedUpMember,
  uniqueEmail,
} from "../support/api";
import { roomInRateWindow } from "../support/rate-limits";

// The limits are the ones in wrangler.toml, a minute each: registration 5, login 10 and refresh
// 30 per address, password checks 30 per account.
async function untilLimited(send: () => Promise<Response>, allowed: number) {
  const statuses: number[] = [];
  for (let attempt = 0; attempt <= allowed; attempt++) statuses.push((await send()).status);
  return statuses;
}

describe("rate limits per client address", () => {
  // Each test counts up to a limit within one window; a window ending half-way would reset it.
  beforeEach(() => roomInRateWindow(), 70_000);
  it("limits registrations to 5 a minute, with Retry-After, per address", async () => {
    const ip = "203.0.113.1";
    const register = () =>
      api("/api/users", {
        method: "POST",
        ip,
        json: { email: uniqueEmail(), name: "Bot", password: PASSWORD },
      });
    const statuses = await untilLimited(register, 5);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await register();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await problemOf(limited)).toMatchObject({ code: "RATE_LIMITED" });
    // Another address is not affected.
    await registerUser();
  });

  it("limits logins to 10 a minute per address, whether they succeed or not", async () => {
    const user = await registerUser();
    const ip = "203.0.113.2";
    const attempt = () =>
      api("/api/auth/login", {
        method: "POST",
        ip,
        json: { email: user.email, password: "guessing the password" },
      });
    const statuses = await untilLimited(attempt, 10);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it("counts a whole IPv6 /64 as one address", async () => {
    const user = await registerUser();
    const attempt = (suffix: number) =>
      api("/api/auth/login", {
        method: "POST",
        ip: `2001:db8:1234:5678::${suffix.toString(16)}`,
        json: { email: `nobody${suffix}@example.com`, password: "guessing the password" },
      });
    const statuses: number[] = [];
    for (let suffix = 1; suffix <= 11; suffix++) statuses.push((await attempt(suffix)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    expect(user.id).toBeTruthy();
  });

  it("trusts cf-connecting-ipv6 only behind a Pseudo IPv4 address from 240.0.0.0/4", async () => {
    const guess = (index: number, headers: Record<string, string>, ip: string) =>
      api("/api/auth/login", {
        method: "POST",
        ip,
        headers,
        json: { email: `guess${index}@example.com`, password: "guessing the password" },
      });
    // Behind Pseudo IPv4 the stand-in changes, the client's /64 does not: one bucket.
    const pseudo: number[] = [];
    for (let index = 1; index <= 11; index++) {
      const ipv6 = { "cf-connecting-ipv6": `2001:db8:aaaa:1::${index.toString(16)}` };
      pseudo.push((await guess(index, ipv6, `240.0.${index}.1`)).status);
    }
    expect(pseudo.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(pseudo[10]).toBe(429);
    // With a real address, a made-up cf-connecting-ipv6 per guess changes nothing.
    const forged: number[] = [];
    for (let index = 1; index <= 11; index++) {
      const ipv6 = { "cf-connecting-ipv6": `2001:db8:${index.toString(16)}::1` };
      forged.push((await guess(100 + index, ipv6, "203.0.113.9")).status);
    }
    expect(forged.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(forged[10]).toBe(429);
  });

  it("puts every request without cf-connecting-ip in one bucket, not one per guess", async () => {
    // Other files' requests without the header share this bucket too, so count until limited.
    const statuses: number[] = [];
    for (let index = 1; index <= 11 && !statuses.includes(429); index++) {
      const response = await api("/api/auth/login", {
        method: "POST",
        ip: null,
        headers: { "cf-connecting-ipv6": `2001:db8:${index.toString(16)}::1` },
        json: { email: `unproxied${index}@example.com`, password: "guessing the password" },
      });
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 429).every((status) => status === 401)).toBe(
      true,
    );
  });

  it("limits logins to one account to 30 a minute, from any number of addresses", async () => {
    const user = await registerUser();
    const attempt = (index: number) =>
      api("/api/auth/login", {
        method: "POST",
        ip: `198.51.100.${index}`,
        json: { email: user.email.toUpperCase(), password: "guessing the password" },
      });
    const statuses: number[] = [];
    for (let index = 1; index <= 31; index++) statuses.push((await attempt(index)).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
  });

  it("limits guesses of the current password when changing it", async () => {
    const { user, token } = await signedUpMember();
    const statuses: number[] = [];
    for (let index = 0; index < 31; index++) {
      const response = await api(`/api/users/${user.id}/password`, {
        method: "POST",
        token,
        json: { currentPassword: `guess ${index}`, newPassword: "a brand new passphrase" },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(403));
    expect(statuses[30]).toBe(429);
  });

  it("limits email changes to 5 a minute per user, not renames, and not admins", async () => {
    const { user, token } = await signedUpMember();
    const change = (json: Record<string, string>) =>
      api(`/api/users/${user.id}`, { method: "PATCH", token, json });
    for (let index = 0; index < 5; index++) {
      expect((await change({ name: `Rename ${index}` })).status).toBe(200);
    }
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++) {
      statuses.push((await change({ email: uniqueEmail("probe") })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await change({ name: "Still fine" })).status).toBe(200);
    // Admins can list every email anyway: their changes are not limited.
    const admin = await signedInAdmin();
    for (let index = 0; index < 6; index++) {
      const byAdmin = await api(`/api/users/${user.id}`, {
        method: "PATCH",
        token: admin.token,
        json: { email: uniqueEmail("by-admin") },
      });
      expect(byAdmin.status).toBe(200);
    }
    // Another user has a budget of their own.
    const other = await signedUpMember();
    const theirs = await api(`/api/users/${other.user.id}`, {
      method: "PATCH",
      token: other.token,
      json: { email: uniqueEmail() },
    });
    expect(theirs.status).toBe(200);
  });

  // 62 requests: more than the default 5 s on a busy machine.
  it("limits searches to 60 a minute per address, and not plain listings", {
    timeout: 30_000,
  }, async () => {
    const ip = "203.0.113.60";
    const statuses: number[] = [];
    for (let index = 0; index < 61; index++) {
      statuses.push((await api(`/api/products?q=tea${index}`, { ip })).status);
    }
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(200));
    expect(statuses[60]).toBe(429);
    expect((await api("/api/products?sort=price", { ip })).status).toBe(200);
    expect((await api("/api/products?q=tea", { ip: "203.0.113.61" })).status).toBe(200);
  });

  it("limits readiness checks to 30 a minute per address", async () => {
    const ip = "203.0.113.70";
    const statuses: number[] = [];
    for (let index = 0; index < 31; index++) {
      statuses.push((await api("/health/ready", { ip })).status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses[30]).toBe(429);
    expect((await api("/health", { ip })).status).toBe(200);
  });

  it("limits refreshes to 30 a minute per address", async () => {
    const ip = "203.0.113.3";
    const attempt = () =>
      api("/api/auth/refresh", { method: "POST", ip, json: { refreshToken: "guess" } });
    const statuses = await untilLimited(attempt, 30);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
  });
});

/** An address in the /64 number `subnet` of the /48 `2001:db8:<site>::/48`. */
const inSite = (site: number, subnet: number) =>
  `2001:db8:${site.toString(16)}:${subnet.toString(16)}::1`;

/**
 * Sends `limit + 1` requests, each from another /64 of one /48: the last is refused. Then
 * another /48 and an IPv4 client are still served (`served` is their status).
 */
async function expectNetworkLimit(
  site: number,
  limit: number,
  served: number,
  send: (ip: string, index: number) => Promise<Response>,
) {
  const statuses: number[] = [];
  for (let subnet = 0; subnet <= limit; subnet++) {
    statuses.push((await send(inSite(site, subnet), subnet)).status);
  }
  expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(served));
  expect(statuses[limit]).toBe(429);
  expect((await send(inSite(site + 1, 0), limit + 1)).status).toBe(served);
  expect((await send(`198.51.100.${site % 250}`, limit + 2)).status).toBe(served);
}

describe("rate limits per IPv6 /48, four times the per-address ones", () => {
  // Up to 243 requests (2 s alone) in one window: wait for a window with room for them.
  beforeEach(() => roomInRateWindow(30), 70_000);

  it("limits registrations to 20 a minute per /48, however many /64s it spreads over", async () => {
    await expectNetworkLimit(0x4801, 20, 201, (ip) =>
      api("/api/users", {
        method: "POST",
        ip,
        json: { email: uniqueEmail("tunnel"), name: "Bot", password: PASSWORD },
      }),
    );
  });

  it("limits logins to 40 a minute per /48, however many /64s it spreads over", async () => {
    await expectNetworkLimit(0x4811, 40, 401, (ip, index) =>
      api("/api/auth/login", {
        method: "POST",
        ip,
        json: { email: `tunnel${index}@example.com`, password: "guessing the password" },
      }),
    );
  });

  it("counts the /48 behind a Pseudo IPv4 address too", async () => {
    const statuses: number[] = [];
    for (let subnet = 0; subnet <= 40; subnet++) {
      const response = await api("/api/auth/login", {
        method: "POST",
        ip: `240.1.${subnet}.1`,
        headers: { "cf-connecting-ipv6": inSite(0x4821, subnet) },
        json: { email: `pseudo${subnet}@example.com`, password: "guessing the password" },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 40)).toEqual(Array(40).fill(401));
    expect(statuses[40]).toBe(429);
  });

  it("limits searches to 240 a minute per /48, however many /64s it spreads over", {
    timeout: 120_000,
  }, async () => {
    await expectNetworkLimit(0x4831, 240, 200, (ip, index) =>
      api(`/api/products?q=tea${index}`, { ip }),
    );
  });

  it("limits readiness checks to 120 a minute per /48, however many /64s it spreads over", {
    timeout: 120_000,
  }, async () => {
    await expectNetworkLimit(0x4841, 120, 200, (ip) => api("/health/ready", { ip }));
  });
});

describe("CORS", () => {
  const preflight = (origin: string, bindings: Partial<Env>) =>
    apiWith(bindings, "/api/users", {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST" },
    });

  it("allows no origin by default", async () => {
    const response = await preflight("https://evil.example", {});
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly the origins in CORS_ORIGINS", async () => {
    const bindings = { CORS_ORIGINS: "https://app.example.com, https://admin.example.com" };
    const allowed = await preflight("https://admin.example.com", bindings);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    expect(allowed.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    // A preflight is answered by CORS, and still gets every response's headers.
    expect(allowed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(allowed.headers.get("x-content-type-options")).toBe("nosniff");
    const refused = await preflight("https://evil.example", bindings);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();

    const simple = await apiWith(bindings, "/health", {
      headers: { origin: "https://app.example.com" },
    });
    expect(simple.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(simple.headers.get("access-control-expose-headers")).toMatch(/etag/i);
    expect(simple.headers.get("vary")).toMatch(/origin/i);
  });

  it("adds no CORS headers without an Origin, but still varies on it for caches", async () => {
    const response = await apiWith({ CORS_ORIGINS: "https://app.example.com" }, "/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-expose-headers")).toBeNull();
    expect(response.headers.get("vary")).toMatch(/origin/i);
  });
});
