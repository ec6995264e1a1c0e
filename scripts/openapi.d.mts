/** Operations whose request declares an `Idempotency-Key` header, as METHOD and path. */
export declare function idempotentOperations(document: unknown): { method: string; path: string }[];
