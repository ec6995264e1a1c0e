/** The breaking changes from `released` to `current`, one sentence each. */
export declare function breakingChanges(released: unknown, current: unknown): string[];
