import type { Command } from "../args";
import { bcmCommand } from "./bcm";
import { districtCommand } from "./district";
import { clearCommand } from "./clear";
import { coordCommand } from "./coord";
import { exportCommand } from "./export";
import { opfCommand } from "./opf";
import { pqvCommand } from "./pqv";
import { regionCommand } from "./region";
import { pfCommand } from "./pf";
import { pfBatchCommand } from "./pf-batch";
import { sensCommand } from "./sens";

/** One line per command; later issues add theirs here. */
export const COMMANDS: Record<string, Command> = {
  pf: pfCommand,
  "pf-batch": pfBatchCommand,
  export: exportCommand,
  district: districtCommand,
  sens: sensCommand,
  clear: clearCommand,
  bcm: bcmCommand,
  opf: opfCommand,
  region: regionCommand,
  pqv: pqvCommand,
  coord: coordCommand,
};
