/**
 * Where the .proto files are and how they are loaded: one set of files and one set of loader
 * options for gRPC (via @grpc/proto-loader) and for the bus codec (via protobufjs, which
 * proto-loader itself uses), so both produce the same object shapes as the generated types.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The gRPC services' files (package kademlia.v1): what servers, clients and reflection load. */
export const PROTO_FILES = ['kademlia/v1/types.proto', 'kademlia/v1/peer.proto', 'kademlia/v1/dht.proto', 'kademlia/v1/admin.proto'] as const;

/** The actors' messages (package kademlia.bus.v1), which only the bus codec loads. */
export const BUS_PROTO_FILE = 'kademlia/bus/v1/bus.proto';

/** Options matching `npm run generate` (--longs=Number --enums=String --defaults --oneofs). */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: false,
  oneofs: true,
} as const;

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
