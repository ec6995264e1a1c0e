import { sign, verify } from "hono/jwt";
import { newId } from "../../../kernel/ids";
import type { AccessTokenIssuer } from "../application/session-tokens";
import type { UserRole } from "../domain/user-role";
import type { JwtKeys } from "./jwt-keys";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
// Pinned: a token naming any other algorithm (including "none") is refused, never negotiated.
const ALGORITHM = "HS256";

export interface AccessTokenClaims {
  readonly sub: string;
  readonly role: UserRole;
  /** The credential fingerprint: the token dies when the password changes. */
  readonly cfp: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

export const jwtAccessTokenIssuer = (keys: JwtKeys): AccessTokenIssuer => ({
  async issue({ user, credentialFingerprint }) {
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      cfp: credentialFingerprint,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
      jti: newId(),
    };
    return {
      accessToken: await sign({ ...claims }, keys.signing, ALGORITHM),
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    };
  },
});

/**
 * The claims of a token signed by any verifying key, or undefined when it is malformed,
 * expired, signed otherwise, or names another algorithm.
 */
export async function verifyAccessToken(
  token: string,
  keys: JwtKeys,
): Promise<AccessTokenClaims | undefined> {
  for (const key of keys.verifying) {
    try {
      const payload = await verify(token, key, ALGORITHM);
      if (typeof payload.sub === "string") return payload as unknown as AccessTokenClaims;
      return undefined;
    } catch {
      // try the next key; expiry and malformation fail for every key alike
    }
  }
  return undefined;
}
