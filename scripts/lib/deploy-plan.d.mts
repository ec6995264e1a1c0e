export const USAGE: string;
export const JWT_SECRET: "JWT_SECRET";
export const BOOTSTRAP_TOKEN: "ADMIN_BOOTSTRAP_TOKEN";
export const PII_MASTER_KEY: "PII_MASTER_KEY";
export const BOOTSTRAP_TOKEN_FILE: string;
export const GENERATED_SECRETS: readonly string[];

export interface ConfiguredDatabase {
  binding: string;
  database_name?: string;
  database_id?: string;
}

export interface DeployPlan {
  environment: string;
  workerName: string;
  config?: string;
  newWorker: boolean;
  databases: { binding: string; name: string; id: string | undefined; create: boolean }[];
  secrets: { generate: string[]; kept: string[]; bootstrapClosed: boolean };
}

export interface DeployStep {
  title: string;
  args: string[];
  secrets?: string[];
  quiet?: boolean;
  interactive?: boolean;
  /** A scratch file's name, where a `wrangler deploy` step writes its targets. */
  outputFile?: string;
}

export function parseDeployArguments(
  args: readonly string[],
): { ok: true; dryRun: boolean } | { ok: false; problem: string };
export function parseDatabaseList(stdout: string): { uuid: string; name: string }[];
export function parseSecretList(stdout: string): string[];
export function isWorkerNotFound(stderr: string, workerName: string): boolean;
export function planDeploy(input: {
  environment: string;
  workerName: string;
  config?: string;
  secrets?: readonly string[];
  databases: readonly ConfiguredDatabase[];
  accountDatabases: readonly { uuid: string; name: string }[];
  secretNames: readonly string[] | undefined;
}): DeployPlan;
export function deploySteps(plan: DeployPlan): DeployStep[];
export function commandLine(step: DeployStep): string;
export function configArgs(plan: { config?: string }): string[];
export function describePlan(plan: DeployPlan): string[];
export function describeFindings(plan: DeployPlan): string[];
export function stepFailed(
  steps: readonly DeployStep[],
  index: number,
  code: number,
  command?: string,
): string;
export function deployedUrl(outputFileText: string): string | undefined;
export function bootstrapState(
  secrets: { generate: readonly string[]; bootstrapClosed: boolean },
  tokenFileExists: boolean,
): "file" | "unknown" | "closed";
export function nextSteps(input: {
  url: string | undefined;
  environment: string;
  bootstrap: "file" | "unknown" | "closed";
  secretsConfig?: string;
}): string[];
