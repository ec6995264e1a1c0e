import createClient, { type ClientOptions } from "openapi-fetch";
import { d1Bookmarks } from "./d1-bookmark.ts";
import { IDEMPOTENT_OPERATIONS } from "./generated/idempotent-operations.ts";
import type { components, paths } from "./generated/schema.ts";
import { idempotencyKeys, type OperationRef, type WithGeneratedKeys } from "./idempotency.ts";
import { unwrap } from "./problem.ts";
import { bearerSession, type Session, type Tokens } from "./session.ts";

export type { components, paths } from "./generated/schema.ts";
export { ApiProblem, type Problem, unwrap } from "./problem.ts";
export type { Session, Tokens } from "./session.ts";

export interface ApiClientOptions extends ClientOptions {
  /** Where the API is, e.g. `http://localhost:8787`. */
  readonly baseUrl: string;
  /** Which operations get a generated `Idempotency-Key`; by default those of openapi.json. */
  readonly idempotentOperations?: readonly OperationRef[];
}

type Credentials = components["schemas"]["Login"];

/**
 * A typed client of the API (openapi-fetch over the generated types of openapi.json). After
 * `login`, every call carries the access token and a 401 for an expired one refreshes the
 * session once and retries. Every call sends the latest D1 bookmark the API answered this
 * client with (`session.d1Bookmark`), so it reads its own writes from any replica.
 * `unwrap(call)` turns an error answer into a thrown `ApiProblem`.
 */
export function createApiClient<Paths extends object = paths>(options: ApiClientOptions) {
  const { idempotentOperations = IDEMPOTENT_OPERATIONS, ...clientOptions } = options;
  // Auth calls go out without the session middleware, so a refresh never triggers itself.
  const auth = createClient<paths>(clientOptions);
  const session: Session = {};
  const bookmarks = d1Bookmarks(session);
  auth.use(bookmarks);
  const keep = ({ accessToken, refreshToken }: Tokens): Tokens => ({ accessToken, refreshToken });

  const refresh = async (refreshToken: string) => {
    const { data } = await auth.POST("/api/auth/refresh", { body: { refreshToken } });
    return data && keep(data);
  };

  const client = createClient<WithGeneratedKeys<Paths>>(clientOptions);
  // First, so that its onResponse (run in reverse order) sees the answer after any retry.
  client.use(bookmarks, idempotencyKeys(idempotentOperations), bearerSession(session, refresh));

  return Object.assign(client, {
    session,
    /** Logs in and keeps the session's tokens (in memory) for the calls that follow. */
    async login(credentials: Credentials): Promise<void> {
      session.tokens = keep(await unwrap(auth.POST("/api/auth/login", { body: credentials })));
    },
    /** Ends the session on the server and forgets its tokens. */
    async logout(): Promise<void> {
      const refreshToken = session.tokens?.refreshToken;
      session.tokens = undefined;
      if (refreshToken) await unwrap(auth.POST("/api/auth/logout", { body: { refreshToken } }));
    },
  });
}

export type ApiClient<Paths extends object = paths> = ReturnType<typeof createApiClient<Paths>>;
