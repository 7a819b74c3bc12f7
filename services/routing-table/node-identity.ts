/**
 * The node's 256-bit id: kept in `<data dir>/node-id` so a restarted node keeps its place in the
 * id space; a node with no data dir draws a fresh id on every start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { idFromHex, idToHex, randomId, type NodeId, type RandomBytes } from '../../libs/kademlia/id.js';

const ID_FILE = 'node-id';

export function loadOrCreateNodeId(dataDir: string | undefined, random: RandomBytes): NodeId {
  if (dataDir === undefined) return randomId(random);
  const file = join(dataDir, ID_FILE);
  try {
    return idFromHex(readFileSync(file, 'utf8').trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomId(random);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(`${file}.tmp`, idToHex(id) + '\n');
  renameSync(`${file}.tmp`, file);
  return id;
}
