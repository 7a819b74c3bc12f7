/**
 * Records on disk: a LevelDB database in `<data dir>/records` (via `classic-level`, the Level
 * project's maintained binding, with prebuilt binaries inside the npm package), one entry per
 * record id holding the protobuf-encoded record. The storage actor keeps the rules in memory
 * (MemoryRecordStore) and writes every change through here before it answers, so an
 * acknowledged STORE survives a crash; on start it reads everything back.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { KadRecord } from '../../libs/kademlia/index.js';
import { decode, encode, recordFromWire, recordToWire } from '../../libs/proto/index.js';

export type LoadedEntry = { readonly idHex: string; readonly record: KadRecord } | { readonly idHex: string; readonly error: string };

export class RecordDb {
  private constructor(private readonly db: ClassicLevel<string, Uint8Array>) {}

  static async open(dataDir: string): Promise<RecordDb> {
    const path = join(dataDir, 'records');
    mkdirSync(path, { recursive: true });
    const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    return new RecordDb(db);
  }

  /** Every record on disk; entries that no longer decode are reported, not thrown. */
  async load(): Promise<LoadedEntry[]> {
    const entries: LoadedEntry[] = [];
    for await (const [idHex, value] of this.db.iterator()) {
      try {
        entries.push({ idHex, record: recordFromWire(decode('Record', value)) });
      } catch (err) {
        entries.push({ idHex, error: (err as Error).message });
      }
    }
    return entries;
  }

  put(idHex: string, record: KadRecord): Promise<void> {
    return this.db.put(idHex, encode('Record', recordToWire(record)));
  }

  remove(idHex: string): Promise<void> {
    return this.db.del(idHex);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
