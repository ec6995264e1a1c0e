/** A recorded call: when it started and ended on the caller's clock, and who made it. */
export interface RecordedCall {
  started: number;
  ended: number;
  source?: string;
}

export interface RequestWindow {
  started: number;
  ended: number;
}

export function waitedOn<Call extends RecordedCall>(calls: Call[], window: RequestWindow): Call[];
export function afterAnswer<Call extends RecordedCall>(
  calls: Call[],
  window: RequestWindow,
): Call[];
export function alarmsDuring<Call extends RecordedCall>(
  calls: Call[],
  window: RequestWindow,
): Call[];
export function sequentialChain<Call extends RecordedCall>(calls: Call[]): Call[];
export function median(values: number[]): number;
export function percentile(values: number[], p: number): number;
