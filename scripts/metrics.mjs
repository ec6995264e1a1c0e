// `npm run metrics`: runs every query of docs/operations.md ("## Queries") against the
// Analytics Engine SQL API of a deployed account. The queries live only in that document.
import { readFileSync } from "node:fs";
import { isMain } from "./lib/is-main.mjs";

const DOC = new URL("../docs/operations.md", import.meta.url);

/** Each `sql` block of the "Queries" section, named by the heading above it. */
export function queriesOf(markdown) {
  const section = markdown.split(/^## /m).find((part) => part.startsWith("Queries")) ?? "";
  return [...section.matchAll(/^### (.+)\n+```sql\n([\s\S]*?)```/gm)].map(([, name, sql]) => ({
    name: name.trim(),
    sql: sql.trim(),
  }));
}

async function main() {
  const queries = queriesOf(readFileSync(DOC, "utf8"));
  const { CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_API_TOKEN: token } = process.env;
  if (!account || !token) {
    console.error(
      `Not run: set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (a token with "Account ` +
        `Analytics: Read") to run the ${queries.length} queries of docs/operations.md against ` +
        "a deployed account. Nothing was queried.",
    );
    process.exit(2);
  }
  const api = process.env.CLOUDFLARE_API_BASE_URL ?? "https://api.cloudflare.com/client/v4";
  let failed = 0;
  for (const { name, sql } of queries) {
    const response = await fetch(`${api}/accounts/${account}/analytics_engine/sql`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: `${sql} FORMAT JSON`,
    });
    const text = await response.text();
    console.log(`\n## ${name}`);
    if (!response.ok) {
      failed++;
      console.error(`SQL API answered ${response.status}: ${text}`);
      continue;
    }
    const { data = [] } = JSON.parse(text);
    if (data.length === 0) console.log("(no rows)");
    else console.table(data);
  }
  process.exit(failed === 0 ? 0 : 1);
}

if (isMain(import.meta.url)) await main();
