import type { Context } from "hono";
import type { D1Session } from "../db/d1-session";
import type { ProblemInput } from "./problem";

/** Who is calling, once a bearer token has been verified. */
export interface Principal {
  readonly id: string;
  readonly role: string;
  /** The caller's email as authentication read it (to tell whether a change is a new one). */
  readonly email: string;
  /** The session the access token belongs to. */
  readonly sessionId: string;
  /** When the caller last proved their password, in seconds since the epoch. */
  readonly authenticatedAt: number;
}

/** The Hono environment every router shares: the Worker's bindings and per-request values. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal?: Principal;
    /** Who the caller is, asked by the routes that need it (gateway/authentication.ts). */
    authenticator: Authenticator;
    /**
     * The route that answered, when another Worker's app did (the services shape): the
     * gateway's own route is only the module's prefix (gateway/forwarding.ts).
     */
    route?: string;
    /**
     * The bookmarks the request offers, by service database, once the services shape's gateway
     * has read them (gateway/forwarded-bookmarks.ts, ADR 0041).
     */
    offeredBookmarks?: ReadonlyMap<string, string>;
    /** The request's D1 session (gateway/middleware/d1-session.middleware.ts). */
    d1: D1Session;
  };
};

/** What authentication concluded of a request: its principal, or the problem to answer with. */
export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | {
      readonly ok: false;
      readonly problem: ProblemInput;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** The port: who the request's caller is (its `Authorization` header, read at the primary). */
export type Authenticator = (c: Context<AppEnv>) => Promise<Authentication>;
