import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseBookmarkHeader } from "../../src/db/composite-bookmark";
import { api, signedInAdmin } from "../support/api";
import { createProduct } from "../support/products";

// D1 bookmarks through the services shape's real Workers (ADR 0041): the gateway, and each
// service on its own D1 database. Only that shape has more than one database, so this file is
// for the "services" project; elsewhere (the monolith's runner) it skips.
const SERVICES_SHAPE = (env as { TEST_SHAPE?: string }).TEST_SHAPE === "services";
//
// Local D1 takes any well-formed bookmark and a session then answers at least that position
// (ADR 0035): a forged bookmark far ahead shows, in the answer, which database was sent it.

const HEADER = "x-d1-bookmark";
const FAR_AHEAD = "0000007b-7fffffff-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b";

/** The answer's bookmark of each service database. */
function bookmarksOf(response: Response): Map<string, string> {
  const header = response.headers.get(HEADER);
  expect(header, "the answer's x-d1-bookmark").not.toBeNull();
  const parsed = parseBookmarkHeader(header ?? "");
  expect(parsed, `a composite: ${header}`).toBeDefined();
  return new Map(parsed);
}

describe.skipIf(!SERVICES_SHAPE)("D1 bookmarks in the services shape", () => {
  it("answers one bookmark per database, and a read sending it back sees the write", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);
    const changed = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      token,
      headers: { "if-match": `"${product.version}"` },
      json: { name: "Lapsang Souchong" },
    });
    expect(changed.status).toBe(200);
    const afterChange = bookmarksOf(changed);
    expect([...afterChange.keys()]).toEqual(["products"]);

    const me = await api("/api/users/me", {
      token,
      headers: { [HEADER]: changed.headers.get(HEADER) ?? "" },
    });
    expect(me.status).toBe(200);
    const held = bookmarksOf(me);
    // The users service answered its own; the products one came back as it was sent.
    expect([...held.keys()]).toEqual(["products", "users"]);
    expect(held.get("products")).toBe(afterChange.get("products"));

    const read = await api(`/api/products/${product.id}`, {
      headers: { [HEADER]: me.headers.get(HEADER) ?? "" },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { name: string }).name).toBe("Lapsang Souchong");
    const after = bookmarksOf(read);
    expect(after.get("users")).toBe(held.get("users"));
    expect((after.get("products") ?? "") >= (held.get("products") ?? "")).toBe(true);
  });

  it("sends each service only its own database's bookmark", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token);

    // Another database's bookmark, far ahead: the products service is never sent it.
    const elsewhere = await api(`/api/products/${product.id}`, {
      headers: { [HEADER]: `orders:${FAR_AHEAD},users:${FAR_AHEAD}` },
    });
    expect(elsewhere.status).toBe(200);
    const answered = bookmarksOf(elsewhere);
    expect(answered.get("products")).not.toBe(FAR_AHEAD);
    expect((answered.get("products") ?? "") < FAR_AHEAD).toBe(true);
    expect(answered.get("orders")).toBe(FAR_AHEAD);
    expect(answered.get("users")).toBe(FAR_AHEAD);

    // Its own database's: the products service starts from it.
    const own = await api(`/api/products/${product.id}`, {
      headers: { [HEADER]: `products:${FAR_AHEAD}` },
    });
    expect(own.status).toBe(200);
    expect((bookmarksOf(own).get("products") ?? "") >= FAR_AHEAD).toBe(true);
  });

  it("accepts a plain bookmark (the monolith's) and sends it to no service", async () => {
    const read = await api("/api/products", { headers: { [HEADER]: FAR_AHEAD } });
    expect(read.status).toBe(200);
    const answered = bookmarksOf(read);
    expect([...answered.keys()]).toEqual(["products"]);
    expect((answered.get("products") ?? "") < FAR_AHEAD).toBe(true);
  });

  it("answers a malformed header with the monolith's 400 naming it", async () => {
    for (const path of ["/api/products", "/api/users/me", "/health/ready"]) {
      const response = await api(path, { headers: { [HEADER]: "products:garbage" } });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({
        code: "D1_BOOKMARK.INVALID",
        errors: [{ field: `header.${HEADER}` }],
      });
    }
  });
});
