import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AdminClient as _kademlia_v1_AdminClient, AdminDefinition as _kademlia_v1_AdminDefinition } from './kademlia/v1/Admin.js';
import type { Bucket as _kademlia_v1_Bucket, Bucket__Output as _kademlia_v1_Bucket__Output } from './kademlia/v1/Bucket.js';
import type { BusMessageCount as _kademlia_v1_BusMessageCount, BusMessageCount__Output as _kademlia_v1_BusMessageCount__Output } from './kademlia/v1/BusMessageCount.js';
import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from './kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from './kademlia/v1/Record.js';
import type { RecordOwner as _kademlia_v1_RecordOwner, RecordOwner__Output as _kademlia_v1_RecordOwner__Output } from './kademlia/v1/RecordOwner.js';
import type { RoutingTableRequest as _kademlia_v1_RoutingTableRequest, RoutingTableRequest__Output as _kademlia_v1_RoutingTableRequest__Output } from './kademlia/v1/RoutingTableRequest.js';
import type { RoutingTableResponse as _kademlia_v1_RoutingTableResponse, RoutingTableResponse__Output as _kademlia_v1_RoutingTableResponse__Output } from './kademlia/v1/RoutingTableResponse.js';
import type { StatsRequest as _kademlia_v1_StatsRequest, StatsRequest__Output as _kademlia_v1_StatsRequest__Output } from './kademlia/v1/StatsRequest.js';
import type { StatsResponse as _kademlia_v1_StatsResponse, StatsResponse__Output as _kademlia_v1_StatsResponse__Output } from './kademlia/v1/StatsResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kademlia: {
    v1: {
      Admin: SubtypeConstructor<typeof grpc.Client, _kademlia_v1_AdminClient> & { service: _kademlia_v1_AdminDefinition }
      Bucket: MessageTypeDefinition<_kademlia_v1_Bucket, _kademlia_v1_Bucket__Output>
      BusMessageCount: MessageTypeDefinition<_kademlia_v1_BusMessageCount, _kademlia_v1_BusMessageCount__Output>
      Contact: MessageTypeDefinition<_kademlia_v1_Contact, _kademlia_v1_Contact__Output>
      Record: MessageTypeDefinition<_kademlia_v1_Record, _kademlia_v1_Record__Output>
      RecordOwner: MessageTypeDefinition<_kademlia_v1_RecordOwner, _kademlia_v1_RecordOwner__Output>
      RoutingTableRequest: MessageTypeDefinition<_kademlia_v1_RoutingTableRequest, _kademlia_v1_RoutingTableRequest__Output>
      RoutingTableResponse: MessageTypeDefinition<_kademlia_v1_RoutingTableResponse, _kademlia_v1_RoutingTableResponse__Output>
      StatsRequest: MessageTypeDefinition<_kademlia_v1_StatsRequest, _kademlia_v1_StatsRequest__Output>
      StatsResponse: MessageTypeDefinition<_kademlia_v1_StatsResponse, _kademlia_v1_StatsResponse__Output>
    }
  }
}

