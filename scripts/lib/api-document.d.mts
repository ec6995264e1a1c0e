/** The OpenAPI document the code declares, built in Node with the real generator. */
export declare function buildApiDocument(): Promise<Record<string, unknown>>;
