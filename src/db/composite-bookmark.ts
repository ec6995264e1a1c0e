import { isD1Bookmark, newerBookmark } from "./d1-bookmark";

// In the services shape each service has its own D1 database, and a bookmark of one is refused
// by another. The gateway then carries one bookmark per database in `x-d1-bookmark`, each named
// by the service that owns it, sorted by name: `orders:<bm>,products:<bm>,users:<bm>` (ADR 0041).

/** One D1 bookmark per service database, by service name. */
export type CompositeBookmark = ReadonlyMap<string, string>;

/** No bookmark of any database: what a request without the header, or a plain one, offers. */
export const NO_BOOKMARKS: CompositeBookmark = new Map();

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * More components than any deployment has services is not a header this API wrote; the bound
 * also keeps a client from making the gateway echo an ever longer header.
 */
export const MAX_COMPONENTS = 16;

/**
 * The bookmarks an `x-d1-bookmark` value names, by service; undefined when it is neither a
 * composite nor a plain D1 bookmark (a malformed header). A plain bookmark (the monolith's)
 * belongs to no service that can be known, so it names none: it is accepted and ignored.
 */
export function parseBookmarkHeader(value: string): CompositeBookmark | undefined {
  if (isD1Bookmark(value)) return NO_BOOKMARKS;
  const parts = value.split(",");
  if (parts.length > MAX_COMPONENTS) return undefined;
  const components = new Map<string, string>();
  for (const part of parts) {
    const colon = part.indexOf(":");
    const name = part.slice(0, colon);
    const bookmark = part.slice(colon + 1);
    if (colon < 0 || !SERVICE_NAME.test(name) || !isD1Bookmark(bookmark)) return undefined;
    if (components.has(name)) return undefined;
    components.set(name, bookmark);
  }
  return components;
}

/** The header value of `components`, sorted by service name; undefined when there are none. */
export function formatCompositeBookmark(components: CompositeBookmark): string | undefined {
  if (components.size === 0) return undefined;
  return [...components]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, bookmark]) => `${name}:${bookmark}`)
    .join(",");
}

/**
 * Every service's newer bookmark of the two: a component only one side names is kept as is, so
 * merging never loses a database's latest position, whatever order answers arrive in.
 */
export function mergeCompositeBookmarks(
  a: CompositeBookmark,
  b: CompositeBookmark,
): CompositeBookmark {
  const merged = new Map(a);
  for (const [name, bookmark] of b) {
    merged.set(name, newerBookmark(merged.get(name), bookmark) ?? bookmark);
  }
  return merged;
}
