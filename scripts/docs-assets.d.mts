/** Copies the pinned Swagger UI into public/docs/vendor/; returns that directory. */
export declare function copyDocsAssets(): string;
/** Writes the OpenAPI document the code declares to public/openapi.json; returns its path. */
export declare function writeApiDocumentAsset(): Promise<string>;
