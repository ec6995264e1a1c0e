import { describe, expect, it } from "vitest";
import {
  afterAnswer,
  alarmsDuring,
  median,
  percentile,
  sequentialChain,
  waitedOn,
} from "../../bench/round-trips.mjs";

// The bench's count of the round trips a request waits on (npm run bench, docs/benchmarks.md).
const call = (started: number, ended: number, source?: string) => ({ started, ended, source });

describe("the bench's round trips", () => {
  it("counts calls that overlap as one wait, and calls one after another as one each", () => {
    const first = call(0, 50);
    const second = call(50, 100);
    const concurrent = [call(100, 160), call(101, 150), call(102, 155)];
    const last = call(160, 210);
    const chain = sequentialChain([last, ...concurrent, second, first]);
    expect(chain).toHaveLength(4);
    expect(chain[0]).toBe(first);
    expect(chain[1]).toBe(second);
    expect(chain[3]).toBe(last);
  });

  it("finds the longest chain, not the one the first call starts", () => {
    // One long call beside three short ones in sequence: three waits, not one.
    const long = call(0, 300);
    const shorts = [call(0, 90), call(100, 190), call(200, 290)];
    expect(sequentialChain([long, ...shorts])).toEqual(shorts);
  });

  it("tells the calls a request waited on from those after its answer and an alarm's", () => {
    const window = { started: 100, ended: 300 };
    const before = call(0, 120);
    const waited = call(110, 160);
    const after = call(280, 340);
    const later = call(310, 360);
    const alarm = call(150, 200, "alarm");
    const calls = [before, waited, after, later, alarm];
    expect(waitedOn(calls, window)).toEqual([waited]);
    expect(afterAnswer(calls, window)).toEqual([after, later]);
    expect(alarmsDuring(calls, window)).toEqual([alarm]);
  });

  it("takes percentiles as the load summary does", () => {
    const values = Array.from({ length: 200 }, (_, index) => 200 - index);
    expect(percentile(values, 50)).toBe(101);
    expect(percentile(values, 99)).toBe(199);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([], 50)).toBe(0);
  });
});
