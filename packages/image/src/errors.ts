/** Errors specific to image building and reading. */
import { DiscforgeError, ERROR_CODES, InvalidArgumentError, type DiscforgeErrorOptions } from "@discforge/errors";

/** A source file differs (size or modification time) from what was planned, or could not be read. */
export class SourceChangedError extends DiscforgeError {
  override readonly name = "SourceChangedError";
  readonly code = ERROR_CODES.state;
  constructor(
    readonly source: string,
    readonly detail: string,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${source}: ${detail}; the image would not match its plan`, options);
  }

  /** The content of `source` is `actual` bytes long where the plan has `planned`. */
  static resized(source: string, actual: number, planned: number): SourceChangedError {
    return new SourceChangedError(source, `content is ${actual} bytes, planned ${planned}`);
  }

  /** Reading `source` ended after `got` of its `planned` bytes. */
  static short(source: string, got: number, planned: number): SourceChangedError {
    return new SourceChangedError(source, `ended after ${got} of ${planned} planned bytes`);
  }
}

/** A source file cannot be opened or read. */
export class SourceUnreadableError extends DiscforgeError {
  override readonly name = "SourceUnreadableError";
  readonly code = ERROR_CODES.os;
  constructor(
    readonly source: string,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${source}: cannot be read (${String((options.cause as Error | undefined)?.message ?? "unknown error")})`, options);
  }
}

/** The image's destination cannot be created or written. */
export class ImageUnwritableError extends DiscforgeError {
  override readonly name = "ImageUnwritableError";
  readonly code = ERROR_CODES.os;
  constructor(
    readonly destination: string,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${destination}: cannot be written (${String((options.cause as Error | undefined)?.message ?? "unknown error")})`, options);
  }
}

/**
 * Extracting the next entry would take more space than the extraction's limit (`size`: the entry
 * in whole blocks; `written`: what the entries before it take). Nothing of that entry was
 * written; the files before it are complete.
 */
export class ExtractLimitError extends DiscforgeError {
  override readonly name = "ExtractLimitError";
  readonly code = ERROR_CODES.state;
  constructor(
    readonly path: string,
    readonly size: number,
    readonly written: number,
    readonly limit: number,
  ) {
    super(`${path}: ${size} bytes would take the extraction to ${written + size} bytes, past its limit of ${limit}; stopped before writing it`);
  }
}

/** A name that a namespace cannot hold and no fallback was allowed for. */
export class NameNotRepresentableError extends InvalidArgumentError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super("name", `${path}: ${detail}`);
  }
}

/** Following symbolic links while adding a tree met a link loop. */
export class SymlinkLoopError extends InvalidArgumentError {
  constructor(readonly path: string) {
    super("tree", `${path}: symbolic link loop`);
  }
}

/** The planned image does not fit the given capacity, or a file is too large for the level. */
export class ImageTooLargeError extends InvalidArgumentError {
  constructor(
    readonly sectors: number,
    readonly capacity: number,
  ) {
    super("image", `needs ${sectors} sectors, capacity is ${capacity}`);
  }
}
