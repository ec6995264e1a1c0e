// The start-up baseline (`npm run bench -- --only startup`): a hello-world of the API's stack,
// @hono/zod-openapi with drizzle over D1 and one route, built with the API's build settings
// (hello-world.wrangler.toml). What the API's start-up spends beyond this is its own code.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";

const greetings = sqliteTable("greetings", {
  id: text("id").primaryKey(),
  text: text("text").notNull(),
});

const GreetingSchema = z.object({ id: z.string(), text: z.string() }).openapi("Greeting");

const app = new OpenAPIHono();

app.openapi(
  createRoute({
    method: "get",
    path: "/greetings/{id}",
    request: { params: z.object({ id: z.string().min(1) }) },
    responses: {
      200: {
        description: "A greeting.",
        content: { "application/json": { schema: GreetingSchema } },
      },
    },
  }),
  async (c) => {
    const row = await drizzle(c.env.DB)
      .select()
      .from(greetings)
      .where(eq(greetings.id, c.req.valid("param").id))
      .get();
    return c.json(row ?? { id: "", text: "Hello, world" }, 200);
  },
);

export default app;
