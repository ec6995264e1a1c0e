import { toHex } from "../../../kernel/hex";

/** A response as first sent, kept to be sent again byte for byte. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a request with an `Idempotency-Key` is to do. */
export type IdempotencyClaim =
  /**
   * The first request with this key (`fresh`), or a retry that takes over a first one that
   * stopped without an answer (its order may exist already).
   */
  | { readonly kind: "run"; readonly orderId: string; readonly fresh: boolean }
  /** The key finished: send its response again. */
  | { readonly kind: "replay"; readonly response: StoredResponse }
  /** The first request with this key is still running. */
  | { readonly kind: "running" }
  /** The key came first with another body. */
  | { readonly kind: "mismatch" };

/** Keys are per customer and kept at least this long. */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** How long a request holds its key before a retry may take the placement over. */
export const IDEMPOTENCY_LEASE_MS = 30_000;

export interface IdempotencyStore {
  /** Claims `key` for a request with this body hash, proposing `orderId` for a new placement. */
  claim(
    customerId: string,
    key: string,
    requestHash: string,
    orderId: string,
  ): Promise<IdempotencyClaim>;
  /**
   * Keeps the response of a finished request, unless another request with the key (one that
   * outlived its lease, or the retry that took over from it) finished first: the first to
   * finish wins, and every later one sends its response. Resolves to the response to send.
   */
  finish(
    customerId: string,
    key: string,
    response: StoredResponse,
  ): Promise<{ readonly response: StoredResponse; readonly first: boolean }>;
  /** Lets a retry run at once: the request stopped without a final answer. */
  abandon(customerId: string, key: string): Promise<void>;
  /**
   * Forgets a key whose fresh claim was refused before any order was placed, so the key may
   * come again with another body (a corrected one).
   */
  release(customerId: string, key: string, orderId: string): Promise<void>;
}

/** A stable fingerprint of a request body: SHA-256 of its canonical JSON. */
export async function requestHash(body: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return toHex(new Uint8Array(digest));
}
