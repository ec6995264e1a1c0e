import type { ServiceWorker } from "./services.mjs";

export const USAGE: string;
export const DEFAULT_PERSIST_TO: string;

export interface DevVar {
  name: string;
  value: string;
}

export interface DevServicesArguments {
  ok: true;
  persistTo: string;
  vars: DevVar[];
  devArgs: string[];
  sharedArgs: string[];
}

export function parseDevServicesArguments(
  args: readonly string[],
  cwd?: string,
): DevServicesArguments | { ok: false; problem: string };
export function serviceDevVars(
  rootText: string,
  service: ServiceWorker,
  vars: readonly DevVar[],
): string;
export function devVarsPath(service: ServiceWorker): string;
export function migrationCommands(parsed: {
  persistTo: string;
  sharedArgs: readonly string[];
}): { service: string; args: string[] }[];
export function devCommand(parsed: { persistTo: string; devArgs: readonly string[] }): string[];
