import type { Middleware } from "openapi-fetch";
import type { BookmarkHolder } from "./d1-bookmark.ts";

/** The tokens of a logged-in session, kept in memory only. */
export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** What a client keeps between calls, in memory only. */
export interface Session extends BookmarkHolder {
  tokens?: Tokens | undefined;
}

// RFC 6750: the API answers an expired or revoked access token with error="invalid_token";
// other 401s (wrong password, step-up needed) are not cured by a refresh.
const EXPIRED = /error="invalid_token"/;

/**
 * Sends the session's access token with every request. When the API answers 401 because that
 * token is no longer valid, it refreshes the session once (one refresh in flight for all
 * concurrent calls, since a refresh token works only once) and sends the request again; if the
 * refresh fails, the 401 stands and the session is cleared.
 */
export function bearerSession(
  session: Session,
  refresh: (refreshToken: string) => Promise<Tokens | undefined>,
): Middleware {
  const sent = new Map<string, { copy: Request; token: string }>();
  let refreshing: Promise<Tokens | undefined> | undefined;

  const renewed = (stale: string): Promise<Tokens | undefined> => {
    const current = session.tokens;
    if (!current) return Promise.resolve(undefined);
    // Another call already refreshed since this request was sent.
    if (current.accessToken !== stale) return Promise.resolve(current);
    refreshing ??= refresh(current.refreshToken)
      .then((tokens) => {
        session.tokens = tokens;
        return tokens;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  return {
    onRequest({ request, id }) {
      const token = session.tokens?.accessToken;
      if (!token || request.headers.has("authorization")) return undefined;
      request.headers.set("authorization", `Bearer ${token}`);
      sent.set(id, { copy: request.clone(), token });
      return request;
    },
    async onResponse({ response, id, options }) {
      const original = sent.get(id);
      sent.delete(id);
      const expired =
        response.status === 401 && EXPIRED.test(response.headers.get("www-authenticate") ?? "");
      if (!original || !expired) return undefined;
      const tokens = await renewed(original.token);
      if (!tokens) return undefined;
      await response.body?.cancel();
      original.copy.headers.set("authorization", `Bearer ${tokens.accessToken}`);
      return options.fetch(original.copy);
    },
    onError({ id }) {
      sent.delete(id);
    },
  };
}
