// Times every RPC call made through a Durable Object namespace, from the caller's side. Inside
// the object, clocks stand still while it computes (they only advance on I/O), so the time an
// object spends on a call is measured here, around the call, where the runtime's clock moves
// when the answer arrives.

const calls = [];

/** The calls timed since the last `takeRpcTimes()`, oldest first: `{ method, ms }`. */
export const takeRpcTimes = () => calls.splice(0, calls.length);

const timedStub = (stub) =>
  new Proxy(stub, {
    get(target, property) {
      const value = target[property];
      if (typeof value !== "function" || typeof property !== "string") return value;
      return async (...args) => {
        const started = Date.now();
        try {
          // Called on the stub itself: an RPC method has no `apply` of its own.
          return await target[property](...args);
        } finally {
          calls.push({ method: property, ms: Date.now() - started });
        }
      };
    },
  });

/** A DurableObjectNamespace whose stubs time each method call. */
export const timedNamespace = (namespace) =>
  new Proxy(namespace, {
    get(target, property) {
      const value = target[property];
      if (property === "get" || property === "getByName") {
        return (...args) => timedStub(target[property](...args));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
