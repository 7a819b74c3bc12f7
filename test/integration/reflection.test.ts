/**
 * gRPC reflection on running nodes (real processes, real sockets), as grpcurl, buf curl or
 * Postman use it: it lists the node's services (Dht, Peer, Admin, grpc.health.v1.Health), serves
 * their .proto files one descriptor per file with the files' own names and snake_case field
 * names, and does not advertise the actors' bus messages (package kademlia.bus.v1). Then an
 * independent reflection client, `buf curl` (npm package @bufbuild/buf), lists the methods and
 * calls Put and Get with snake_case JSON.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { PROTO_FILES, protoRoot } from '../../libs/proto/index.js';
import { ProcessCluster } from '../../harness/process-cluster.js';

const require = createRequire(import.meta.url);
const REFLECTION_PROTO = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
const HEALTH_PROTO = require.resolve('grpc-health-check/proto/health/v1/health.proto');
const BUF = require.resolve('@bufbuild/buf/bin/buf');
const PUBLIC_SERVICES = ['grpc.health.v1.Health', 'kademlia.v1.Admin', 'kademlia.v1.Dht', 'kademlia.v1.Peer'];

interface ReflectionReply {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}
type ReflectionStream = grpc.ClientDuplexStream<Record<string, string>, ReflectionReply>;

/** The parts of a decoded FileDescriptorProto (protobufjs/ext/descriptor) this test reads. */
interface FieldProto {
  name: string;
  number: number;
  jsonName: string;
  proto3Optional: boolean;
}
interface MessageProto {
  name: string;
  field: FieldProto[];
  nestedType: MessageProto[];
  options?: { mapEntry?: boolean };
}
interface FileProto {
  name: string;
  package: string;
  dependency: string[];
  messageType: MessageProto[];
  service: { name: string; method: { name: string }[] }[];
}

const decodeFile = (bytes: Uint8Array): FileProto => {
  const message = descriptor.FileDescriptorProto.decode(bytes);
  return descriptor.FileDescriptorProto.toObject(message, { defaults: true, arrays: true }) as unknown as FileProto;
};

/** One request on the reflection stream, and its reply. */
function ask(stream: ReflectionStream, request: Record<string, string>): Promise<ReflectionReply> {
  return new Promise((resolve, reject) => {
    const onData = (reply: ReflectionReply): void => {
      stream.off('error', onError);
      resolve(reply);
    };
    const onError = (err: Error): void => {
      stream.off('data', onData);
      reject(err);
    };
    stream.once('data', onData);
    stream.once('error', onError);
    stream.write(request);
  });
}

async function filesFor(stream: ReflectionStream, request: Record<string, string>): Promise<FileProto[]> {
  const reply = await ask(stream, request);
  assert.equal(reply.errorResponse, undefined, `${JSON.stringify(request)}: ${reply.errorResponse?.errorMessage}`);
  return (reply.fileDescriptorResponse?.fileDescriptorProto ?? []).map(decodeFile);
}

/** `package.Message` (nested ones too) of every message in some files, with the message. */
function messagesOf(files: readonly FileProto[]): Map<string, MessageProto> {
  const found = new Map<string, MessageProto>();
  const walk = (scope: string, message: MessageProto): void => {
    const name = `${scope}.${message.name}`;
    found.set(name, message);
    for (const nested of message.nestedType) walk(name, nested);
  };
  for (const file of files) for (const message of file.messageType) walk(file.package, message);
  return found;
}

/** The .proto files as written (original field names), loaded by protobufjs from the sources. */
function sourceRoot(): protobuf.Root {
  const root = new protobuf.Root();
  const dir = protoRoot();
  root.resolvePath = (_origin, target) => (target === 'grpc/health/v1/health.proto' ? HEALTH_PROTO : join(dir, target));
  return root.loadSync([...PROTO_FILES, 'grpc/health/v1/health.proto'], { keepCase: true });
}

const execFileAsync = promisify(execFile);

/** `buf curl` over plaintext HTTP/2 gRPC, its schema from the node's reflection. */
async function bufCurl(args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [BUF, 'curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--connect-timeout', '5', ...args],
    { timeout: 30_000 },
  );
  return stdout;
}

