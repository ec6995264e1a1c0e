// The parts of `npm run admin:promote` that need no file system or network, so tests can run them.
import { readDevVar } from "./dev-vars.mjs";

export const DEFAULT_URL = "http://localhost:8787";
export const USAGE = "usage: npm run admin:promote -- <email> [--url URL]";

/** `<email> [--url URL]` (or `--url=URL`), else a problem to print with the usage. */
export function parsePromoteArguments(args) {
  const rest = [...args];
  let url = DEFAULT_URL;
  const positional = [];
  while (rest.length > 0) {
    const arg = rest.shift();
    if (arg === "--url") {
      const value = rest.shift();
      if (!value) return { ok: false, problem: "--url needs a value" };
      url = value;
    } else if (arg.startsWith("--url=")) {
      url = arg.slice("--url=".length);
    } else if (arg.startsWith("-")) {
      return { ok: false, problem: `unknown option ${arg}` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return { ok: false, problem: "give exactly one email" };
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error();
  } catch {
    return { ok: false, problem: `not an http(s) URL: ${url}` };
  }
  return { ok: true, email: positional[0], url };
}

const isLoopback = (url) => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);

/**
 * ADMIN_BOOTSTRAP_TOKEN from the environment; for a local server only, from .dev.vars when the
 * environment lacks it (a local secret is never sent to a deployed Worker).
 */
export function bootstrapTokenFor(url, environment, devVarsText) {
  const fromEnvironment = environment.ADMIN_BOOTSTRAP_TOKEN;
  if (fromEnvironment) return fromEnvironment;
  return devVarsText !== undefined && isLoopback(url)
    ? readDevVar(devVarsText, "ADMIN_BOOTSTRAP_TOKEN")
    : undefined;
}

/** The request that asks the API at `url` to make the user with `email` an admin. */
export const bootstrapRequest = ({ url, email, token }) =>
  new Request(`${url.replace(/\/+$/, "")}/api/admin/bootstrap`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
