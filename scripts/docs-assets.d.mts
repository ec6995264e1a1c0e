/** Copies the pinned Swagger UI into public/docs/vendor/; returns that directory. */
export declare function copyDocsAssets(): string;
