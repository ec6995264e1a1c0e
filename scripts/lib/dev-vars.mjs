// Reading and filling .dev.vars, the local secrets file `wrangler dev` reads (dotenv syntax).

const lineOf = (name) => new RegExp(`^${name}=(.*)$`, "m");
const commentedLineOf = (name) => new RegExp(`^#\\s*${name}=.*$`, "m");

/** The value of `name` in a .dev.vars text (quotes removed), or undefined when it is not set. */
export function readDevVar(text, name) {
  const value = lineOf(name).exec(text)?.[1]?.trim();
  if (!value) return undefined;
  return value.replace(/^(["'])(.*)\1$/, "$2");
}

/** `text` with `name` set to `value`: in place, else instead of its commented-out line, else added. */
function setDevVar(text, name, value) {
  const line = `${name}=${value}`;
  if (lineOf(name).test(text)) return text.replace(lineOf(name), line);
  if (commentedLineOf(name).test(text)) return text.replace(commentedLineOf(name), line);
  return `${text.replace(/\n*$/, "\n")}${line}\n`;
}

/**
 * Fills in the secrets `npm run dev` needs: a JWT_SECRET when it is missing or still the
 * example's placeholder, and an ADMIN_BOOTSTRAP_TOKEN and a PII_MASTER_KEY when missing. Values
 * already set are kept (a new PII_MASTER_KEY would make the local users' data unreadable).
 * Returns the new text and the names it filled in.
 */
export function withDevSecrets(text, { placeholder, generate }) {
  let filled = text;
  const added = [];
  const jwtSecret = readDevVar(text, "JWT_SECRET");
  if (jwtSecret === undefined || jwtSecret === placeholder) {
    filled = setDevVar(filled, "JWT_SECRET", generate());
    added.push("JWT_SECRET");
  }
  if (readDevVar(text, "ADMIN_BOOTSTRAP_TOKEN") === undefined) {
    filled = setDevVar(filled, "ADMIN_BOOTSTRAP_TOKEN", generate());
    added.push("ADMIN_BOOTSTRAP_TOKEN");
  }
  if (readDevVar(text, "PII_MASTER_KEY") === undefined) {
    filled = setDevVar(filled, "PII_MASTER_KEY", generate());
    added.push("PII_MASTER_KEY");
  }
  return { text: filled, added };
}
