// The CPU time workerd spends, read from /proc: a second view of a comparison beside the
// throughput ratio. Throughput on this shared machine moves with whatever else runs; CPU per
// request moves far less, since time spent waiting for a core is not counted. Every Worker of the
// bench (the API, the bare Worker, local D1, the objects) runs in the one workerd process that
// Miniflare starts as this process's child, so a round's CPU is almost entirely its side's
// (an alarm or a request the runtime finishes after the round lands in the next one).
import { readdirSync, readFileSync } from "node:fs";

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s everywhere Node runs on Linux.
const TICKS_PER_SECOND = 100;

/** Seconds of CPU (user and system, all threads) of this process's workerd children. */
export function workerdCpuSeconds() {
  let ticks = 0;
  let found = false;
  let entries;
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined; // not Linux
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces, so fields count from its ")".
    const close = stat.lastIndexOf(")");
    const command = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    if (command !== "workerd" || Number(fields[1]) !== process.pid) continue;
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after comm.
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  return found ? ticks / TICKS_PER_SECOND : undefined;
}

/** Runs `load`, returning its result with the workerd CPU it took, in seconds (when known). */
export async function withWorkerdCpu(load) {
  const before = workerdCpuSeconds();
  const result = await load();
  const after = workerdCpuSeconds();
  return {
    ...result,
    cpuSeconds: before === undefined || after === undefined ? undefined : after - before,
  };
}
