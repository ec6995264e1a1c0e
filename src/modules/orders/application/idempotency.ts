/** A response as first sent, kept to be sent again byte for byte. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a request with an `Idempotency-Key` is to do. */
export type IdempotencyClaim =
  /** The first request with this key (or a retry after the first one stopped without an answer). */
  | { readonly kind: "run"; readonly orderId: string }
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
  /** Keeps the response of a finished request. */
  finish(customerId: string, key: string, response: StoredResponse): Promise<void>;
  /** Lets a retry run at once: the request stopped without a final answer. */
  abandon(customerId: string, key: string): Promise<void>;
}

/** A stable fingerprint of a request body: SHA-256 of its canonical JSON. */
export async function requestHash(body: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
