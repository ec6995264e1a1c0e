import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { AggregateDefinition } from "../../src/eventlog/aggregate-definition";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import { ok } from "../../src/kernel/result";
import { logOf } from "./event-logs";

/** The log an errand goes to. */
type Errand = { readonly aggregateType: string; readonly aggregateId: string };

type ChoreState = {
  readonly dueAt: number;
  readonly done: boolean;
  readonly errandTo?: Errand;
  readonly errandSettled: boolean;
  readonly notes: number;
} | null;

type ChoreCommand =
  | { type: "PlanChore"; dueAt: number; errandTo?: Errand }
  | { type: "Note" }
  /** Appends an event that cannot be stored: its data has a BigInt, which JSON cannot hold. */
  | { type: "Poison" }
  | { type: "FinishChore" }
  | { type: "RecordErrand" }
  | { type: "GiveUpErrand" };

type ChoreEvent = { type: string; data: Record<string, unknown> };

export const CHORE = "chore";

/**
 * A tiny aggregate for the event log's own tests, free of any module's rules: a chore that is
 * due at a time (a deadline the log runs on itself) and may owe an errand to another log (an
 * effect that may be given up).
 */
export const choreAggregate: AggregateDefinition<ChoreState, ChoreCommand, ChoreEvent, object> = {
  type: CHORE,
  initialState: () => null,
  decide: (command) => {
    switch (command.type) {
      case "PlanChore":
        return ok([{ type: "ChorePlanned", data: { ...command } }]);
      case "Poison":
        return ok([{ type: "Noted", data: { unstorable: 1n } }]);
      default:
        return ok([{ type: `${command.type}Done`, data: {} }]);
    }
  },
  evolve: (state, event) => {
    const data = event.data as { dueAt: number; errandTo?: Errand };
    if (event.type === "ChorePlanned") {
      return {
        dueAt: data.dueAt,
        done: false,
        errandSettled: false,
        notes: 0,
        ...(data.errandTo ? { errandTo: data.errandTo } : {}),
      };
    }
    if (!state) throw new Error("A chore must be planned first");
    switch (event.type) {
      case "NoteDone":
        return { ...state, notes: state.notes + 1 };
      case "FinishChoreDone":
        return { ...state, done: true };
      case "RecordErrandDone":
      case "GiveUpErrandDone":
        return { ...state, errandSettled: true };
      default:
        return state;
    }
  },
  view: (state, version) => (state ? { ...state, version } : null),
  claims: () => [],
  claimTaken: () => {
    throw new Error("Chores claim nothing");
  },
  projectView: () => [],
  effects: (state) =>
    state?.errandTo && !state.errandSettled
      ? [{ key: "errand", ...state.errandTo, command: { type: "Errand" }, mayGiveUp: true }]
      : [],
  answer: () => ({ type: "RecordErrand" }),
  giveUp: () => ({ type: "GiveUpErrand" }),
  due: (state) =>
    state && !state.done ? { at: state.dueAt, command: { type: "FinishChore" } } : undefined,
};

/**
 * Runs `work` against a chore's log: the real event-log object code over the object's real
 * storage, with the chore as the only aggregate type it knows.
 */
export function inChoreLog<R>(
  id: string,
  work: (log: EventLogObject, storage: DurableObjectStorage) => Promise<R>,
): Promise<R> {
  return runInDurableObject(logOf(CHORE, id), (_instance, state) =>
    work(new EventLogObject(state, env, { [CHORE]: choreAggregate }), state.storage),
  );
}

/** Runs a chore command in `log`, as the Worker-side client would. */
export const executeChore = (log: EventLogObject, id: string, command: ChoreCommand) =>
  log.execute({ aggregateType: CHORE, aggregateId: id, command });
