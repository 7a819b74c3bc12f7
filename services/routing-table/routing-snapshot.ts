/**
 * The routing table's contacts on disk (`<data dir>/routing-table.json`), so a restarted node
 * can rejoin through the peers it knew even when its bootstrap nodes are gone. Written
 * atomically (temporary file, then rename); a missing or damaged file is an empty snapshot.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidAddress, type Contact, idFromHex, idToHex } from '../../libs/kademlia/index.js';

const FILE = 'routing-table.json';
/** More than any table holds in practice; a larger file is not trusted. */
const MAX_SNAPSHOT_CONTACTS = 10_000;

interface SnapshotFile {
  readonly version: 1;
  readonly contacts: ReadonlyArray<{ readonly id: string; readonly address: string }>;
}

export function saveSnapshot(dataDir: string, contacts: readonly Contact[]): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, FILE);
  const body: SnapshotFile = { version: 1, contacts: contacts.map((c) => ({ id: idToHex(c.id), address: c.address })) };
  writeFileSync(`${file}.tmp`, JSON.stringify(body));
  renameSync(`${file}.tmp`, file);
}

export function loadSnapshot(dataDir: string): Contact[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8'));
  } catch {
    return [];
  }
  const contacts = (parsed as Partial<SnapshotFile>).contacts;
  if (!Array.isArray(contacts)) return [];
  const result: Contact[] = [];
  for (const entry of contacts.slice(0, MAX_SNAPSHOT_CONTACTS)) {
    try {
      if (typeof entry?.address === 'string' && isValidAddress(entry.address) && typeof entry.id === 'string') {
        result.push({ id: idFromHex(entry.id), address: entry.address });
      }
    } catch {
      // a damaged entry is skipped
    }
  }
  return result;
}
