import type { Middleware } from "openapi-fetch";

const HEADER = "x-d1-bookmark";

/** Where a client keeps the latest D1 bookmark the API answered it with. */
export interface BookmarkHolder {
  d1Bookmark?: string | undefined;
}

/**
 * Read-your-writes across D1's replicas without the caller doing anything: every answer's
 * `x-d1-bookmark` is kept when it is newer than the one held (bookmarks sort by their position
 * in the database), and every request sends the one held, so a read after a write sees at least
 * that write, from whichever replica answers. A caller's own `x-d1-bookmark` header wins.
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
      if (bookmark && (holder.d1Bookmark === undefined || bookmark > holder.d1Bookmark)) {
        holder.d1Bookmark = bookmark;
      }
      return undefined;
    },
  };
}
