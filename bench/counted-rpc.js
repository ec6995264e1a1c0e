// Records every RPC call a Worker makes to another Worker through a service binding, from the
// caller's side: which binding, which method, when it started and ended (Worker clock, which
// moves on I/O: an RPC's answer is I/O), and who made it. Bench-only: the wrappers that
// bench/shapes-runtime.mjs puts around each services-shape Worker hand the app an env whose
// service bindings are these.

const calls = [];
const requests = [];

/** The calls and the requests recorded since the last take, oldest first. */
export const takeRpcCalls = () => ({
  calls: calls.splice(0, calls.length),
  requests: requests.splice(0, requests.length),
});

/** Runs one request through `handle`, recording when it came and when it was answered. */
export async function recordRequest(request, handle) {
  const started = Date.now();
  try {
    return await handle();
  } finally {
    requests.push({ path: new URL(request.url).pathname, started, ended: Date.now() });
  }
}

/** A service binding whose every method call is recorded under `binding`, by `source()`. */
const countedBinding = (binding, service, source) =>
  new Proxy(service, {
    get(target, property) {
      const value = target[property];
      if (typeof value !== "function" || typeof property !== "string" || property === "then") {
        return value;
      }
      return async (...args) => {
        const started = Date.now();
        const by = source();
        try {
          // Called on the binding itself: an RPC method has no `apply` of its own.
          return await target[property](...args);
        } finally {
          calls.push({ binding, method: property, started, ended: Date.now(), source: by });
        }
      };
    },
  });

/**
 * `env` with each of the named service bindings counted, each call recorded as made by
 * `source()` (the Worker, an object, an object's alarm); every other binding as it is.
 */
export function countedEnv(env, bindings, source) {
  const wrapped = { ...env };
  for (const name of bindings) wrapped[name] = countedBinding(name, env[name], source);
  return wrapped;
}
