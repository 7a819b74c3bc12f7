/**
 * gRPC server reflection as grpcurl, buf curl and Postman see the node: the .proto files as
 * written (one descriptor per file, snake_case field names, comments, imports), compiled by
 * `buf build` into descriptors.gen.ts (scripts/gen-descriptors.mjs, checked current by npm run
 * lint). Not what the server runs on: that is the ts-proto code (scripts/gen-messages.mjs), which
 * carries no descriptors; proto-loader's, used before, had camelCase names and merged files.
 * Served: kademlia.v1 Dht, Peer, Admin and grpc.health.v1 Health; never the bus package.
 */
import { ReflectionService } from '@grpc/reflection';
import { REFLECTION_FILES } from './descriptors.gen.js';

/** The services reflection lists (every service the node's gRPC server registers, but itself). */
export const REFLECTED_SERVICES = ['kademlia.v1.Dht', 'kademlia.v1.Peer', 'kademlia.v1.Admin', 'grpc.health.v1.Health'] as const;

type ReflectedPackage = ConstructorParameters<typeof ReflectionService>[0];

/** The served files' FileDescriptorProtos, in the shape @grpc/reflection reads (it indexes every
 * `fileDescriptorProtos` of the definition it is given, by each file's own name). */
export function reflectedPackage(): ReflectedPackage {
  const fileDescriptorProtos = REFLECTION_FILES.map((file) => Buffer.from(file.descriptor, 'base64'));
  return { 'kademlia.reflection.files': { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos } };
}

export function reflectionService(): ReflectionService {
  return new ReflectionService(reflectedPackage(), { services: [...REFLECTED_SERVICES] });
}
