/** A nominal type: a `string` that only a parser (a value object's factory) may produce. */
export type Brand<T, Name extends string> = T & { readonly __brand: Name };
