import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import {
  type CompositeBookmark,
  formatCompositeBookmark,
  mergeCompositeBookmarks,
  NO_BOOKMARKS,
  parseBookmarkHeader,
} from "../db/composite-bookmark";
import { isD1Bookmark } from "../db/d1-bookmark";
import type { AppEnv } from "./app-env";
import { D1_BOOKMARK_HEADER, malformedBookmark } from "./middleware/d1-session.middleware";

// The services shape's gateway (ADR 0041): the client holds one bookmark per service database,
// as a composite header; each service is sent only its own database's bookmark, since D1
// refuses one of another database, and its answer's bookmark goes back merged into the rest.

/**
 * The bookmarks the request offers, by service, read once per request (the check before the
 * routes, then the forwarder). A malformed header is the monolith's 400 naming it; a plain
 * bookmark (from the monolith) is accepted and names no service.
 */
export function offeredBookmarks(c: Context<AppEnv>): CompositeBookmark {
  const read = c.get("offeredBookmarks");
  if (read !== undefined) return read;
  const header = c.req.header(D1_BOOKMARK_HEADER);
  const offered = header === undefined ? NO_BOOKMARKS : parseBookmarkHeader(header);
  if (offered === undefined) throw malformedBookmark();
  c.set("offeredBookmarks", offered);
  return offered;
}

/** A malformed header is a 400 before anything runs, as in the monolith. */
export const bookmarkHeaderChecked = () =>
  createMiddleware<AppEnv>((c, next) => {
    offeredBookmarks(c);
    return next();
  });

/** The request as `service` gets it: with its own database's bookmark, if the client has one. */
export function requestForService(
  request: Request,
  offered: CompositeBookmark,
  service: string,
): Request {
  const own = offered.get(service);
  if (own === undefined && !request.headers.has(D1_BOOKMARK_HEADER)) return request;
  // A new request: the incoming one's headers are immutable.
  const headers = new Headers(request.headers);
  if (own === undefined) headers.delete(D1_BOOKMARK_HEADER);
  else headers.set(D1_BOOKMARK_HEADER, own);
  return new Request(request, { headers });
}

/**
 * Replaces the plain bookmark `service` answered with by the composite the client then holds:
 * what it offered, with that service's component made the newer of the two. An answer that
 * read no D1 carries none, as in the monolith.
 */
export function answerWithComposite(
  response: Response,
  offered: CompositeBookmark,
  service: string,
): void {
  const answered = response.headers.get(D1_BOOKMARK_HEADER);
  response.headers.delete(D1_BOOKMARK_HEADER);
  if (answered === null || !isD1Bookmark(answered)) return;
  const held = mergeCompositeBookmarks(offered, new Map([[service, answered]]));
  const composite = formatCompositeBookmark(held);
  if (composite !== undefined) response.headers.set(D1_BOOKMARK_HEADER, composite);
}
