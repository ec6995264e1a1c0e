import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, signedInAdmin } from "../support/api";
import { breakProjections, d1EventsOf, executeIn, logOf, readLog } from "../support/event-logs";
import { createProduct, type ProductBody } from "../support/products";

const adjust = (token: string, id: string) =>
  api(`/api/products/${id}/stock`, { method: "POST", token, json: { delta: -1, reason: "sold" } });

const projectedVersionOf = async (id: string) =>
  (
    (await env.DB.prepare("SELECT version FROM products WHERE id = ?").bind(id).first()) as {
      version: number;
    }
  ).version;

describe("group-committed projections", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers each of 40 concurrent commands only once D1 holds its version", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 100 });
    const seen = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await adjust(token, product.id);
        const { version } = (await response.json()) as ProductBody;
        // Read at once, as the client would: its own write must already be there.
        return { version, inD1: await projectedVersionOf(product.id) };
      }),
    );
    for (const { version, inD1 } of seen) expect(inD1).toBeGreaterThanOrEqual(version);
    expect(seen.map((s) => s.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 2),
    );
    const { head, events } = await readLog(logOf("product", product.id));
    expect(head).toMatchObject({ version: 41, projectedVersion: 41 });
    expect(await d1EventsOf(product.id)).toEqual(
      events.map(({ version, type }) => ({ version, type })),
    );
  });

  it("shares projections among concurrent commands: 20 commands, far fewer D1 attempts", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { stock: 100 });
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const repair = await breakProjections();
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          executeIn("product", product.id, { type: "AdjustStock", delta: -1, reason: "sold" }),
        ),
      );
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    } finally {
      await repair();
    }
    // Each failed attempt logs once. One projection per command would fail 20 times; with one
    // in flight carrying every version appended so far, each attempt answers every command
    // that arrived before it started (how many that is depends on arrival times).
    const failures = errors.mock.calls.filter(([line]) =>
      String(line).includes("projection failed"),
    );
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThan(10);
    expect((await readLog(logOf("product", product.id))).head).toMatchObject({
      version: 21,
      projectedVersion: 1,
    });
  });
});
