// How many round trips a request waits on, from the calls recorded around it (D1 calls, or RPC
// calls between Workers), each `{ started, ended, source? }` on the caller's clock. Calls that
// overlap ran concurrently and cost one wait; the request's sequential depth is the longest chain
// of calls each starting after the one before it ended. A call whose source is "alarm" was made
// by an object's alarm (a projection retry, a reconciliation): no request waits on it.

const byAlarm = (call) => call.source === "alarm";

/** The calls a request answered between `window.started` and `window.ended` waited on. */
export const waitedOn = (calls, window) =>
  calls.filter(
    (call) => !byAlarm(call) && call.started >= window.started && call.ended <= window.ended,
  );

/** The calls that started during the request and ended after its answer, or started after it. */
export const afterAnswer = (calls, window) =>
  calls.filter(
    (call) => !byAlarm(call) && call.started >= window.started && call.ended > window.ended,
  );

/** The calls objects' alarms made while the request ran. */
export const alarmsDuring = (calls, window) =>
  calls.filter(
    (call) => byAlarm(call) && call.ended >= window.started && call.started <= window.ended,
  );

/**
 * The longest chain of calls in sequence (each starts at or after the previous one's end): the
 * earliest-ending call first, then the earliest-ending one that starts after it, and so on, which
 * finds a longest chain of intervals that do not overlap.
 */
export function sequentialChain(calls) {
  const chain = [];
  for (const call of [...calls].sort((a, b) => a.ended - b.ended || a.started - b.started)) {
    const last = chain.at(-1);
    if (last === undefined || call.started >= last.ended) chain.push(call);
  }
  return chain;
}

/** The sorted middle value (the upper one of an even count). */
export const median = (values) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The `p`th percentile of `values` (ms), as bench/load.mjs's summarize() takes it. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
