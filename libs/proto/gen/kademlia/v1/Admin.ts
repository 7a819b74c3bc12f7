// Original file: proto/kademlia/v1/admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { RoutingTableRequest as _kademlia_v1_RoutingTableRequest, RoutingTableRequest__Output as _kademlia_v1_RoutingTableRequest__Output } from '../../kademlia/v1/RoutingTableRequest.js';
import type { RoutingTableResponse as _kademlia_v1_RoutingTableResponse, RoutingTableResponse__Output as _kademlia_v1_RoutingTableResponse__Output } from '../../kademlia/v1/RoutingTableResponse.js';
import type { StatsRequest as _kademlia_v1_StatsRequest, StatsRequest__Output as _kademlia_v1_StatsRequest__Output } from '../../kademlia/v1/StatsRequest.js';
import type { StatsResponse as _kademlia_v1_StatsResponse, StatsResponse__Output as _kademlia_v1_StatsResponse__Output } from '../../kademlia/v1/StatsResponse.js';

export interface AdminClient extends grpc.Client {
  RoutingTable(argument: _kademlia_v1_RoutingTableRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  RoutingTable(argument: _kademlia_v1_RoutingTableRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  RoutingTable(argument: _kademlia_v1_RoutingTableRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  RoutingTable(argument: _kademlia_v1_RoutingTableRequest, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  routingTable(argument: _kademlia_v1_RoutingTableRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  routingTable(argument: _kademlia_v1_RoutingTableRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  routingTable(argument: _kademlia_v1_RoutingTableRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  routingTable(argument: _kademlia_v1_RoutingTableRequest, callback: grpc.requestCallback<_kademlia_v1_RoutingTableResponse__Output>): grpc.ClientUnaryCall;
  
  Stats(argument: _kademlia_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _kademlia_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _kademlia_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _kademlia_v1_StatsRequest, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _kademlia_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _kademlia_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _kademlia_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _kademlia_v1_StatsRequest, callback: grpc.requestCallback<_kademlia_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AdminHandlers extends grpc.UntypedServiceImplementation {
  RoutingTable: grpc.handleUnaryCall<_kademlia_v1_RoutingTableRequest__Output, _kademlia_v1_RoutingTableResponse>;
  
  Stats: grpc.handleUnaryCall<_kademlia_v1_StatsRequest__Output, _kademlia_v1_StatsResponse>;
  
}

export interface AdminDefinition extends grpc.ServiceDefinition {
  RoutingTable: MethodDefinition<_kademlia_v1_RoutingTableRequest, _kademlia_v1_RoutingTableResponse, _kademlia_v1_RoutingTableRequest__Output, _kademlia_v1_RoutingTableResponse__Output>
  Stats: MethodDefinition<_kademlia_v1_StatsRequest, _kademlia_v1_StatsResponse, _kademlia_v1_StatsRequest__Output, _kademlia_v1_StatsResponse__Output>
}
