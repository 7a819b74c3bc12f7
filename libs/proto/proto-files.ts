/**
 * Where the .proto files are: for the tools and tests that read them (the reflection test checks
 * the served descriptors against them). The node itself never loads them: its messages and
 * services are generated code (scripts/gen-messages.mjs).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The gRPC services' files (package kademlia.v1). */
export const PROTO_FILES = [
  'kademlia/v1/types.proto',
  'kademlia/v1/peer.proto',
  'kademlia/v1/dht.proto',
  'kademlia/v1/admin.proto',
] as const;

/** The proto/ folder: found by walking up from this module (works from the sources and dist/). */
export function protoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'kademlia', 'v1', 'types.proto'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('proto/kademlia/v1 not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
