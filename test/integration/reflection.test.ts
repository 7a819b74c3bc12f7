/**
 * gRPC reflection on a running node (real process, real socket), as grpcurl or Postman use it:
 * it lists the node's services, serves their files, and does not advertise the actors' bus
 * messages (package kademlia.bus.v1), which no client can call.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { ProcessCluster } from '../testkit/process-cluster.js';

const REFLECTION_PROTO = createRequire(import.meta.url).resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');

interface ReflectionReply {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}
type ReflectionStream = grpc.ClientDuplexStream<Record<string, string>, ReflectionReply>;

/** One request on the reflection stream, and its reply. */
function ask(stream: ReflectionStream, request: Record<string, string>): Promise<ReflectionReply> {
  return new Promise((resolve, reject) => {
    stream.once('data', resolve);
    stream.once('error', reject);
    stream.write(request);
  });
}

/** `package.Message` of every message in the files of a reply. */
const messagesOf = (reply: ReflectionReply): string[] =>
  (reply.fileDescriptorResponse?.fileDescriptorProto ?? []).flatMap((bytes) => {
    const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as { package: string; messageType: { name: string }[] };
    return file.messageType.map((m) => `${file.package}.${m.name}`);
  });

describe('gRPC reflection on a node', () => {
  let cluster: ProcessCluster;
  let stream: ReflectionStream;
  let client: grpc.Client;

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 1 });
    const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(REFLECTION_PROTO, { keepCase: false, longs: Number, defaults: true })) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    client = new loaded.grpc.reflection.v1.ServerReflection(cluster.nodes[0]!.address, grpc.credentials.createInsecure());
    stream = (client as unknown as { serverReflectionInfo(): ReflectionStream }).serverReflectionInfo();
  });
  after(async () => {
    stream?.end();
    client?.close();
    await cluster?.stop();
  });

  test('lists the node services and serves their files, without the bus messages', async () => {
    const services = (await ask(stream, { listServices: '' })).listServicesResponse?.service.map((s) => s.name) ?? [];
    for (const name of ['kademlia.v1.Peer', 'kademlia.v1.Dht', 'kademlia.v1.Admin']) assert.ok(services.includes(name), `${name} listed`);
    assert.ok(!services.some((s) => s.startsWith('kademlia.bus')), 'no bus service');

    const served = messagesOf(await ask(stream, { fileContainingSymbol: 'kademlia.v1.Dht' }));
    for (const name of ['kademlia.v1.PutRequest', 'kademlia.v1.GetResponse', 'kademlia.v1.Record']) assert.ok(served.includes(name), `${name} served`);
    assert.deepEqual(served.filter((name) => /Outbound|Coordinator|Storage|ContactEvent|TableView/.test(name)), [], 'no bus message among them');

    const bus = await ask(stream, { fileContainingSymbol: 'kademlia.bus.v1.OutboundPing' });
    assert.equal(bus.errorResponse?.errorCode, grpc.status.NOT_FOUND, 'a bus message is not advertised');
    const busInV1 = await ask(stream, { fileContainingSymbol: 'kademlia.v1.OutboundPing' });
    assert.equal(busInV1.errorResponse?.errorCode, grpc.status.NOT_FOUND);
  });
});
