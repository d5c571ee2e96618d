/**
 * A grid file that cannot be turned into a valid Network. The message names the
 * line (for text formats) or the field path (for JSON) and what is wrong; it is
 * meant to be shown to the user as is.
 */
export class GridFormatError extends Error {
  readonly line?: number;
  readonly field?: string;

  constructor(message: string, where: { line?: number; field?: string } = {}) {
    const prefix = where.line !== undefined ? `line ${where.line}: ` : where.field !== undefined ? `${where.field}: ` : "";
    super(prefix + message);
    this.name = "GridFormatError";
    this.line = where.line;
    this.field = where.field;
  }
}

/** A grid file beyond one of the importer's limits (lib/limits): final, never a reason to try another reading. */
export class GridLimitError extends GridFormatError {
  constructor(message: string, where: { line?: number; field?: string } = {}) {
    super(message, where);
    this.name = "GridLimitError";
  }
}
