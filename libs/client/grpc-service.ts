/**
 * The generated services on @grpc/grpc-js. ts-proto writes each service as plain data (its
 * "generic definition": the method names and the message codecs, gen/); this module makes a
 * grpc-js service definition of it, and a client class, for the client here and for the node's
 * server and peer channels alike, so both sides of the wire encode with the same generated code
 * and nothing loads a .proto file at run time.
 *
 * Methods are named as in the .proto (`Put`, `FindNode`), as grpc-js and the proto loader before
 * it name them; a sender may leave fields out (WireInput), and the encoder fills in defaults.
 */
import * as grpc from '@grpc/grpc-js';
import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';

/** What ts-proto generates for one message type (the part used here). */
export interface MessageFns<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: WireInput<T>): T;
}

/**
 * What a sender may give for a message T: any field left out (its default), bytes as any
 * Uint8Array, and null for an absent message field. A decoded message is a full T.
 */
export type WireInput<T> = T extends Buffer
  ? Uint8Array
  : T extends readonly (infer E)[]
    ? readonly WireInput<E>[]
    : T extends object
      ? { [K in keyof T]?: WireInput<T[K]> | (undefined extends T[K] ? null : never) }
      : T;

/** One unary method of a generic definition. */
export interface UnaryMethodDefinition<Req, Res> {
  readonly name: string;
  readonly requestType: MessageFns<Req>;
  readonly requestStream: false;
  readonly responseType: MessageFns<Res>;
  readonly responseStream: false;
}

/** A service as ts-proto's `outputServices=generic-definitions` writes it. */
export interface ServiceDefinition {
  readonly name: string;
  readonly fullName: string;
  readonly methods: { readonly [key: string]: UnaryMethodDefinition<unknown, unknown> };
}

type RequestOf<M> = M extends { readonly requestType: MessageFns<infer Req> } ? Req : never;
type ResponseOf<M> = M extends { readonly responseType: MessageFns<infer Res> } ? Res : never;
type NameOf<M> = M extends { readonly name: infer N extends string } ? N : never;
type Methods<S extends ServiceDefinition> = S['methods'];

/** A unary call on a client, in grpc-js's four shapes. */
export interface UnaryClientMethod<Req, Res> {
  (
    request: WireInput<Req>,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: grpc.requestCallback<Res>,
  ): grpc.ClientUnaryCall;
  (request: WireInput<Req>, metadata: grpc.Metadata, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
  (request: WireInput<Req>, options: Partial<grpc.CallOptions>, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
  (request: WireInput<Req>, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
}

/** A grpc-js client of service S: one method per RPC, named as in the .proto. */
export type ServiceClient<S extends ServiceDefinition> = grpc.Client & {
  readonly [K in keyof Methods<S> as NameOf<Methods<S>[K]>]: UnaryClientMethod<RequestOf<Methods<S>[K]>, ResponseOf<Methods<S>[K]>>;
};

/** A server's implementation of service S (grpc-js `addService`). */
export type ServiceHandlers<S extends ServiceDefinition> = {
  [K in keyof Methods<S> as NameOf<Methods<S>[K]>]: grpc.handleUnaryCall<RequestOf<Methods<S>[K]>, WireInput<ResponseOf<Methods<S>[K]>>>;
};

export interface ServiceClientConstructor<S extends ServiceDefinition> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ClientOptions>): ServiceClient<S>;
  readonly service: grpc.ServiceDefinition;
  readonly serviceName: string;
}

const serializer =
  <T>(type: MessageFns<T>) =>
  (value: WireInput<T>): Buffer => {
    const bytes = type.encode(type.fromPartial(value)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
const deserializer =
  <T>(type: MessageFns<T>) =>
  (bytes: Buffer): T =>
    type.decode(bytes);

const definitions = new WeakMap<ServiceDefinition, grpc.ServiceDefinition>();

/** The grpc-js service definition of `service` (one per service, for `addService` and clients). */
export function grpcServiceDefinition(service: ServiceDefinition): grpc.ServiceDefinition {
  let definition = definitions.get(service);
  if (!definition) {
    const methods: { [name: string]: grpc.MethodDefinition<unknown, unknown> } = {};
    for (const [key, method] of Object.entries(service.methods)) {
      methods[method.name] = {
        path: `/${service.fullName}/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: serializer(method.requestType),
        requestDeserialize: deserializer(method.requestType),
        responseSerialize: serializer(method.responseType),
        responseDeserialize: deserializer(method.responseType),
        originalName: key,
      };
    }
    definition = methods;
    definitions.set(service, definition);
  }
  return definition;
}

/** The client class of `service`, as grpc.loadPackageDefinition would give it. */
export function serviceClientConstructor<S extends ServiceDefinition>(service: S): ServiceClientConstructor<S> {
  return grpc.makeGenericClientConstructor(grpcServiceDefinition(service), service.fullName) as unknown as ServiceClientConstructor<S>;
}

/** Channel options for every client: bounded messages, and no waiting for a dead peer. */
export function channelOptions(maxMessageBytes: number): grpc.ChannelOptions {
  return {
    ...serverOptions(maxMessageBytes),
    'grpc.enable_retries': 0,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
  };
}

/** Options for the server (and the base of every client's): bounded messages, no channelz
 * (its bookkeeping costs every call a little, and nothing here serves channelz). */
export function serverOptions(maxMessageBytes: number): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.enable_channelz': 0,
  };
}
