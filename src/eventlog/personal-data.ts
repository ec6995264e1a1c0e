import type { RecordedEvent } from "../kernel/events";
import {
  importDataKey,
  newWrappedKey,
  type PiiSecrets,
  readPiiKeys,
  unwrapKey,
} from "../kernel/pii-keys";
import { openFields, sealFields } from "../kernel/sealed-fields";
import type { CommandOutcome } from "./event-log.contract";
import type { EventStore } from "./event-store";

/** The sealed value (beside the log, never in an event) that holds the stream's wrapped data key. */
export const DATA_KEY = "dataKey";

/** What an aggregate type says about its personal data (ADR 0037). */
export interface PersonalDataPolicy<State = unknown> {
  /**
   * The fields, at the top level of an event's data, of the state and of the view, that hold
   * personal data: sealed with the stream's data key wherever the log stores them.
   */
  readonly fields: readonly string[];
  /** Whether the state is erased: the append that reaches it deletes the data key for good. */
  erased(state: State): boolean;
}

// Not a secret: the same for every stream. The wrapped key is bound to what it is for.
export const STREAM_DATA_KEY_PURPOSE = "stream-data-key";
const PURPOSE = STREAM_DATA_KEY_PURPOSE;

/**
 * One stream's data key: unwrapped once and kept in the object's memory (never stored unwrapped),
 * made on the stream's first append, and forgotten when an erasure deletes it. A key wrapped
 * under PII_MASTER_KEY_PREVIOUS is re-wrapped under PII_MASTER_KEY when first read.
 */
export class DataKeyVault {
  /** undefined: not read yet; null: the stream has none (never made, or erased). */
  private key: CryptoKey | null | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly secrets: PiiSecrets,
  ) {}

  private async keks() {
    const read = readPiiKeys(this.secrets);
    if (!read.ok) throw new Error(read.problem);
    return read.keys;
  }

  /** The stream's key, or undefined when it has none. Throws on a missing or wrong master key. */
  async current(): Promise<CryptoKey | undefined> {
    if (this.key !== undefined) return this.key ?? undefined;
    const wrapped = this.store.sealed()[DATA_KEY];
    if (wrapped === undefined) {
      this.key = null;
      return undefined;
    }
    const { raw, rewrapped } = await unwrapKey(await this.keks(), wrapped, PURPOSE);
    if (rewrapped !== undefined) this.store.putSealed(DATA_KEY, rewrapped);
    this.key = await importDataKey(raw);
    return this.key;
  }

  /** A new key and its wrapped form, to store with an append; kept once `adopt`ed. */
  async create(): Promise<{ key: CryptoKey; wrapped: string }> {
    const { raw, wrapped } = await newWrappedKey(await this.keks(), PURPOSE);
    return { key: await importDataKey(raw), wrapped };
  }

  /** The key an append has just stored. */
  adopt(key: CryptoKey): void {
    this.key = key;
  }

  /** Forgets the key (erased, or the storage was). */
  forget(): void {
    this.key = undefined;
  }
}

/** An event with its personal fields sealed (or opened). */
export const sealEvent = async (
  event: RecordedEvent,
  fields: readonly string[],
  key: CryptoKey | undefined,
): Promise<RecordedEvent> => ({ ...event, data: await sealFields(event.data, fields, key) });

export const openEvent = async (
  event: RecordedEvent,
  key: CryptoKey | undefined,
): Promise<RecordedEvent> => ({ ...event, data: await openFields(event.data, key) });

/** An outcome with `change` applied to its view and each event's data. */
async function mapOutcome(
  outcome: CommandOutcome,
  change: (record: unknown) => Promise<unknown>,
): Promise<CommandOutcome> {
  if (!outcome.ok) return outcome;
  const { view, events } = outcome.value;
  const changed = (event: RecordedEvent) => change(event.data).then((data) => ({ ...event, data }));
  return {
    ...outcome,
    value: {
      ...outcome.value,
      view: await change(view),
      events: await Promise.all(events.map(changed)),
    },
  };
}

export const openOutcome = (outcome: CommandOutcome, key: CryptoKey | undefined) =>
  mapOutcome(outcome, (record) => openFields(record, key));
