import { sign, verify } from "hono/jwt";
import { z } from "zod";
import { newId } from "../../../kernel/ids";
import type { AccessTokenIssuer } from "../application/session-tokens";
import { USER_ROLES } from "../domain/user-role";
import type { JwtConfig } from "./jwt-config";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
// Pinned: a token naming any other algorithm (including "none") is refused, never negotiated.
const ALGORITHM = "HS256";

/**
 * Every claim is required: a token without `exp`, `iat`, `iss` or `aud` is refused, and so is
 * one that claims to live longer than we issue them for (a leaked key should not mint
 * long-lived tokens that outlast its rotation). Built by the first token check, not at start-up.
 */
const AccessTokenClaimsSchema = z.lazy(() =>
  z
    .object({
      sub: z.string().min(1),
      role: z.enum(USER_ROLES),
      /** The credential fingerprint: the token dies when the password changes. */
      cfp: z.string(),
      /** The session (refresh-token family) the token belongs to. */
      sid: z.string(),
      /** When the user last proved their password (RFC 9470), kept across refreshes. */
      auth_time: z.number().int(),
      iss: z.string(),
      aud: z.string(),
      iat: z.number().int(),
      exp: z.number().int(),
      jti: z.string(),
    })
    .refine((claims) => claims.exp - claims.iat <= ACCESS_TOKEN_TTL_SECONDS, {
      message: `a token lives at most ${ACCESS_TOKEN_TTL_SECONDS} seconds`,
    }),
);

export type AccessTokenClaims = z.infer<typeof AccessTokenClaimsSchema>;

// HMAC keys imported once per isolate and secret, not on every token check: importing costs
// about as much as the verification itself. A rotation brings a new secret, so the map is
// bounded; the keys cannot be extracted from it.
const MAX_CACHED_KEYS = 4;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size >= MAX_CACHED_KEYS) hmacKeys.clear();
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    hmacKeys.set(secret, key);
    key.catch(() => hmacKeys.delete(secret));
  }
  return key;
}

export const jwtAccessTokenIssuer = (config: JwtConfig): AccessTokenIssuer => ({
  async issue({ user, credentialFingerprint, session }) {
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      cfp: credentialFingerprint,
      sid: session.id,
      auth_time: session.authenticatedAt,
      iss: config.issuer,
      aud: config.audience,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
      jti: newId(),
    };
    return {
      accessToken: await sign({ ...claims }, await hmacKey(config.signing), ALGORITHM),
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    };
  },
});

/**
 * The claims of a token signed by any verifying key for our issuer and audience, or undefined
 * when it is malformed, expired, signed otherwise, names another algorithm, or lacks a claim.
 */
export async function verifyAccessToken(
  token: string,
  config: JwtConfig,
): Promise<AccessTokenClaims | undefined> {
  for (const key of config.verifying) {
    try {
      const payload = await verify(token, await hmacKey(key), {
        alg: ALGORITHM,
        iss: config.issuer,
        aud: config.audience,
      });
      const claims = AccessTokenClaimsSchema.safeParse(payload);
      return claims.success ? claims.data : undefined;
    } catch {
      // try the next key; expiry and malformation fail for every key alike
    }
  }
  return undefined;
}
