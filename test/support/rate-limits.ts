/**
 * The local Rate Limiting binding counts in windows aligned to the wall clock (a minute each,
 * as wrangler.toml sets them): a test that crosses a window's end sees its count reset. Waits,
 * when the current window has less than `seconds` left, for the next one to begin.
 */
export async function roomInRateWindow(seconds = 20, periodSeconds = 60): Promise<void> {
  const left = periodSeconds * 1000 - (Date.now() % (periodSeconds * 1000));
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
