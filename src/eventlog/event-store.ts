import type { RecordedEvent } from "../kernel/events";
import type { Sealed } from "./event-log.contract";

/** Where a stream is and how far D1 has caught up with it. */
export interface StreamHead {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly projectedVersion: number;
}

// Each entry upgrades the object's schema by one version; PRAGMA user_version is unavailable
// in Durable Objects, so the applied version lives in a table of our own.
const MIGRATIONS = [
  `CREATE TABLE events (
     version INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     occurred_at TEXT NOT NULL
   );
   CREATE TABLE stream (
     singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
     aggregate_type TEXT NOT NULL,
     aggregate_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     projected_version INTEGER NOT NULL
   );`,
  `CREATE TABLE sealed (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  `CREATE TABLE commands (
     command_id TEXT PRIMARY KEY,
     outcome TEXT NOT NULL,
     recorded_at INTEGER NOT NULL
   );
   CREATE INDEX commands_recorded_at ON commands (recorded_at);
   CREATE TABLE snapshot (
     singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
     version INTEGER NOT NULL,
     tag TEXT NOT NULL,
     state TEXT NOT NULL
   );`,
  `ALTER TABLE events ADD COLUMN correlation_id TEXT;
   ALTER TABLE events ADD COLUMN causation_id TEXT;
   CREATE TABLE effect_attempts (
     key TEXT PRIMARY KEY,
     attempts INTEGER NOT NULL,
     next_at INTEGER NOT NULL
   );`,
  // Streams that existed before the registry start unregistered and register on their next load.
  `ALTER TABLE stream ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;`,
];

/** How long a processed command id is remembered, so a retry of it is answered, not re-run. */
export const COMMAND_ID_RETENTION_MS = 24 * 60 * 60 * 1000;

/** What an append records beside its events, in the same transaction. */
export interface AppendExtras {
  /** Secret values to keep beside the log (e.g. a password hash). */
  readonly sealed?: Sealed;
  /** The command's id and its outcome, to answer a repeat of the id with the first outcome. */
  readonly command?: { readonly id: string; readonly outcome: unknown };
  /** The state after the events, kept so that a cold load replays only what follows it. */
  readonly snapshot?: { readonly tag: string; readonly state: unknown };
  /** The time of the append, in epoch milliseconds (for command-id retention). */
  readonly now?: number;
  /** Deletes every sealed value before storing `sealed` (an erasure: the data key goes). */
  readonly eraseSealed?: boolean;
}

/** A stored state and the version it was taken at. */
export interface Snapshot {
  readonly version: number;
  readonly tag: string;
  readonly state: unknown;
}

// One sealed value stored or replaced: in an append, and when a re-wrapped key replaces one.
const UPSERT_SEALED =
  "INSERT INTO sealed (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

/**
 * The append-only event log in a Durable Object's SQLite storage. Every method is synchronous,
 * so a caller that does not await between reading the head and appending cannot interleave.
 */
export class EventStore {
  private schemaReady = false;
  // The sealed values as stored, read once and then kept: every projection passes them on, and
  // only `append` writes them.
  private sealedValues: Sealed | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** The stream's head, or undefined for an object that has never been written. */
  head(): StreamHead | undefined {
    if (!this.hasSchema()) return undefined;
    const row = this.storage.sql
      .exec<{
        aggregate_type: string;
        aggregate_id: string;
        version: number;
        projected_version: number;
      }>("SELECT aggregate_type, aggregate_id, version, projected_version FROM stream")
      .toArray()[0];
    return row
      ? {
          aggregateType: row.aggregate_type,
          aggregateId: row.aggregate_id,
          version: row.version,
          projectedVersion: row.projected_version,
        }
      : undefined;
  }

  /** Events after `version`, in order; at most `limit` of them when given. */
  readAfter(version: number, limit = -1): RecordedEvent[] {
    if (!this.hasSchema()) return [];
    return this.storage.sql
      .exec<{
        version: number;
        type: string;
        data: string;
        occurred_at: string;
        correlation_id: string | null;
        causation_id: string | null;
      }>(
        `SELECT version, type, data, occurred_at, correlation_id, causation_id
         FROM events WHERE version > ? ORDER BY version LIMIT ?`,
        version,
        limit,
      )
      .toArray()
      .map((row) => ({
        version: row.version,
        type: row.type,
        data: JSON.parse(row.data) as unknown,
        occurredAt: row.occurred_at,
        ...(row.correlation_id === null ? {} : { correlationId: row.correlation_id }),
        ...(row.causation_id === null ? {} : { causationId: row.causation_id }),
      }));
  }

  /** The last event's correlation id: the flow the stream's latest change belongs to. */
  lastCorrelationId(): string | undefined {
    if (!this.hasSchema()) return undefined;
    const row = this.storage.sql
      .exec<{ correlation_id: string | null }>(
        "SELECT correlation_id FROM events ORDER BY version DESC LIMIT 1",
      )
      .toArray()[0];
    return row?.correlation_id ?? undefined;
  }

  /** How often an effect (a command owed to another aggregate) failed, and when to retry it. */
  effectAttempts(key: string): { attempts: number; nextAt: number } | undefined {
    if (!this.hasSchema()) return undefined;
    const row = this.storage.sql
      .exec<{ attempts: number; next_at: number }>(
        "SELECT attempts, next_at FROM effect_attempts WHERE key = ?",
        key,
      )
      .toArray()[0];
    return row && { attempts: row.attempts, nextAt: row.next_at };
  }

  /** Records that an effect has failed `attempts` times and when the next may start. */
  recordEffectFailure(key: string, attempts: number, nextAt: number): void {
    this.ensureSchema();
    this.storage.sql.exec(
      "INSERT OR REPLACE INTO effect_attempts (key, attempts, next_at) VALUES (?, ?, ?)",
      key,
      attempts,
      nextAt,
    );
  }

  /** Forgets an effect's failures once it got an answer. */
  clearEffectAttempts(key: string): void {
    if (!this.hasSchema()) return;
    this.storage.sql.exec("DELETE FROM effect_attempts WHERE key = ?", key);
  }

  /** Forgets the failures of every effect but those of `keys` (the effects still owed). */
  keepEffectAttempts(keys: readonly string[]): void {
    if (!this.hasSchema()) return;
    this.storage.sql.exec(
      "DELETE FROM effect_attempts WHERE key NOT IN (SELECT value FROM json_each(?))",
      JSON.stringify(keys),
    );
  }

  /** The sealed values (secrets kept beside the log, never in events). */
  sealed(): Sealed {
    if (this.sealedValues) return this.sealedValues;
    if (!this.hasSchema()) return {};
    const rows = this.storage.sql
      .exec<{ name: string; value: string }>("SELECT name, value FROM sealed")
      .toArray();
    this.sealedValues = Object.fromEntries(rows.map((row) => [row.name, row.value]));
    return this.sealedValues;
  }

  /** The first outcome of a command id processed in the last 24 hours, if any. */
  outcomeOf(commandId: string): unknown {
    if (!this.hasSchema()) return undefined;
    const row = this.storage.sql
      .exec<{ outcome: string }>("SELECT outcome FROM commands WHERE command_id = ?", commandId)
      .toArray()[0];
    return row ? (JSON.parse(row.outcome) as unknown) : undefined;
  }

  /** The latest snapshot of the state, if one was taken. */
  snapshot(): Snapshot | undefined {
    if (!this.hasSchema()) return undefined;
    const row = this.storage.sql
      .exec<{ version: number; tag: string; state: string }>(
        "SELECT version, tag, state FROM snapshot",
      )
      .toArray()[0];
    return row && { version: row.version, tag: row.tag, state: JSON.parse(row.state) as unknown };
  }

  /**
   * Appends events numbered from `expected.version + 1`, with everything in `extras`, in one
   * transaction. Throws if the head moved (a bug: callers serialize commands) or a version is
   * taken (the primary key).
   */
  append(
    expected: StreamHead,
    events: readonly RecordedEvent[],
    { sealed = {}, command, snapshot, now = Date.now(), eraseSealed = false }: AppendExtras = {},
  ): StreamHead {
    this.ensureSchema();
    const appended = this.storage.transactionSync(() => {
      const current = this.head()?.version ?? 0;
      if (current !== expected.version) {
        throw new Error(`Stream moved from version ${expected.version} to ${current}`);
      }
      events.forEach((event, index) => {
        if (event.version !== current + index + 1)
          throw new Error("Event versions must be gapless");
        this.storage.sql.exec(
          `INSERT INTO events (version, type, data, occurred_at, correlation_id, causation_id)
           VALUES (?, ?, ?, ?, ?, ?)`,
          event.version,
          event.type,
          JSON.stringify(event.data),
          event.occurredAt,
          event.correlationId ?? null,
          event.causationId ?? null,
        );
      });
      if (eraseSealed) this.storage.sql.exec("DELETE FROM sealed");
      for (const [name, value] of Object.entries(sealed)) {
        this.storage.sql.exec(UPSERT_SEALED, name, value);
      }
      if (command) {
        this.storage.sql.exec(
          "DELETE FROM commands WHERE recorded_at < ?",
          now - COMMAND_ID_RETENTION_MS,
        );
        this.storage.sql.exec(
          "INSERT INTO commands (command_id, outcome, recorded_at) VALUES (?, ?, ?)",
          command.id,
          JSON.stringify(command.outcome),
          now,
        );
      }
      const next = { ...expected, version: current + events.length };
      if (snapshot) {
        this.storage.sql.exec(
          `INSERT INTO snapshot (singleton, version, tag, state) VALUES (1, ?, ?, ?)
           ON CONFLICT (singleton) DO UPDATE
           SET version = excluded.version, tag = excluded.tag, state = excluded.state`,
          next.version,
          snapshot.tag,
          JSON.stringify(snapshot.state),
        );
      }
      this.storage.sql.exec(
        `INSERT INTO stream (singleton, aggregate_type, aggregate_id, version, projected_version)
         VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET version = excluded.version`,
        next.aggregateType,
        next.aggregateId,
        next.version,
        next.projectedVersion,
      );
      return next;
    });
    // Only once the transaction committed: a rollback leaves the kept values as stored.
    if (eraseSealed) this.sealedValues = { ...sealed };
    else if (this.sealedValues && Object.keys(sealed).length > 0) {
      this.sealedValues = { ...this.sealedValues, ...sealed };
    }
    return appended;
  }

  /** Replaces one sealed value outside an append (a data key re-wrapped under a new master key). */
  putSealed(name: string, value: string): void {
    this.ensureSchema();
    this.storage.sql.exec(UPSERT_SEALED, name, value);
    if (this.sealedValues) this.sealedValues = { ...this.sealedValues, [name]: value };
  }

  /** Records the stream's identity (and creates the schema) before its first append. */
  recordHead(head: StreamHead): void {
    this.ensureSchema();
    this.storage.sql.exec(
      `INSERT INTO stream (singleton, aggregate_type, aggregate_id, version, projected_version)
       VALUES (1, ?, ?, ?, ?) ON CONFLICT (singleton) DO NOTHING`,
      head.aggregateType,
      head.aggregateId,
      head.version,
      head.projectedVersion,
    );
  }

  /** Whether the stream registry lists this stream (see `markRegistered`). */
  isRegistered(): boolean {
    if (!this.hasSchema()) return false;
    const row = this.storage.sql
      .exec<{ registered: number }>("SELECT registered FROM stream")
      .toArray()[0];
    return row?.registered === 1;
  }

  /** Records that the stream registry lists this stream, so it is never registered again. */
  markRegistered(): void {
    if (!this.hasSchema()) return;
    this.storage.sql.exec("UPDATE stream SET registered = 1");
  }

  /** Forgets what it knows of the schema; call after the storage was erased. */
  forget(): void {
    this.schemaReady = false;
    this.sealedValues = undefined;
  }

  /** Records that D1 holds every event up to `version`. */
  markProjected(version: number): void {
    this.storage.sql.exec(
      "UPDATE stream SET projected_version = max(projected_version, ?)",
      version,
    );
  }

  private hasSchema(): boolean {
    if (this.schemaReady) return true;
    this.schemaReady =
      this.storage.sql
        .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
        .toArray().length > 0;
    if (this.schemaReady) this.migrate();
    return this.schemaReady;
  }

  // Created on the first append only, so reads of unknown ids leave no object behind.
  private ensureSchema(): void {
    if (this.hasSchema()) return;
    this.storage.sql.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    this.storage.sql.exec("INSERT INTO schema_version (version) VALUES (0)");
    this.schemaReady = true;
    this.migrate();
  }

  private migrate(): void {
    const applied = this.storage.sql
      .exec<{ version: number }>("SELECT version FROM schema_version")
      .one().version;
    for (let next = applied; next < MIGRATIONS.length; next++) {
      this.storage.transactionSync(() => {
        this.storage.sql.exec(MIGRATIONS[next] as string);
        this.storage.sql.exec("UPDATE schema_version SET version = ?", next + 1);
      });
    }
  }
}
