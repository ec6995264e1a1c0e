import type { Middleware } from "openapi-fetch";

const HEADER = "x-d1-bookmark";

/** Where a client keeps the latest D1 bookmark the API answered it with. */
export interface BookmarkHolder {
  d1Bookmark?: string | undefined;
}

/**
 * The bookmarks of a composite header, by service (`orders:<bm>,products:<bm>`): what an API
 * whose services each have their own database answers. Undefined for a plain bookmark.
 */
function componentsOf(header: string): Map<string, string> | undefined {
  const components = new Map<string, string>();
  for (const part of header.split(",")) {
    const colon = part.indexOf(":");
    if (colon < 0) return undefined;
    components.set(part.slice(0, colon), part.slice(colon + 1));
  }
  return components;
}

/**
 * The header to hold after an answer: the newer bookmark of a plain pair (bookmarks sort by
 * their position in the database), each service's newer one of a composite pair (so answers to
 * concurrent requests, each moving one database on, never lose another's move), and the answer
 * when the two are of different kinds (the API changed shape).
 */
export function newerD1Bookmark(held: string | undefined, answered: string): string {
  if (held === undefined) return answered;
  const heldComponents = componentsOf(held);
  const answeredComponents = componentsOf(answered);
  if (heldComponents === undefined && answeredComponents === undefined) {
    return answered > held ? answered : held;
  }
  if (heldComponents === undefined || answeredComponents === undefined) return answered;
  for (const [service, bookmark] of answeredComponents) {
    const kept = heldComponents.get(service);
    if (kept === undefined || bookmark > kept) heldComponents.set(service, bookmark);
  }
  return [...heldComponents]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([service, bookmark]) => `${service}:${bookmark}`)
    .join(",");
}

/**
 * Read-your-writes across D1's replicas without the caller doing anything: every answer's
 * `x-d1-bookmark` is kept when it is newer than the one held (see `newerD1Bookmark`), and every
 * request sends the one held, so a read after a write sees at least that write, from whichever
 * replica answers. A caller's own `x-d1-bookmark` header wins.
 */
export function d1Bookmarks(holder: BookmarkHolder): Middleware {
  return {
    onRequest({ request }) {
      const bookmark = holder.d1Bookmark;
      if (bookmark === undefined || request.headers.has(HEADER)) return undefined;
      request.headers.set(HEADER, bookmark);
      return request;
    },
    onResponse({ response }) {
      const bookmark = response.headers.get(HEADER);
      if (bookmark) holder.d1Bookmark = newerD1Bookmark(holder.d1Bookmark, bookmark);
      return undefined;
    },
  };
}
