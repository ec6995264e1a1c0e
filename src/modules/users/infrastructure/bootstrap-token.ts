import { byteLength, SECRET_MIN_BYTES } from "../../../kernel/secret-length";
import { sameSecret } from "./secrets";

/** `ADMIN_BOOTSTRAP_TOKEN`: absent (the bootstrap is off), too weak to use, or a usable secret. */
export type BootstrapToken =
  | { readonly kind: "unset" }
  | { readonly kind: "weak"; readonly problem: string }
  | { readonly kind: "set"; matches(offered: string): Promise<boolean> };

export function readBootstrapToken(env: { ADMIN_BOOTSTRAP_TOKEN?: string }): BootstrapToken {
  const secret = env.ADMIN_BOOTSTRAP_TOKEN;
  if (!secret) return { kind: "unset" };
  if (byteLength(secret) < SECRET_MIN_BYTES) {
    return {
      kind: "weak",
      problem:
        `ADMIN_BOOTSTRAP_TOKEN is shorter than ${SECRET_MIN_BYTES} bytes. Set a random one with ` +
        "`wrangler secret put ADMIN_BOOTSTRAP_TOKEN` (locally: .dev.vars, which `npm run dev` fills).",
    };
  }
  return { kind: "set", matches: (offered) => sameSecret(offered, secret) };
}
