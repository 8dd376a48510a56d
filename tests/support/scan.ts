/** Finds byte sequences anywhere in a folder: plain files, and the unpacked tar inside every `.tar.gz`. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The byte forms a string can take on disk: UTF-8 (as typed and lower-cased), UTF-16 LE and BE. */
export function byteForms(text: string): Buffer[] {
  const forms = [text, text.toLowerCase()].flatMap((form) => {
    const little = Buffer.from(form, 'utf16le');
    const big = Buffer.from(little).swap16();
    return [Buffer.from(form, 'utf8'), little, big];
  });
  return forms;
}

/** Every `file: needle` where one of `needles`' byte forms occurs under `folder`. */
export function findBytes(folder: string, needles: string[]): string[] {
  const forms = needles.map((needle) => ({ needle, bytes: byteForms(needle) }));
  const hits: string[] = [];
  const look = (label: string, content: Buffer) => {
    for (const { needle, bytes } of forms)
      if (bytes.some((form) => content.includes(form))) hits.push(`${label}: ${needle}`);
  };
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const content = readFileSync(path);
    look(path, content);
    if (entry.name.endsWith('.gz')) look(`${path} (unpacked)`, gunzipSync(content));
  }
  return hits;
}
