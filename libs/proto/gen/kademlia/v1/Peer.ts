// Original file: proto/kademlia/v1/peer.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { FindNodeRequest as _kademlia_v1_FindNodeRequest, FindNodeRequest__Output as _kademlia_v1_FindNodeRequest__Output } from '../../kademlia/v1/FindNodeRequest.js';
import type { FindNodeResponse as _kademlia_v1_FindNodeResponse, FindNodeResponse__Output as _kademlia_v1_FindNodeResponse__Output } from '../../kademlia/v1/FindNodeResponse.js';
import type { FindValueRequest as _kademlia_v1_FindValueRequest, FindValueRequest__Output as _kademlia_v1_FindValueRequest__Output } from '../../kademlia/v1/FindValueRequest.js';
import type { FindValueResponse as _kademlia_v1_FindValueResponse, FindValueResponse__Output as _kademlia_v1_FindValueResponse__Output } from '../../kademlia/v1/FindValueResponse.js';
import type { PingRequest as _kademlia_v1_PingRequest, PingRequest__Output as _kademlia_v1_PingRequest__Output } from '../../kademlia/v1/PingRequest.js';
import type { PingResponse as _kademlia_v1_PingResponse, PingResponse__Output as _kademlia_v1_PingResponse__Output } from '../../kademlia/v1/PingResponse.js';
import type { StoreRequest as _kademlia_v1_StoreRequest, StoreRequest__Output as _kademlia_v1_StoreRequest__Output } from '../../kademlia/v1/StoreRequest.js';
import type { StoreResponse as _kademlia_v1_StoreResponse, StoreResponse__Output as _kademlia_v1_StoreResponse__Output } from '../../kademlia/v1/StoreResponse.js';

export interface PeerClient extends grpc.Client {
  FindNode(argument: _kademlia_v1_FindNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  FindNode(argument: _kademlia_v1_FindNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  FindNode(argument: _kademlia_v1_FindNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  FindNode(argument: _kademlia_v1_FindNodeRequest, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  findNode(argument: _kademlia_v1_FindNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  findNode(argument: _kademlia_v1_FindNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  findNode(argument: _kademlia_v1_FindNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  findNode(argument: _kademlia_v1_FindNodeRequest, callback: grpc.requestCallback<_kademlia_v1_FindNodeResponse__Output>): grpc.ClientUnaryCall;
  
  FindValue(argument: _kademlia_v1_FindValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  FindValue(argument: _kademlia_v1_FindValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  FindValue(argument: _kademlia_v1_FindValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  FindValue(argument: _kademlia_v1_FindValueRequest, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  findValue(argument: _kademlia_v1_FindValueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  findValue(argument: _kademlia_v1_FindValueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  findValue(argument: _kademlia_v1_FindValueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  findValue(argument: _kademlia_v1_FindValueRequest, callback: grpc.requestCallback<_kademlia_v1_FindValueResponse__Output>): grpc.ClientUnaryCall;
  
  Ping(argument: _kademlia_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _kademlia_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _kademlia_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _kademlia_v1_PingRequest, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _kademlia_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _kademlia_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _kademlia_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _kademlia_v1_PingRequest, callback: grpc.requestCallback<_kademlia_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  
  Store(argument: _kademlia_v1_StoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  Store(argument: _kademlia_v1_StoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  Store(argument: _kademlia_v1_StoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  Store(argument: _kademlia_v1_StoreRequest, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  store(argument: _kademlia_v1_StoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  store(argument: _kademlia_v1_StoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  store(argument: _kademlia_v1_StoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  store(argument: _kademlia_v1_StoreRequest, callback: grpc.requestCallback<_kademlia_v1_StoreResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface PeerHandlers extends grpc.UntypedServiceImplementation {
  FindNode: grpc.handleUnaryCall<_kademlia_v1_FindNodeRequest__Output, _kademlia_v1_FindNodeResponse>;
  
  FindValue: grpc.handleUnaryCall<_kademlia_v1_FindValueRequest__Output, _kademlia_v1_FindValueResponse>;
  
  Ping: grpc.handleUnaryCall<_kademlia_v1_PingRequest__Output, _kademlia_v1_PingResponse>;
  
  Store: grpc.handleUnaryCall<_kademlia_v1_StoreRequest__Output, _kademlia_v1_StoreResponse>;
  
}

export interface PeerDefinition extends grpc.ServiceDefinition {
  FindNode: MethodDefinition<_kademlia_v1_FindNodeRequest, _kademlia_v1_FindNodeResponse, _kademlia_v1_FindNodeRequest__Output, _kademlia_v1_FindNodeResponse__Output>
  FindValue: MethodDefinition<_kademlia_v1_FindValueRequest, _kademlia_v1_FindValueResponse, _kademlia_v1_FindValueRequest__Output, _kademlia_v1_FindValueResponse__Output>
  Ping: MethodDefinition<_kademlia_v1_PingRequest, _kademlia_v1_PingResponse, _kademlia_v1_PingRequest__Output, _kademlia_v1_PingResponse__Output>
  Store: MethodDefinition<_kademlia_v1_StoreRequest, _kademlia_v1_StoreResponse, _kademlia_v1_StoreRequest__Output, _kademlia_v1_StoreResponse__Output>
}
