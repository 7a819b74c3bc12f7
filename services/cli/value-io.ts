/**
 * Values in and out of `kad` byte for byte. In: the argument's UTF-8 text, stdin (`-`) or a file
 * (`--file`), so a value of any size and any bytes can be given. Out: the exact bytes when
 * stdout is not a terminal (or with `--raw`), text and a newline on a terminal, and in `--json`
 * base64 (or UTF-8 text with `--encoding utf8`).
 */
import type { Readable, Writable } from 'node:stream';
import { readSettingFile } from '../../libs/errors/index.js';

export const VALUE_ENCODINGS = ['base64', 'utf8'] as const;
export type ValueEncoding = (typeof VALUE_ENCODINGS)[number];

/** The value to store: `-` is stdin's bytes, `file` the file's, anything else its UTF-8 text. */
export async function readValue(argument: string | undefined, file: string | undefined, stdin: Readable): Promise<Uint8Array> {
  if (file !== undefined) return readSettingFile(file, 'value file', 'file');
  if (argument === '-') return readAll(stdin);
  return Buffer.from(argument ?? '', 'utf8');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** How `kad get` writes a found value. */
export function renderValue(value: Uint8Array, options: { raw: boolean; terminal: boolean }): Uint8Array | string {
  if (options.raw || !options.terminal) return value;
  return `${Buffer.from(value).toString('utf8')}\n`;
}

export function encodeValue(value: Uint8Array, encoding: ValueEncoding): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString(encoding);
}

/** Writes and waits until the stream has taken it (so an exit right after loses nothing). */
export function writeTo(stream: Writable, data: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}
