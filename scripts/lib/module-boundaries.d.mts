/** Every module-boundary violation under `root` (ADR 0038), one sentence each; empty when clean. */
export declare function boundaryViolations(root: string): string[];
