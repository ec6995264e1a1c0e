import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { CommandAnswer } from "../../src/eventlog/event-log.contract";
import type { AppEnv } from "../../src/gateway/app-env";
import { handleError } from "../../src/gateway/error-handler";
import { responseEnvelope } from "../../src/gateway/middleware/response-envelope.middleware";
import { api, apiWith, PASSWORD, problemOf, signedInAdmin, signedUpMember } from "../support/api";
import { logOf, restartLog } from "../support/event-logs";
import { createProduct } from "../support/products";

const HEADER = "x-d1-bookmark";
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

const bookmarkOf = (response: Response) => response.headers.get(HEADER);

/**
 * Local D1 has no replicas, but its bookmarks are real positions: each statement moves the
 * database one step on (the second group). A session that starts from the latest position and
 * runs one query is then exactly one step past it.
 */
const stepOf = (bookmark: string) => Number.parseInt(bookmark.split("-")[1] ?? "", 16);
async function latestStep(): Promise<number> {
  const session = env.DB.withSession("first-primary");
  await session.prepare("SELECT 1").run();
  return stepOf(session.getBookmark() ?? "") - 1;
}

describe("D1 bookmarks (x-d1-bookmark)", () => {
  it("answers a command with a bookmark that covers its projection; a read sending it sees that version", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const changed = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      token,
      headers: { "if-match": `"${product.version}"` },
      json: { name: "Lapsang Souchong" },
    });
    expect(changed.status).toBe(200);
    const version = Number(JSON.parse(changed.headers.get("etag") ?? "0"));
    expect(version).toBe(product.version + 1);
    const bookmark = bookmarkOf(changed) ?? "";
    expect(bookmark).toMatch(BOOKMARK);
    // The object's projection was the last thing D1 ran: the answer's bookmark is its position,
    // not the older one of the request's own read (the caller's account, before the command).
    expect(stepOf(bookmark)).toBe(await latestStep());

    const read = await api(`/api/products/${product.id}`, { headers: { [HEADER]: bookmark } });
    expect(read.status).toBe(200);
    expect(Number(JSON.parse(read.headers.get("etag") ?? "0"))).toBeGreaterThanOrEqual(version);
    expect(((await read.json()) as { name: string }).name).toBe("Lapsang Souchong");
    // A read never answers with a bookmark older than the one it was sent.
    expect((bookmarkOf(read) ?? "") >= bookmark).toBe(true);
  });

  it("answers a malformed bookmark with a 400 that names the header, never a 500", async () => {
    const malformed = [
      "garbage",
      "",
      "0000007B-0000B26E-00001538-0C3E87BB37B3DB5CC52EEDB93CD3B96B",
      "0000007b-0000b26e-00001538",
      `0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b${"0".repeat(4000)}`,
    ];
    for (const bookmark of malformed) {
      for (const path of ["/api/products", "/health/ready"]) {
        const response = await api(path, { headers: { [HEADER]: bookmark } });
        expect(response.status, `${path} with ${bookmark.slice(0, 40)}`).toBe(400);
        expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        const problem = await problemOf(response);
        expect(problem.code).toBe("D1_BOOKMARK.INVALID");
        expect(problem.detail).toContain(HEADER);
        expect(problem.errors).toEqual([
          { field: `header.${HEADER}`, message: expect.any(String) },
        ]);
        expect(bookmarkOf(response)).toBeNull();
      }
    }
  });

  it("accepts the services shape's composite and ignores it: it names no bookmark of this database", async () => {
    const composite = `orders:${"0".repeat(8)}-00000001-00000000-${"0".repeat(32)},products:${"f".repeat(8)}-ffffffff-ffffffff-${"f".repeat(32)}`;
    for (const path of ["/api/products", "/health/ready"]) {
      const response = await api(path, { headers: { [HEADER]: composite } });
      expect(response.status, path).toBe(200);
      // A plain bookmark of this database, from a session that did not start from either.
      const bookmark = bookmarkOf(response) ?? "";
      expect(bookmark).toMatch(BOOKMARK);
      expect(stepOf(bookmark)).toBeLessThan(0xffffffff);
    }
  });

  it("puts a bookmark on every answer that read D1, and on none that did not", async () => {
    const reads = [
      await api("/api/products"),
      await api("/health/ready"),
      await api("/api/products/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f72"),
      await api("/api/auth/login", {
        method: "POST",
        json: { email: "nobody@example.com", password: "not the password at all" },
      }),
    ];
    expect(reads.map((response) => response.status)).toEqual([200, 200, 404, 401]);
    for (const response of reads) expect(bookmarkOf(response)).toMatch(BOOKMARK);

    const liveness = await api("/health");
    expect(liveness.status).toBe(200);
    expect(bookmarkOf(liveness)).toBeNull();
  });

  it("lets browsers send the header and read it (CORS)", async () => {
    const bindings = { CORS_ORIGINS: "https://app.example.com" };
    const preflight = await apiWith(bindings, "/api/products", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "GET",
        "access-control-request-headers": HEADER,
      },
    });
    expect(preflight.headers.get("access-control-allow-headers")).toContain(HEADER);
    const read = await apiWith(bindings, "/api/products", {
      headers: { origin: "https://app.example.com" },
    });
    expect(read.headers.get("access-control-expose-headers")).toContain(HEADER);
    expect(bookmarkOf(read)).toMatch(BOOKMARK);
  });
});

