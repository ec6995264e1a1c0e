import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Whether the module at `moduleUrl` (its `import.meta.url`) is the script Node was started
 * with. Compared as real file paths: a URL's path is percent-encoded (a space, a non-ASCII
 * letter) and a checkout may sit behind a symlink, and either would make a script that is run
 * silently do nothing.
 */
export function isMain(moduleUrl) {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
