/**
 * A D1 bookmark as D1 writes them: four dash-separated hex groups, the first three of 8 digits
 * and the last of 32 (e.g. `0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b`).
 * Local D1 takes any string as a bookmark and echoes it back, so the format is checked here
 * rather than left to D1 (ADR 0035).
 */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** Whether `value` has the shape of a D1 bookmark. */
export const isD1Bookmark = (value: string): boolean => BOOKMARK.test(value);

/**
 * The later of two bookmarks. D1's positions are fixed-width hex, so the later one sorts last,
 * which is also how a D1 session keeps the latest bookmark it has seen.
 */
export const newerBookmark = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined || (b !== undefined && b > a) ? b : a;
