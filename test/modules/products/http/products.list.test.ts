import { describe, expect, it } from "vitest";
import { api, problemOf, signedInAdmin } from "../../../support/api";
import { createProduct, type ProductBody } from "../../../support/products";

type Page = { items: ProductBody[]; nextCursor: string | null };

async function readAll(
  query: string,
  from: string | null = null,
): Promise<{ items: ProductBody[]; pages: number }> {
  const items: ProductBody[] = [];
  let cursor: string | null = from;
  let pages = 0;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const response = await api(`/api/products?${query}${suffix}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** The order the API promises: the sort key, then the id, both in the sort's direction. */
function expectedOrder(products: ProductBody[], sort: string): string[] {
  const descending = sort.startsWith("-");
  const keyOf = {
    createdAt: (p: ProductBody) => p.createdAt,
    price: (p: ProductBody) => p.price.amount,
    name: (p: ProductBody) => p.name,
  }[sort.replace("-", "") as "createdAt" | "price" | "name"];
  return [...products]
    .sort((a, b) => {
      const order = compare(keyOf(a), keyOf(b)) || compare(a.id, b.id);
      return descending ? -order : order;
    })
    .map((product) => product.id);
}

describe("GET /api/products", () => {
  it("pages 250 products with limit=37 under every sort: each exactly once, in order", async () => {
    const { token } = await signedInAdmin();
    const created: ProductBody[] = [];
    // Created 25 at a time, so many share a createdAt; prices and names repeat on purpose:
    // ties are where unstable pagination skips or repeats.
    for (let batch = 0; batch < 10; batch++) {
      const products = await Promise.all(
        Array.from({ length: 25 }, (_, index) => {
          const n = batch * 25 + index;
          return createProduct(token, {
            name: `Tea ${String.fromCharCode(65 + (n % 13))}`,
            price: { amount: (n % 7) * 100, currency: "EUR" },
          });
        }),
      );
      created.push(...products);
    }

    for (const sort of ["createdAt", "-createdAt", "price", "-price", "name", "-name"]) {
      const { items, pages } = await readAll(`limit=37&sort=${sort}`);
      expect(pages).toBe(7);
      expect(
        items.map((product) => product.id),
        sort,
      ).toEqual(expectedOrder(created, sort));
    }
    // The default is newest first.
    const { items } = await readAll("limit=37");
    expect(items.map((product) => product.id)).toEqual(expectedOrder(created, "-createdAt"));
    // 250 creations: give a busy machine time; speed is measured by `npm run bench`, not here.
  }, 60_000);

  it("keeps paging stable while products are created between pages", async () => {
    // Its own products, in a currency no other test here uses, so it pages the same alone.
    const { token } = await signedInAdmin();
    const originals = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        createProduct(token, { price: { amount: ((index % 8) + 1) * 100, currency: "CHF" } }),
      ),
    );
    const query = "currency=CHF&sort=price&limit=10";
    const first = (await (await api(`/api/products?${query}`)).json()) as Page;
    expect(first.items.map((product) => product.id)).toEqual(
      expectedOrder(originals, "price").slice(0, 10),
    );
    expect(first.nextCursor).not.toBeNull();
    const lastSeen = first.items.at(-1) as ProductBody;

    // Before the cursor (not shown), level with it (a newer id: after it) and beyond the end.
    const cheaper = await createProduct(token, { price: { amount: 0, currency: "CHF" } });
    const level = await createProduct(token, { price: lastSeen.price });
    const dearer = await createProduct(token, { price: { amount: 100_000, currency: "CHF" } });
    const rest = await readAll(query, first.nextCursor);

    const everything = expectedOrder([...originals, cheaper, level, dearer], "price");
    const afterCursor = everything.slice(everything.indexOf(lastSeen.id) + 1);
    expect(rest.items.map((product) => product.id)).toEqual(afterCursor);
    // 14 originals after the first page, plus the level and the dearer one: two more pages.
    expect({ items: rest.items.length, pages: rest.pages }).toEqual({ items: 16, pages: 2 });
    expect(afterCursor).toContain(level.id);
    expect(afterCursor.at(-1)).toBe(dearer.id);
    expect(afterCursor).not.toContain(cheaper.id);
  });

  it("filters by price range and currency, and leaves archived products out", async () => {
    const { token } = await signedInAdmin();
    const cheap = await createProduct(token, { price: { amount: 123_401, currency: "JPY" } });
    const dear = await createProduct(token, { price: { amount: 123_499, currency: "JPY" } });
    const archived = await createProduct(token, { price: { amount: 123_450, currency: "JPY" } });
    await api(`/api/products/${archived.id}`, { method: "DELETE", token });
    const { items } = await readAll("currency=jpy&minPrice=123400&maxPrice=123500&sort=price");
    expect(items).toEqual([cheap, dear]);
    const cheapOnly = await readAll("currency=JPY&minPrice=123400&maxPrice=123450");
    expect(cheapOnly.items.map((product) => product.id)).toEqual([cheap.id]);
  });

  it.each([
    "limit=0",
    "limit=1000",
    "cursor=bad-cursor",
    "currency=XYZ",
    "minPrice=-1",
    "sort=popularity",
    "q=%20%2B%2B%20",
  ])("rejects %s with 400", async (query) => {
    const response = await api(`/api/products?${query}`);
    expect(response.status).toBe(400);
    await problemOf(response);
  });

  it("pages by names in any script, up to the longest name allowed", async () => {
    const { token } = await signedInAdmin();
    const names = [
      "抹茶 Matcha",
      "Rooibos – red bush 🌿",
      `${"茶".repeat(199)}x`,
      `${"茶".repeat(199)}y`,
    ];
    const created: ProductBody[] = [];
    for (const name of names) created.push(await createProduct(token, { name }));
    const { items } = await readAll("limit=1&sort=-name");
    const ours = items.filter((product) => created.some((c) => c.id === product.id));
    expect(ours.map((product) => product.name)).toEqual([...names].sort().reverse());
  });

  it("treats an empty limit or price as absent, and only digits as numbers", async () => {
    expect((await api("/api/products?limit=&maxPrice=")).status).toBe(200);
    expect((await api("/api/products?limit=1e1")).status).toBe(400);
    expect((await api("/api/products?maxPrice=%2010")).status).toBe(400);
  });

  it("rejects a cursor made for another sort", async () => {
    const { token } = await signedInAdmin();
    await createProduct(token);
    await createProduct(token);
    const page = (await (await api("/api/products?limit=1&sort=price")).json()) as Page;
    const response = await api(`/api/products?limit=1&sort=name&cursor=${page.nextCursor}`);
    expect(response.status).toBe(400);
  });
});

describe("GET /api/products?q= (full-text search)", () => {
  it("finds a product by a word of its description, ranking name matches first", async () => {
    const { token } = await signedInAdmin();
    const inDescription = await createProduct(token, {
      name: "Breakfast blend",
      description: "Strong black tea with a hint of quokkaberry.",
    });
    const inName = await createProduct(token, {
      name: "Quokkaberry infusion",
      description: "Caffeine free.",
    });
    await createProduct(token, { name: "Chamomile", description: "Calming." });

    const { items } = await readAll("q=quokkaberry");
    expect(items.map((product) => product.id)).toEqual([inName.id, inDescription.id]);
    // Items are the products exactly as a single read shows them, nothing more.
    expect(items[0]).toEqual(inName);

    const byPrefix = await readAll("q=QUOKKA");
    expect(byPrefix.items).toHaveLength(2);
    const byTwoWords = await readAll("q=hint%20quokkaberry");
    expect(byTwoWords.items.map((product) => product.id)).toEqual([inDescription.id]);
  });

  it("follows renames and leaves archived products out", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { name: "Wallabyleaf", description: "Herbal." });
    await api(`/api/products/${product.id}`, {
      method: "PATCH",
      token,
      json: { name: "Kangaroopaw" },
    });
    expect((await readAll("q=wallabyleaf")).items).toHaveLength(0);
    expect((await readAll("q=kangaroopaw")).items.map((p) => p.id)).toEqual([product.id]);
    await api(`/api/products/${product.id}`, { method: "DELETE", token });
    expect((await readAll("q=kangaroopaw")).items).toHaveLength(0);
  });

  it("returns every match exactly once when the catalogue changes between pages", async () => {
    // Raw bm25 scores move with every write (row counts, average lengths), so a cursor holding
    // one would skip results; this is the case that proves the ranking key is stable.
    const { token } = await signedInAdmin();
    const matching: string[] = [];
    for (let index = 0; index < 5; index++) {
      const product = await createProduct(token, {
        name: index % 2 ? `Dugong blend ${index}` : `Sea blend ${index}`,
        description: "dugong ".repeat(index + 1),
      });
      matching.push(product.id);
    }
    const first = (await (await api("/api/products?q=dugong&limit=2")).json()) as Page;
    for (let index = 0; index < 20; index++) {
      await createProduct(token, { name: `Oolong ${index}`, description: "Roasted." });
    }
    const rest = await readAll("q=dugong&limit=2", first.nextCursor);
    const seen = [...first.items, ...rest.items];
    expect(seen.map((product) => product.id).sort()).toEqual([...matching].sort());
    // Name matches first.
    expect(seen.slice(0, 2).every((product) => product.name.startsWith("Dugong"))).toBe(true);
  });

  it("finds every term a word is a prefix of, name matches then newest first, page by page", async () => {
    const { token } = await signedInAdmin();
    const created: ProductBody[] = [];
    for (const [name, description] of [
      ["Bettong", "Plain."],
      ["Green tea", "Loved by bettongs."],
      ["Bettongia", "Plain."],
      ["Bettongs", "Plain."],
      ["Black tea", "A bettongia favourite."],
    ] as const) {
      created.push(await createProduct(token, { name, description }));
    }
    const [bettong, inDescription, bettongia, bettongs, inDescriptionToo] = created as [
      ProductBody,
      ProductBody,
      ProductBody,
      ProductBody,
      ProductBody,
    ];
    const { items } = await readAll("q=Bettong&limit=2");
    expect(items.map((product) => product.id)).toEqual(
      [bettongs, bettongia, bettong, inDescriptionToo, inDescription].map((product) => product.id),
    );
  });

  it("finds every match of a word more terms start with than it expands to", async () => {
    const { token } = await signedInAdmin();
    // 20 terms start with "pademelon"; the last ones in the index's order are pademelon7 to pademelon9.
    const many = Array.from({ length: 19 }, (_, index) => `pademelon${index + 1}`).join(" ");
    const inDescription = await createProduct(token, { name: "Oolong", description: many });
    const byLastTerm = await createProduct(token, {
      name: "Pademelon9 tea",
      description: "Plain.",
    });
    const byName = await createProduct(token, { name: "Pademelon", description: "Plain." });
    const firstPage = (await (await api("/api/products?q=pademelon&limit=2")).json()) as Page;
    expect(firstPage.items.map((product) => product.id)).toEqual([byName.id, byLastTerm.id]);
    const { items } = await readAll("q=pademelon&limit=2", firstPage.nextCursor);
    expect(items.map((product) => product.id)).toEqual([inDescription.id]);
  });

  it("drops words shorter than 2 characters, and refuses a query of only those with 400", async () => {
    const { token } = await signedInAdmin();
    const product = await createProduct(token, { name: "Bilby chai", description: "Spiced." });
    expect((await readAll("q=b%20bilby%20c")).items.map((p) => p.id)).toEqual([product.id]);
    for (const q of ["b", "a b 1", "é", "- ?"]) {
      const response = await api(`/api/products?q=${encodeURIComponent(q)}`);
      expect(response.status, q).toBe(400);
      expect(await problemOf(response)).toMatchObject({ code: "PRODUCT.INVALID_QUERY" });
    }
    // Two characters are a word, in any script.
    expect((await api(`/api/products?q=${encodeURIComponent("茶叶")}`)).status).toBe(200);
  });

  it("refuses a ranked cursor for a sorted search, a sorted one for a ranked search, and a forged one", async () => {
    const { token } = await signedInAdmin();
    for (let index = 0; index < 3; index++) {
      await createProduct(token, { name: `Potoroo tea ${index}`, description: "Potoroo." });
    }
    const ranked = (await (await api("/api/products?q=potoroo&limit=1")).json()) as Page;
    const sorted = (await (await api("/api/products?q=potoroo&limit=1&sort=name")).json()) as Page;
    const forged = btoa(JSON.stringify(["relevance", 2, 1])).replace(/=+$/, "");
    for (const query of [
      `q=potoroo&limit=1&sort=name&cursor=${ranked.nextCursor}`,
      `q=potoroo&limit=1&cursor=${sorted.nextCursor}`,
      `q=potoroo&limit=1&cursor=${forged}`,
    ]) {
      const response = await api(`/api/products?${query}`);
      expect(response.status, query).toBe(400);
      expect(await problemOf(response)).toMatchObject({ code: "INVALID_CURSOR" });
    }
  });

  it("pages ranked results with a cursor, and treats FTS syntax as plain words", async () => {
    const { token } = await signedInAdmin();
    for (let index = 0; index < 5; index++) {
      await createProduct(token, {
        name: `Numbat tea ${index}`,
        description: "numbat ".repeat(index),
      });
    }
    const { items, pages } = await readAll("q=numbat&limit=2");
    expect(pages).toBe(3);
    expect(new Set(items.map((product) => product.id)).size).toBe(5);
    const syntax = await api(`/api/products?q=${encodeURIComponent('numbat" OR * NEAR(')}`);
    expect(syntax.status).toBe(200);
  });
});