describe('gRPC reflection on a node', () => {
  let cluster: ProcessCluster;
  let stream: ReflectionStream;
  let client: grpc.Client;

  before(async () => {
    cluster = await ProcessCluster.start({ nodes: 2 });
    await cluster.waitForTables(1);
    const loaded = grpc.loadPackageDefinition(
      protoLoader.loadSync(REFLECTION_PROTO, { keepCase: false, longs: Number, defaults: true }),
    ) as unknown as {
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

  test('lists the public services, health among them, and serves their files without the bus messages', async () => {
    const services = (await ask(stream, { listServices: '' })).listServicesResponse?.service.map((s) => s.name) ?? [];
    assert.deepEqual([...services].sort(), PUBLIC_SERVICES);

    const dht = await filesFor(stream, { fileContainingSymbol: 'kademlia.v1.Dht' });
    assert.deepEqual(
      dht.map((f) => f.name),
      ['kademlia/v1/dht.proto', 'kademlia/v1/types.proto'],
      'the file as written, not a merged one, with the one it imports',
    );
    const served = messagesOf(dht);
    for (const name of ['kademlia.v1.PutRequest', 'kademlia.v1.GetResponse', 'kademlia.v1.LookupHop', 'kademlia.v1.Contact'])
      assert.ok(served.has(name), `${name} served`);

    const peer = await filesFor(stream, { fileContainingSymbol: 'kademlia.v1.Peer' });
    assert.deepEqual(peer.map((f) => f.name).sort(), ['kademlia/v1/peer.proto', 'kademlia/v1/types.proto'], 'peer.proto and its import');
    assert.deepEqual(peer.find((f) => f.name === 'kademlia/v1/peer.proto')?.dependency, ['kademlia/v1/types.proto']);

    const health = await filesFor(stream, { fileContainingSymbol: 'grpc.health.v1.Health' });
    assert.deepEqual(
      health.map((f) => f.name),
      ['grpc/health/v1/health.proto'],
      'health under its canonical name',
    );
    assert.deepEqual(
      health[0]!.service[0]!.method.map((m) => m.name),
      ['Check', 'Watch', 'List'],
    );

    const all = [...dht, ...peer, ...health, ...(await filesFor(stream, { fileContainingSymbol: 'kademlia.v1.Admin' }))];
    assert.deepEqual(
      [...messagesOf(all).keys()].filter(
        (name) => name.startsWith('kademlia.bus') || /Outbound|Coordinator|Storage|ContactEvent|TableView/.test(name),
      ),
      [],
      'no bus message',
    );
    for (const symbol of ['kademlia.bus.v1.OutboundPing', 'kademlia.v1.OutboundPing']) {
      assert.equal(
        (await ask(stream, { fileContainingSymbol: symbol })).errorResponse?.errorCode,
        grpc.status.NOT_FOUND,
        `${symbol} is not advertised`,
      );
    }
    assert.equal((await ask(stream, { fileByFilename: 'kademlia/bus/v1/bus.proto' })).errorResponse?.errorCode, grpc.status.NOT_FOUND);
  });

  test('every served message has the fields of its .proto file: names (snake_case) and numbers', async () => {
    const files: FileProto[] = [];
    for (const symbol of PUBLIC_SERVICES) files.push(...(await filesFor(stream, { fileContainingSymbol: symbol }))); // one at a time: a reply answers the oldest request
    const served = messagesOf(files);
    const root = sourceRoot();
    assert.ok(served.size >= 20, `${served.size} messages served`);
    for (const [name, message] of served) {
      if (message.options?.mapEntry) continue; // a map field's synthetic entry, not in the source
      const source = root.lookupType(name);
      const fields = (m: { name: string; id: number }[]): string[] => m.map((f) => `${f.name}=${f.id}`).sort();
      assert.deepEqual(
        fields(message.field.map((f) => ({ name: f.name, id: f.number }))),
        fields(source.fieldsArray),
        `${name}: the fields of the .proto`,
      );
    }
    const put = served.get('kademlia.v1.PutRequest')!;
    const ttl = put.field.find((f) => f.number === 3);
    assert.deepEqual({ name: ttl?.name, jsonName: ttl?.jsonName }, { name: 'ttl_ms', jsonName: 'ttlMs' });
    assert.equal(put.field.find((f) => f.name === 'expected_seq')?.proto3Optional, true, 'proto3 optional, as compiled');
  });

  test('buf curl lists the methods, health among them, and Puts and Gets with snake_case JSON', async () => {
    const [first, second] = cluster.nodes;
    const methods = (await bufCurl(['--list-methods', `http://${first!.address}`])).split('\n').filter((line) => line !== '');
    for (const method of [
      'grpc.health.v1.Health/Check',
      'kademlia.v1.Dht/Put',
      'kademlia.v1.Dht/Get',
      'kademlia.v1.Peer/FindNode',
      'kademlia.v1.Admin/Stats',
    ]) {
      assert.ok(methods.includes(method), `${method} listed in ${methods.join(', ')}`);
    }
    assert.ok(!methods.some((m) => m.startsWith('kademlia.bus')), 'no bus method');

    const health = JSON.parse(await bufCurl([`http://${first!.address}/grpc.health.v1.Health/Check`])) as { status?: string };
    assert.equal(health.status, 'SERVING');

    // Bytes are base64 in proto JSON; the request names its fields as the .proto does.
    const key = randomBytes(16);
    const value = randomBytes(256);
    const putBody = JSON.stringify({ key: key.toString('base64'), value: value.toString('base64'), ttl_ms: 600_000 });
    const put = JSON.parse(await bufCurl(['--data', putBody, `http://${first!.address}/kademlia.v1.Dht/Put`])) as {
      acknowledged?: number;
      recordId?: string;
    };
    assert.equal(put.acknowledged, 2, `Put stored on both nodes: ${JSON.stringify(put)}`);
    assert.equal(put.recordId?.length, 44, 'a 32-byte record id, in base64');

    // Through the other node, which reflects the same schema.
    const getBody = JSON.stringify({ key: key.toString('base64'), quorum: 1 });
    const got = JSON.parse(await bufCurl(['--data', getBody, `http://${second!.address}/kademlia.v1.Dht/Get`])) as {
      found?: boolean;
      value?: string;
      expiresMs?: string;
    };
    assert.equal(got.found, true);
    assert.deepEqual(Buffer.from(got.value ?? '', 'base64'), value, 'the value Put, byte for byte');

    // A field the .proto does not have is refused by the client, as any proto JSON parser does.
    await assert.rejects(
      bufCurl(['--data', JSON.stringify({ key: key.toString('base64'), ttl_millis: 1 }), `http://${first!.address}/kademlia.v1.Dht/Put`]),
      /ttl_millis/,
    );
  });
});
