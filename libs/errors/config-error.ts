/**
 * A setting that cannot be used (a bad flag, an unreadable file it names): what `kad` reports
 * as a usage error (exit code 2), before any actor starts.
 */
import { readFileSync } from 'node:fs';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A file a setting names (a certificate, a key, a creds file), read; unreadable: a ConfigError
 * naming the flag, the file and why. */
export function readSettingFile(file: string, what: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`--${flag}: cannot read the ${what} ${JSON.stringify(file)} (${reason})`);
  }
}
