// The parts of `npm run admin:promote` that need no file system or network, so tests can run them.
import { readDevVar } from "./dev-vars.mjs";

export const DEFAULT_URL = "http://localhost:8787";
export const USAGE = "usage: npm run admin:promote -- <email> [--url URL]";

/**
 * Whether `url` names this machine: localhost, 127.0.0.0/8 or [::1]. The URL parser has already
 * written an IPv4 address in dotted decimal (`127.1`, `0x7f000001`) and an IPv6 one compressed.
 */
const isLoopback = (url) => {
  const { hostname } = new URL(url);
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
};

/**
 * Why the token must not go to `url`, or undefined when it may: https:, or http: to this
 * machine only, since anyone on the path of a clear-text request can read the bearer token.
 */
function refusalOf(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return `not an http(s) URL: ${url}`;
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol !== "http:") return `not an http(s) URL: ${url}`;
  if (isLoopback(url)) return undefined;
  return (
    `refusing to send ADMIN_BOOTSTRAP_TOKEN in clear text to ${url}: use https://, ` +
    "or http:// only for a server on this machine (localhost, 127.0.0.0/8, [::1])"
  );
}

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
  const refusal = refusalOf(url);
  if (refusal) return { ok: false, problem: refusal };
  return { ok: true, email: positional[0], url };
}

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

/**
 * The whole command, given what it reads from outside (arguments, environment, .dev.vars) and
 * the `send` that makes its one request. Returns the exit code: 0 promoted, 1 the API refused,
 * 2 nothing was sent (bad arguments, a clear-text URL, no token).
 */
export async function promoteAdmin({ args, environment, devVarsText, send, print, fail }) {
  const parsed = parsePromoteArguments(args);
  if (!parsed.ok) {
    fail(`${parsed.problem}\n${USAGE}`);
    return 2;
  }
  const token = bootstrapTokenFor(parsed.url, environment, devVarsText);
  if (!token) {
    fail(
      "ADMIN_BOOTSTRAP_TOKEN is not set: export it (the deployed Worker's secret), or run " +
        "`npm run dev` once to put a local one in .dev.vars.",
    );
    return 2;
  }
  const response = await send(bootstrapRequest({ url: parsed.url, email: parsed.email, token }));
  const body = await response.text();
  if (!response.ok) {
    fail(`${response.status} ${response.statusText}\n${body}`);
    return 1;
  }
  const user = JSON.parse(body);
  print(`${user.email} (${user.id}) is an admin.`);
  return 0;
}
