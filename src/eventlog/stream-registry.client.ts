import type { StreamRegistry } from "./stream-registry.do";
import { withRetries } from "./transient-retry";

/**
 * Shards of the stream registry. Fixed: a stream is registered in the shard its name hashes to,
 * and the sweep walks every shard, so the count only spreads the load (one registration per new
 * stream, a few hundred a second per shard at most).
 */
export const REGISTRY_SHARDS = 16;

// FNV-1a (32 bits): cheap, stable across deploys, and even enough over `type:uuid` names.
function shardOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % REGISTRY_SHARDS;
}

type Registry = DurableObjectNamespace<StreamRegistry>;

/** The stub of one shard of the registry. */
export const registryShard = (namespace: Registry, index: number) =>
  namespace.get(namespace.idFromName(`streams:${index}`));

/** Lists a stream in its shard (idempotent). */
export const registerStream = (namespace: Registry, name: string): Promise<void> =>
  withRetries(() => registryShard(namespace, shardOf(name)).register(name));

/** Removes a stream from its shard. */
export const unregisterStream = (namespace: Registry, name: string): Promise<void> =>
  withRetries(() => registryShard(namespace, shardOf(name)).unregister(name));

/** Up to `limit` stream names of one shard after `after`, in order. */
export const streamsOfShard = (
  namespace: Registry,
  index: number,
  after: string,
  limit: number,
): Promise<string[]> => withRetries(() => registryShard(namespace, index).page(after, limit));
