import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../gateway/app-env";
import { D1_BOOKMARK_HEADER } from "../../../gateway/middleware/d1-session.middleware";
import { notModified } from "../../../gateway/resource-responses";
import { parseProductId } from "../domain/product-id.value-object";

/**
 * Anonymous catalogue reads from the Workers Cache API of the Cloudflare location (ADR 0034).
 * The catalogue is the same for everyone who sends no token, and read far more often than it
 * changes. A few seconds of staleness is what a shop window can take: stock is shown, never
 * trusted, since orders reserve from each product's own log.
 */

/** The cache's name in `Cache-Status` (RFC 9211). */
const CACHE_NAME = "edge-commerce-api";

/**
 * Keys are URLs on the request's own host, as Cloudflare asks (another host costs a DNS lookup):
 * a location's cache is per zone, and a change forgets the entries of the host it came through.
 * The generation's path is no route of the API, so no request reads it as a page.
 */
const keyOrigin = (c: Context<AppEnv>) => new URL(c.req.url).origin;
const generationKey = (origin: string) => `${origin}/api/products/.cache-generation`;

/** Only what a cached answer needs; the request's own headers (its id, CORS) come from the app. */
const KEPT_HEADERS = ["content-type", "etag"];

/** The kept headers that `from` has. */
function keptHeaders(from: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = from.get(name);
    if (value !== null) kept[name] = value;
  }
  return kept;
}

const DEFAULT_SECONDS = 10;

/** `CATALOG_CACHE_SECONDS`: whole seconds, 0 turns the cache off; anything else is the default. */
export function catalogCacheSeconds(env: Env): number {
  const raw = env.CATALOG_CACHE_SECONDS?.trim();
  return raw !== undefined && /^\d{1,5}$/.test(raw) ? Number(raw) : DEFAULT_SECONDS;
}

const cacheStatus = (detail: string) => `${CACHE_NAME}; ${detail}`;

/**
 * Lists are keyed by a generation that any product change moves on, since no one can list which
 * cached pages held the product: their old entries are then never read again, and expire.
 */
async function listGeneration(cache: Cache, origin: string): Promise<string> {
  return (await (await cache.match(generationKey(origin)))?.text()) ?? "0";
}

const productKey = (origin: string, id: string) =>
  `${origin}/api/products/${encodeURIComponent(id)}`;

/** The cache key of the request; undefined for a product id that is none (the route's 400). */
async function keyOf(c: Context<AppEnv>, cache: Cache): Promise<string | undefined> {
  const url = new URL(c.req.url);
  const id = c.req.param("id");
  if (id !== undefined) return parseProductId(id).ok ? productKey(url.origin, id) : undefined;
  // The same query in another order is the same page.
  url.searchParams.sort();
  url.searchParams.set("generation", await listGeneration(cache, url.origin));
  return `${url.origin}/api/products?${url.searchParams}`;
}

const bypasses = (c: Context<AppEnv>) =>
  c.req.header("authorization") !== undefined || c.req.header(D1_BOOKMARK_HEADER) !== undefined;

/** The cached answer to `c`'s request, with its `ETag` honoured as the route honours it. */
async function fromCache(c: Context<AppEnv>, cached: Response): Promise<Response> {
  c.header("Cache-Status", cacheStatus("hit"));
  const etag = cached.headers.get("etag");
  // A product's ETag is its version ("3"); lists have none.
  const unchanged = etag === null ? undefined : notModified(c, Number(etag.replaceAll('"', "")));
  if (unchanged) return unchanged;
  return c.body(await cached.arrayBuffer(), 200, keptHeaders(cached.headers));
}

/**
 * The middleware of `GET /api/products` and `GET /api/products/{id}`: a request without a token
 * or a D1 bookmark is answered from the cache when it holds the answer, or stores the answer
 * (200s only, so an archived product's 404 is never kept) for `CATALOG_CACHE_SECONDS`.
 */
export const catalogCache = createMiddleware<AppEnv>(async (c, next) => {
  const seconds = catalogCacheSeconds(c.env);
  if (seconds === 0) return next();
  if (bypasses(c)) {
    await next();
    c.res.headers.set("Cache-Status", cacheStatus("fwd=bypass"));
    return;
  }
  const cache = caches.default;
  const key = await keyOf(c, cache);
  if (key === undefined) return next();
  const cached = await cache.match(key);
  if (cached) return fromCache(c, cached);

  await next();
  // A 304 to a conditional miss has no body to keep.
  if (c.res.status !== 200) {
    c.res.headers.set("Cache-Status", cacheStatus("fwd=miss"));
    return;
  }
  const stored = { "cache-control": `max-age=${seconds}`, ...keptHeaders(c.res.headers) };
  const body = await c.res.clone().arrayBuffer();
  c.executionCtx.waitUntil(cache.put(key, new Response(body, { headers: stored })));
  c.res.headers.set("Cache-Status", cacheStatus("fwd=miss; stored"));
});

/**
 * After a change to product `id`, in this location and under the host the change came through:
 * its own entry is deleted and every cached list page is left behind. Other locations see the
 * change when their entries expire.
 */
export async function forgetCachedProduct(c: Context<AppEnv>, id: string): Promise<void> {
  const seconds = catalogCacheSeconds(c.env);
  if (seconds === 0) return;
  const cache = caches.default;
  const origin = keyOrigin(c);
  await Promise.all([
    cache.delete(productKey(origin, id)),
    cache.put(
      generationKey(origin),
      new Response(`${Date.now()}`, {
        // Longer than any list entry lives, so an old generation's pages are gone before it is.
        headers: { "cache-control": `max-age=${Math.max(60, seconds * 6)}` },
      }),
    ),
  ]);
}
