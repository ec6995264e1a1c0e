// Load generation and its statistics: closed-loop clients, each sending its next request when
// the previous answer has been read, so req/s and latency describe the same requests.

/** The answer's status, once it has been read whole (the client reads every body). */
async function complete(request) {
  try {
    return (await request()).status;
  } catch {
    return "network error";
  }
}

function recorder() {
  const latencies = [];
  const statuses = new Map();
  return {
    latencies,
    statuses,
    async send(request) {
      const started = performance.now();
      const status = await complete(request);
      latencies.push(performance.now() - started);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    },
  };
}

/**
 * `clients` loops send `request(index)` one after another for `seconds`. Returns the latencies
 * (ms), the count of each status, and the elapsed seconds.
 */
export async function runFor({ seconds, clients, request }) {
  const record = recorder();
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) await record.send(() => request(next++));
    }),
  );
  return { ...record, seconds: (performance.now() - started) / 1000 };
}

/** Sends `total` requests, `clients` at a time; same result as `runFor`. */
export async function runCount({ total, clients, request }) {
  const record = recorder();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(clients, total) }, async () => {
      while (next < total) {
        const index = next++;
        await record.send(() => request(index));
      }
    }),
  );
  return { ...record, seconds: (performance.now() - started) / 1000 };
}

/** Several runs as one: all latencies and statuses, the summed time. */
export function merge(runs) {
  const statuses = new Map();
  for (const run of runs) {
    for (const [status, count] of run.statuses) {
      statuses.set(status, (statuses.get(status) ?? 0) + count);
    }
  }
  return {
    latencies: runs.flatMap((run) => run.latencies),
    statuses,
    seconds: runs.reduce((sum, run) => sum + run.seconds, 0),
  };
}

/** Requests per second, percentiles (ms) and the answers that were not 2xx. */
export function summarize({ latencies, statuses, seconds }) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const failed = [...statuses]
    .filter(([status]) => !(typeof status === "number" && status >= 200 && status < 300))
    .map(([status, count]) => `${count}× ${status}`);
  return {
    requests: sorted.length,
    perSecond: sorted.length / seconds,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    failed,
  };
}
