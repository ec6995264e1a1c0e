import { type Database, openDatabase } from "./client";
import { newerBookmark } from "./d1-bookmark";

/** Where a session's first query may go: D1's session constraints. */
export type SessionStart = "first-primary" | "first-unconstrained";

/** What learns the bookmark of a write made in another session (an event-log object's). */
export interface BookmarkSink {
  learn(bookmark: string | undefined): void;
}

/**
 * One D1 session (`withSession`) for a request or an event-log object: every query through it
 * sees at least the state of the queries before it, from whichever replica is close and new
 * enough. Opened on first use, so a request that never reads D1 opens none.
 */
export interface D1Session extends BookmarkSink {
  /**
   * A session whose first query goes to the primary, for reads that must never lag (the
   * caller's account, its password, its sessions): this one, started at the primary, when the
   * client sent no bookmark; otherwise a second session, since one that starts from a bookmark
   * may read a replica. The second one's bookmark counts in this one's. Starting this one at
   * the primary has no effect once it is open: its callers run before anything reads.
   */
  atPrimary(): D1Session;
  /** Drizzle over the session, opening it on first call. */
  db(): Database;
  /**
   * The latest bookmark known: the session's own, or a newer one learned from elsewhere;
   * undefined while the session is unopened and has learned none.
   */
  bookmark(): string | undefined;
}

/**
 * A session over `d1` that starts from `bookmark` (already checked with `isD1Bookmark`), or
 * without one from `start` (`atPrimary` may move it to the primary before it opens).
 */
export function d1Session(
  d1: D1Database,
  bookmark?: string,
  start: SessionStart = "first-unconstrained",
): D1Session {
  let session: D1DatabaseSession | undefined;
  let db: Database | undefined;
  let learned: string | undefined;
  let primary: D1Session | undefined;
  const self: D1Session = {
    atPrimary() {
      if (bookmark === undefined) {
        start = "first-primary";
        return self;
      }
      primary ??= primarySession(d1);
      return primary;
    },
    db() {
      if (db === undefined) {
        session = d1.withSession(bookmark ?? start);
        db = openDatabase(session);
      }
      return db;
    },
    bookmark: () =>
      newerBookmark(
        newerBookmark(session?.getBookmark() ?? undefined, learned),
        primary?.bookmark(),
      ),
    learn(other) {
      learned = newerBookmark(learned, other);
    },
  };
  return self;
}

/** A session that starts at the primary: for scheduled jobs and event-log objects. */
export const primarySession = (d1: D1Database): D1Session =>
  d1Session(d1, undefined, "first-primary");
