import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");
const MAIN = join(process.cwd(), "lib", "cli", "main.ts");

/** Run `npm run -s flex -- <args>` as a child process (tests): exit code, stdout and stderr. */
export async function runFlexCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [MAIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