describe("a well-formed bookmark that D1 refuses (one of another database)", () => {
  // Local D1 takes any bookmark, so D1's refusal is thrown here as production D1 reports its
  // errors ("D1_ERROR: ..."); the wording naming the bookmark is our assumption (ADR 0035).
  const failingWith = (message: string) => {
    const app = new Hono<AppEnv>();
    app.use(responseEnvelope());
    app.get("/", () => {
      throw new Error(message);
    });
    app.onError(handleError);
    return app;
  };
  const foreign = "0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b";

  it("is a 400 naming the header when the request sent a bookmark, and a 500 otherwise", async () => {
    const refused = failingWith("D1_ERROR: Invalid bookmark for this database");
    const withBookmark = await refused.request("/", { headers: { [HEADER]: foreign } });
    expect(withBookmark.status).toBe(400);
    expect(await problemOf(withBookmark)).toMatchObject({
      code: "D1_BOOKMARK.INVALID",
      errors: [{ field: `header.${HEADER}` }],
    });
    expect((await refused.request("/")).status).toBe(500);
    const otherError = failingWith("D1_ERROR: no such table: products");
    expect((await otherError.request("/", { headers: { [HEADER]: foreign } })).status).toBe(500);
  });
});

describe("an event-log object's answer", () => {
  it("carries a bookmark, also when a restarted object answers a repeat from its stored outcome", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const request = {
      aggregateType: "product",
      aggregateId: product.id,
      command: { type: "AdjustStock", delta: -1, reason: "sold" },
      commandId: crypto.randomUUID(),
    };
    const first = (await logOf("product", product.id).execute(request)) as CommandAnswer;
    expect(first.d1Bookmark).toMatch(BOOKMARK);
    await restartLog("product", product.id);

    const again = (await logOf("product", product.id).execute(request)) as CommandAnswer;
    expect(again.ok).toBe(true);
    expect(again.d1Bookmark).toMatch(BOOKMARK);
    expect((again.d1Bookmark ?? "") >= (first.d1Bookmark ?? "")).toBe(true);
  });
});

/**
 * Records, for each D1 statement prepared on a session, the constraint or bookmark that session
 * started from; calls through to the real D1 (a spy, not a stand-in).
 */
function recordSessionStarts() {
  const binding = Object.getPrototypeOf(env.DB) as {
    withSession: (this: D1Database, start?: string) => D1DatabaseSession;
  };
  const { withSession } = binding;
  const prepared: { sql: string; start: string }[] = [];
  binding.withSession = function recordStart(start) {
    const session = withSession.call(this, start);
    const prepare = session.prepare.bind(session);
    session.prepare = (sql: string) => {
      prepared.push({ sql, start: String(start) });
      return prepare(sql);
    };
    return session;
  };
  return {
    startsOf: (pattern: RegExp) =>
      prepared.filter(({ sql }) => pattern.test(sql)).map((p) => p.start),
    stop() {
      binding.withSession = withSession;
    },
  };
}

describe("the caller's account with a bookmark", () => {
  it("is read at the primary, so a deactivation applies at once even from a replica's bookmark", async () => {
    const { token } = await signedInAdmin();
    const first = await api("/api/users/me", { token });
    const bookmark = bookmarkOf(first) ?? "";
    expect(bookmark).toMatch(BOOKMARK);

    const recorder = recordSessionStarts();
    try {
      const me = await api("/api/users/me", { token, headers: { [HEADER]: bookmark } });
      expect(me.status).toBe(200);
      // The lookup that authenticates (the account with its password hash) ran in a session that
      // started at the primary, not from the client's bookmark.
      const lookups = recorder.startsOf(/join "user_credentials"/);
      expect(lookups.length).toBeGreaterThan(0);
      expect(lookups.every((start) => start === "first-primary")).toBe(true);
      // And the answer's bookmark is at least the one sent.
      expect((bookmarkOf(me) ?? "") >= bookmark).toBe(true);
    } finally {
      recorder.stop();
    }
  });

  it("is read at the primary when logging in with a bookmark, so an old password never works", async () => {
    const { user, token } = await signedUpMember();
    const bookmark = bookmarkOf(await api("/api/users/me", { token })) ?? "";
    expect(bookmark).toMatch(BOOKMARK);

    const recorder = recordSessionStarts();
    try {
      const login = await api("/api/auth/login", {
        method: "POST",
        headers: { [HEADER]: bookmark },
        json: { email: user.email, password: PASSWORD },
      });
      expect(login.status).toBe(200);
      const lookups = recorder.startsOf(/join "user_credentials"/);
      expect(lookups.length).toBeGreaterThan(0);
      expect(lookups.every((start) => start === "first-primary")).toBe(true);
    } finally {
      recorder.stop();
    }
  });
});
