import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { parseBookmarkHeader } from "../../db/composite-bookmark";
import { isD1Bookmark } from "../../db/d1-bookmark";
import { d1Session } from "../../db/d1-session";
import type { AppEnv } from "../app-env";
import { HttpProblem, type ProblemInput } from "../problem";

/** The header a client's D1 bookmark travels in, both ways (ADR 0035). */
export const D1_BOOKMARK_HEADER = "x-d1-bookmark";

const invalidBookmark = (detail: string): ProblemInput => ({
  status: 400,
  code: "D1_BOOKMARK.INVALID",
  detail,
  errors: [{ field: `header.${D1_BOOKMARK_HEADER}`, message: "is not a bookmark of this API" }],
});

/** The 400 for an `x-d1-bookmark` header that is not a bookmark this API writes. */
export const malformedBookmark = () =>
  new HttpProblem(
    invalidBookmark(
      `The ${D1_BOOKMARK_HEADER} header is not a D1 bookmark; send the last one this API ` +
        "answered with, or none.",
    ),
  );

/**
 * Gives the request its D1 session (`c.var.d1`), starting from the client's `x-d1-bookmark`
 * when it sends one, and answers with the latest bookmark the request knows when it read or
 * wrote D1. A header that is not a bookmark this API writes is a 400 naming it, before anything
 * runs. The services shape's composite (ADR 0041) is one it writes, but names no bookmark of
 * this one database: it is accepted and ignored, so a client that held one across a change of
 * shape is not refused on every request.
 */
export const d1Sessions = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header(D1_BOOKMARK_HEADER);
    // The plain bookmark, the common case, is checked once; anything else must be a composite.
    const offered = header !== undefined && isD1Bookmark(header) ? header : undefined;
    if (header !== undefined && offered === undefined && !parseBookmarkHeader(header)) {
      throw malformedBookmark();
    }
    const session = d1Session(c.env.DB, offered);
    c.set("d1", session);
    await next();
    // Undefined unless the request read or wrote D1 (its session opened, or an object wrote).
    const bookmark = session.bookmark();
    if (bookmark !== undefined) c.res.headers.set(D1_BOOKMARK_HEADER, bookmark);
  });

// What D1 says of a bookmark it cannot use: one of another database, or from its future.
const D1_REJECTED_BOOKMARK = /D1_ERROR.*bookmark/i;

/**
 * The 400 for a D1 error that rejects the request's well-formed bookmark (one of another
 * database, say), when the request sent one; undefined for any other error.
 */
export function rejectedBookmark(error: Error, c: Context<AppEnv>): ProblemInput | undefined {
  if (c.req.header(D1_BOOKMARK_HEADER) === undefined) return undefined;
  if (!D1_REJECTED_BOOKMARK.test(error.message)) return undefined;
  return invalidBookmark(
    `D1 cannot start from the ${D1_BOOKMARK_HEADER} header's bookmark: it is not one of this ` +
      "API's database. Send the last one this API answered with, or none.",
  );
}
