/**
 * Reading an import file: its head for format detection, then the whole file as a stream of parsed
 * rows in batches. The file is never held in memory whole: 64 KB chunks go through the streaming
 * parser and out as batches of rows.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LuminFailure } from '../../../shared/contract/errors';
import { SETTING_DEFAULTS } from '../../../shared/contract/setting-defaults';
import { createParser, detectFormat } from '../../../shared/import/index';
import { ImportLimitError, formatCount } from '../../../shared/import/limits';
import type { Sql } from '../sql';
import type { ColumnMapping, ImportFormat, ParsedRow } from '../../../shared/import/types';

const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** A file to import, as checked at preview time. */
export interface ImportSource {
  path: string;
  size: number;
  modifiedMs: number;
  format: ImportFormat;
  delimiter?: string;
  mapping?: ColumnMapping;
}

/** The `imports.maxFileBytes` setting. */
export async function maxImportBytes(sql: Sql): Promise<number> {
  const found = await sql.query<{ value: unknown }>(
    "SELECT value FROM settings WHERE key = 'imports.maxFileBytes'",
  );
  const value = found.rows[0]?.value;
  return typeof value === 'number' ? value : SETTING_DEFAULTS['imports.maxFileBytes'];
}

/** A parser's {@link ImportLimitError} as the failure the user sees: file, row and cap, nothing written. */
function limitFailure(path: string, error: ImportLimitError): LuminFailure {
  return new LuminFailure('invalid_argument', `${path}: ${error.message}; nothing imported`, {
    path,
    row: error.row,
    limit: error.limit,
  });
}

function detectLimited(path: string, head: Uint8Array): ReturnType<typeof detectFormat> {
  try {
    return detectFormat(head);
  } catch (error) {
    if (error instanceof ImportLimitError) throw limitFailure(path, error);
    throw error;
  }
}

/**
 * Resolves, checks and detects the file; fails with a message naming the file and what is wrong,
 * including a file larger than `maxBytes` (the `imports.maxFileBytes` setting).
 */
export async function openSource(
  rawPath: string,
  format: ImportFormat | 'auto',
  mapping: ColumnMapping | undefined,
  maxBytes: number = SETTING_DEFAULTS['imports.maxFileBytes'],
): Promise<ImportSource> {
  const path = resolve(rawPath);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new LuminFailure('not_found', `imports.preview: no file at ${path}`, { field: 'path', path });
  }
  if (!info.isFile())
    throw new LuminFailure('invalid_argument', `imports.preview: ${path} is not a file`, { field: 'path' });
  if (info.size > maxBytes)
    throw new LuminFailure(
      'invalid_argument',
      `${path} is ${formatCount(info.size)} bytes, over the import limit of ${formatCount(maxBytes)} bytes ` +
        '(setting imports.maxFileBytes); nothing imported',
      { field: 'path', path, limit: 'fileBytes' },
    );
  const handle = await open(path, 'r');
  let head: Uint8Array;
  try {
    const buffer = new Uint8Array(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const detected = detectLimited(path, head);
  if (format === 'auto') {
    if (!detected.ok)
      throw new LuminFailure(
        'invalid_argument',
        `${path} cannot be read as any format Lumin knows: ${detected.reason}`,
        {
          field: 'path',
          path,
        },
      );
    return {
      path,
      size: info.size,
      modifiedMs: info.mtimeMs,
      format: detected.format,
      ...(detected.delimiter ? { delimiter: detected.delimiter } : {}),
      ...(mapping || detected.mapping ? { mapping: { ...detected.mapping, ...mapping } } : {}),
    };
  }
  if (info.size === 0)
    throw new LuminFailure('invalid_argument', `${path} is empty`, { field: 'path', path });
  // An explicit format wins over detection, but keeps the detected delimiter and mapping when they agree.
  const agrees = detected.ok && detected.format === format;
  return {
    path,
    size: info.size,
    modifiedMs: info.mtimeMs,
    format,
    ...(agrees && detected.delimiter ? { delimiter: detected.delimiter } : {}),
    ...(mapping || (agrees && detected.mapping)
      ? { mapping: { ...(agrees ? detected.mapping : {}), ...mapping } }
      : {}),
  };
}

/** Fails with `conflict` when the file changed since the preview read it. */
export async function assertUnchanged(source: ImportSource): Promise<void> {
  const info = await stat(source.path).catch(() => null);
  if (!info || info.size !== source.size || info.mtimeMs !== source.modifiedMs)
    throw new LuminFailure('conflict', `${source.path} changed since the preview; preview it again`, {
      path: source.path,
    });
}

function limited(path: string, read: () => ParsedRow[]): ParsedRow[] {
  try {
    return read();
  } catch (error) {
    if (error instanceof ImportLimitError) throw limitFailure(path, error);
    throw error;
  }
}

/**
 * Parses the file in batches of about `batchSize` rows. `onBytes` reports progress through the file.
 * Every parser gets raw bytes and decodes them itself (UTF-8, UTF-16 with a BOM, MARC-8 for MARC).
 */
export async function* parseBatches(
  source: ImportSource,
  batchSize: number,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<ParsedRow[]> {
  const parser = createParser(source.format, {
    ...(source.delimiter ? { delimiter: source.delimiter } : {}),
    ...(source.mapping ? { mapping: source.mapping } : {}),
  });
  let pending: ParsedRow[] = [];
  let bytesRead = 0;
  for await (const chunk of createReadStream(source.path, { highWaterMark: CHUNK_BYTES })) {
    const bytes = chunk as Uint8Array;
    bytesRead += bytes.length;
    // Bytes, not text: the parsers decode UTF-8 and UTF-16 (Excel's "Unicode Text") themselves.
    for (const row of limited(source.path, () => parser.push(bytes))) pending.push(row);
    onBytes?.(bytesRead);
    if (pending.length >= batchSize) {
      yield pending;
      pending = [];
    }
  }
  for (const row of limited(source.path, () => parser.end())) pending.push(row);
  if (pending.length > 0) yield pending;
}
