// The decisions of `npm run dev:services`, apart from running wrangler, so that tests can run
// them: what the arguments ask, what each Worker's .dev.vars holds, and the wrangler commands.
// scripts/dev-services.mjs runs them.
import { dirname, join, resolve } from "node:path";
import { ALL_SECRETS, DEV_ORDER } from "./services.mjs";

export const USAGE =
  "usage: npm run dev:services -- [--port N] [--ip ADDRESS] [--persist-to DIR] [--var NAME:VALUE]... [other wrangler dev flags]";

/** Where `wrangler dev` keeps local state when --persist-to is not given, as for `npm run dev`. */
export const DEFAULT_PERSIST_TO = ".wrangler/state";

/**
 * The arguments of `npm run dev:services`, the same as `npm run dev`'s: --persist-to (one
 * directory for every Worker's state, made absolute), each --var NAME:VALUE (as wrangler reads
 * it: any number after one flag, or the flag repeated), and everything else for `wrangler dev`
 * (--port, --ip, ...). --config is refused: the script names the four configs. --env goes to
 * the migrations as well, as in `npm run dev`.
 */
export function parseDevServicesArguments(args, cwd = process.cwd()) {
  let persistTo = DEFAULT_PERSIST_TO;
  const vars = [];
  const devArgs = [];
  const sharedArgs = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    if (flag === "--config" || flag === "-c") {
      return { ok: false, problem: `${flag} is not taken: the four services' configs are fixed` };
    }
    if (flag === "--persist-to") {
      const value = inline ?? args[++index];
      if (value === undefined) return { ok: false, problem: "--persist-to needs a directory" };
      persistTo = value;
      continue;
    }
    if (flag === "--var") {
      const values = inline !== undefined ? [inline] : [];
      while (inline === undefined && index + 1 < args.length && !args[index + 1].startsWith("-")) {
        values.push(args[++index]);
      }
      if (values.length === 0) return { ok: false, problem: "--var needs NAME:VALUE" };
      for (const value of values) {
        const colon = value.indexOf(":");
        if (colon < 1) return { ok: false, problem: `--var ${value}: expected NAME:VALUE` };
        vars.push({ name: value.slice(0, colon), value: value.slice(colon + 1) });
      }
      continue;
    }
    devArgs.push(arg);
    if (flag === "--env" || flag === "-e") {
      sharedArgs.push(arg);
      if (inline === undefined && index + 1 < args.length) {
        const value = args[++index];
        devArgs.push(value);
        sharedArgs.push(value);
      }
    }
  }
  return { ok: true, persistTo: resolve(cwd, persistTo), vars, devArgs, sharedArgs };
}

const SECRET_LINE = new RegExp(`^\\s*(?:export\\s+)?(${ALL_SECRETS.join("|")})\\s*=`);

/** A dotenv value as written: single quotes keep it literal, double quotes where it has one. */
const quoted = (value) =>
  value.includes("'") ? `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"` : `'${value}'`;

/**
 * The .dev.vars of one Worker: wrangler reads it beside that Worker's config, and `wrangler
 * dev` gives its --var only to the first config. So each Worker gets the project's .dev.vars
 * without the secrets it does not read (as in production, where only they are set), then every
 * --var, which wins over the same name above (dotenv keeps the last).
 */
export function serviceDevVars(rootText, service, vars) {
  const kept = rootText
    .split("\n")
    .filter((line) => {
      const secret = SECRET_LINE.exec(line)?.[1];
      return secret === undefined || service.secrets.includes(secret);
    })
    .join("\n");
  const lines = [
    "# Written by `npm run dev:services` from the project's .dev.vars and its --var flags, on",
    "# every start, and removed when it stops: edit those instead.",
    kept.replace(/\n*$/, ""),
    ...(vars.length > 0
      ? ["", "# --var", ...vars.map(({ name, value }) => `${name}=${quoted(value)}`)]
      : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** Where wrangler reads `service`'s .dev.vars: beside its config. */
export const devVarsPath = (service) => join(dirname(service.config), ".dev.vars");

/** The migrations of every service with a database, into the one local state. */
export const migrationCommands = ({ persistTo, sharedArgs }) =>
  DEV_ORDER.filter((service) => service.database).map((service) => ({
    service: service.name,
    args: [
      "d1",
      "migrations",
      "apply",
      "DB",
      "--local",
      "--config",
      service.config,
      "--persist-to",
      persistTo,
      ...sharedArgs,
    ],
  }));

/** One `wrangler dev` for the four, the gateway's config first (it is served on --port). */
export const devCommand = ({ persistTo, devArgs }) => [
  "dev",
  ...DEV_ORDER.flatMap((service) => ["--config", service.config]),
  "--persist-to",
  persistTo,
  ...devArgs,
];
