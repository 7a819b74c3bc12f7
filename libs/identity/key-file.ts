/**
 * Ed25519 keys in files: a node's key in its data dir, a client's key wherever `kad keygen` wrote
 * it. Files are PKCS#8 PEM, mode 0600, written whole or not at all.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SigningKey } from './ed25519.js';

/** Reads the key in `path`; a missing or malformed file is an error naming it. */
export function readKeyFile(path: string): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read key file ${path}: ${(err as Error).message}`);
  }
  try {
    return SigningKey.fromPem(pem);
  } catch (err) {
    throw new Error(`${path} holds no Ed25519 private key (PKCS#8 PEM): ${(err as Error).message}`);
  }
}

/** Writes a new key to `path`; never replaces an existing file (EEXIST). */
export function writeNewKeyFile(path: string): SigningKey {
  const key = SigningKey.generate();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, key.toPem(), { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } finally {
    unlinkSync(tmp);
  }
  return key;
}

/**
 * The key in `path`, created there when absent. Processes that share the file (the four actors
 * of a split node) all end up with the one key: creation is an atomic link, and the loser of a
 * race reads the winner's file.
 */
export function loadOrCreateKeyFile(path: string): SigningKey {
  if (!existsSync(path)) {
    try {
      return writeNewKeyFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readKeyFile(path);
}
