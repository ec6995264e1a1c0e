import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// /docs in a real headless browser (Debian's chromium, .ci/run installs it), against
// `wrangler dev`, with every host but loopback unresolvable: the page must work offline.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// CI always runs it (.ci/run sets CI and installs chromium), so there a missing browser fails
// the run; elsewhere a machine without it skips, loudly.
const runs = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runs) console.warn(`Skipping the /docs browser test: no chromium at ${CHROMIUM}.`);

// The Node project's one `wrangler dev` (test/node/support/dev-server.setup.ts).
const server = { url: inject("devServerUrl") };
let profile: string;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const requested: string[] = [];

beforeAll(async () => {
  if (!runs) return;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `CI is set but there is no chromium at ${CHROMIUM}: install Debian's chromium (.ci/run ` +
        "does, as root) or set CHROMIUM_PATH. The /docs browser test is required in CI.",
    );
  }
  profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) => consoleErrors.push(`failed: ${request.url()}`));
  page.on("request", (request) => requested.push(request.url()));
  await page.goto(`${server.url}/docs`);
});

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function documentedOperations(): Promise<string[]> {
  const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

/** A newly registered user's email and access token, from the API itself. */
async function newUserSession(): Promise<{ email: string; token: string }> {
  const email = `docs-reader-${randomUUID()}@example.com`;
  const password = "correct horse battery staple";
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  expect((await post("/api/users", { email, name: "Docs Reader", password })).status).toBe(201);
  const login = await post("/api/auth/login", { email, password });
  expect(login.status).toBe(200);
  return { email, token: ((await login.json()) as { accessToken: string }).accessToken };
}

describe.runIf(runs)("GET /docs in a browser", () => {
  it("lists every operation of the document", async () => {
    const expected = await documentedOperations();
    await page.waitForFunction(
      (count) => document.querySelectorAll(".opblock").length === count,
      expected.length,
    );
    const listed = await page.$$eval(".opblock", (blocks) =>
      blocks.map(
        (block) =>
          `${block.querySelector(".opblock-summary-method")?.textContent} ${block
            .querySelector(".opblock-summary-path")
            ?.getAttribute("data-path")}`,
      ),
    );
    expect(listed.sort()).toEqual(expected);
  });

  it('runs a "try it" call of GET /health that answers 200', async () => {
    const operation = page.locator("#operations-Health-getLiveness");
    await operation.locator(".opblock-summary").click();
    await operation.locator(".try-out__btn").click();
    await operation.locator(".execute").click();
    const status = operation.locator(".live-responses-table tbody .response-col_status");
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe("200");
  });

  it("sends the token given to Authorize with a try-it call, and keeps it out of storage", async () => {
    const { email, token } = await newUserSession();
    await page.locator(".auth-wrapper .authorize").click();
    // The dialog has one form per security scheme: the access token's is the API's own.
    const bearer = page.locator(".auth-container").filter({ hasText: "bearerAuth" });
    await bearer.locator("input").fill(token);
    await bearer.locator(".modal-btn.authorize").click();
    await page.locator(".auth-container .btn-done").first().click();

    // An operation that answers 200 only to that token: Swagger UI must have taken it.
    const operation = page.locator("#operations-Users-getCurrentUser");
    await operation.locator(".opblock-summary").click();
    await operation.locator(".try-out__btn").click();
    const sent = page.waitForRequest((request) => request.url() === `${server.url}/api/users/me`);
    await operation.locator(".execute").click();
    expect(await (await sent).headerValue("authorization")).toBe(`Bearer ${token}`);
    const status = operation.locator(".live-responses-table tbody .response-col_status");
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe("200");
    const answer = operation.locator(".live-responses-table tbody .response-col_description");
    expect(await answer.textContent()).toContain(email);

    const stored = await page.evaluate(() =>
      JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
    );
    expect(stored).not.toContain(token);
  });

  it("loads nothing from another origin, and logs no error", () => {
    const origins = new Set(requested.map((url) => new URL(url).origin));
    expect([...origins]).toEqual([server.url]);
    expect(consoleErrors).toEqual([]);
  });
});
