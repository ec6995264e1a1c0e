import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newerD1Bookmark } from "../../client/src/d1-bookmark";
import { createApiClient, unwrap } from "../../client/src/index";
import { BASE, checked, PASSWORD, uniqueEmail } from "../support/api";

const HEADER = "x-d1-bookmark";

// A plain D1 bookmark (the monolith), or one per service database (the services shape, ADR 0041).
const BOOKMARK = /^([a-z][a-z0-9-]*:)?[0-9a-f]{8}-/;

/** Whether `answered` is at least as new as `sent`, in every database it names. */
const atLeast = (answered: string | null, sent: string | null) =>
  answered !== null && (sent === null || newerD1Bookmark(sent, answered) === answered);

/** The typed client over the Worker under test, recording what it sends and gets back. */
function clientOfTheWorker() {
  const exchanges: { sent: string | null; got: string | null; path: string }[] = [];
  const client = createApiClient({
    baseUrl: BASE,
    fetch: async (request: Request) => {
      const sent = request.headers.get(HEADER);
      const response = await checked(request, await exports.default.fetch(request));
      exchanges.push({
        sent,
        got: response.headers.get(HEADER),
        path: new URL(request.url).pathname,
      });
      return response;
    },
  });
  return { client, exchanges };
}

describe("the typed client's D1 bookmark", () => {
  it("keeps the latest bookmark of the session and sends it on every request, unasked", async () => {
    const { client, exchanges } = clientOfTheWorker();
    const email = uniqueEmail("bookmarks");
    const registered = await unwrap(
      client.POST("/api/users", { body: { email, name: "Grace Hopper", password: PASSWORD } }),
    );
    // The first request had nothing to send; its answer (a command) carried a bookmark.
    expect(exchanges[0]?.sent).toBeNull();
    const afterRegistration = exchanges[0]?.got ?? "";
    expect(afterRegistration).toMatch(BOOKMARK);
    expect(client.session.d1Bookmark).toBe(afterRegistration);

    await client.login({ email, password: PASSWORD });
    expect(exchanges[1]?.sent).toBe(afterRegistration);

    const me = await client.GET("/api/users/me");
    expect(me.response.status).toBe(200);
    expect(me.data?.id).toBe(registered.id);
    // Each request sends the newest bookmark the client has seen so far.
    expect(exchanges[2]?.sent).toBe(exchanges[1]?.got);
    expect(client.session.d1Bookmark).toBe(exchanges[2]?.got);
    for (const { sent, got } of exchanges.slice(1)) expect(atLeast(got, sent)).toBe(true);
  });

  it("leaves a bookmark the caller passes alone", async () => {
    const { client, exchanges } = clientOfTheWorker();
    await client.GET("/api/products");
    const held = client.session.d1Bookmark;
    expect(held).toBeDefined();
    const own = "00000000-00000000-00000000-00000000000000000000000000000000";
    await client.GET("/api/products", { params: { header: { [HEADER]: own } } });
    expect(exchanges[1]?.sent).toBe(own);
    // An older bookmark in an answer never replaces a newer one held.
    expect(atLeast(client.session.d1Bookmark ?? null, held ?? null)).toBe(true);
  });
});
