import { parseArgs, type ParseArgsConfig } from "node:util";

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Something the user asked for cannot be done (bad file, infeasible request): exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandArgs<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true as const });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

export function numberOption(value: string | undefined, name: string, check?: (v: number) => string | null): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${value}'`);
  const problem = check?.(v);
  if (problem) throw new UsageError(`--${name} ${problem}, got ${value}`);
  return v;
}

export interface Command {
  usage: string;
  summary: string;
  run(argv: string[]): Promise<void> | void;
}

/** Print exactly one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))}\n`);
}
