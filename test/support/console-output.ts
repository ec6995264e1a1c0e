import { vi } from "vitest";

/** Every console method a careless line could write personal data or a request body with. */
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

// Objects as JSON, so a logged object shows its fields; an Error as its name and message.
const shown = (part: unknown): string =>
  typeof part === "string" || part instanceof Error
    ? String(part)
    : (JSON.stringify(part) ?? String(part));

/**
 * Everything written to any console method while `work` runs, one entry per call (grouped by
 * method, not in order), and kept off the test's own output.
 */
export async function consoleOutputOf(work: () => Promise<unknown>): Promise<string[]> {
  const spies = CONSOLE_METHODS.map((method) =>
    vi.spyOn(console, method).mockImplementation(() => {}),
  );
  try {
    await work();
    return spies.flatMap((spy) => spy.mock.calls.map((call) => call.map(shown).join(" ")));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
