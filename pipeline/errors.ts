/**
 * One error tree. Stages throw these; the CLI and the release build catch them once, at the
 * top, and turn them into one line for the user or one row in the quality report.
 */
import type { ErrorCode } from './model/record.ts';

export class GongkaiError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A file that cannot be read as an annual report. `source` names the file. */
export class InputError extends GongkaiError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Wrong use of the command line: printed without a stack, exit status 2. */
export class CliError extends GongkaiError {
  constructor(message: string) {
    super('usage', message);
  }
}
