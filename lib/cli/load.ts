import { readFileSync, statSync } from "node:fs";
import { parseGridFile, type Network } from "../grid";
import { GridFormatError } from "../grid/errors";
import { CliError } from "./args";

/** Read and parse a grid file (MATPOWER .m or project JSON); errors name the file. */
export function loadNetworkFile(path: string): Network {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new CliError(`${path} is not a file`);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseGridFile(path, text);
  } catch (e) {
    if (e instanceof GridFormatError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
}
