// Original file: proto/kademlia/v1/dht.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetRequest as _kademlia_v1_GetRequest, GetRequest__Output as _kademlia_v1_GetRequest__Output } from '../../kademlia/v1/GetRequest.js';
import type { GetResponse as _kademlia_v1_GetResponse, GetResponse__Output as _kademlia_v1_GetResponse__Output } from '../../kademlia/v1/GetResponse.js';
import type { PutRequest as _kademlia_v1_PutRequest, PutRequest__Output as _kademlia_v1_PutRequest__Output } from '../../kademlia/v1/PutRequest.js';
import type { PutResponse as _kademlia_v1_PutResponse, PutResponse__Output as _kademlia_v1_PutResponse__Output } from '../../kademlia/v1/PutResponse.js';

export interface DhtClient extends grpc.Client {
  Get(argument: _kademlia_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _kademlia_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _kademlia_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _kademlia_v1_GetRequest, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kademlia_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kademlia_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kademlia_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _kademlia_v1_GetRequest, callback: grpc.requestCallback<_kademlia_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  
  Put(argument: _kademlia_v1_PutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _kademlia_v1_PutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _kademlia_v1_PutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _kademlia_v1_PutRequest, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _kademlia_v1_PutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _kademlia_v1_PutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _kademlia_v1_PutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _kademlia_v1_PutRequest, callback: grpc.requestCallback<_kademlia_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface DhtHandlers extends grpc.UntypedServiceImplementation {
  Get: grpc.handleUnaryCall<_kademlia_v1_GetRequest__Output, _kademlia_v1_GetResponse>;
  
  Put: grpc.handleUnaryCall<_kademlia_v1_PutRequest__Output, _kademlia_v1_PutResponse>;
  
}

export interface DhtDefinition extends grpc.ServiceDefinition {
  Get: MethodDefinition<_kademlia_v1_GetRequest, _kademlia_v1_GetResponse, _kademlia_v1_GetRequest__Output, _kademlia_v1_GetResponse__Output>
  Put: MethodDefinition<_kademlia_v1_PutRequest, _kademlia_v1_PutResponse, _kademlia_v1_PutRequest__Output, _kademlia_v1_PutResponse__Output>
}
