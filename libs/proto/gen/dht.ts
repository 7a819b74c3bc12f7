import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from './kademlia/v1/Contact.js';
import type { DhtClient as _kademlia_v1_DhtClient, DhtDefinition as _kademlia_v1_DhtDefinition } from './kademlia/v1/Dht.js';
import type { GetRequest as _kademlia_v1_GetRequest, GetRequest__Output as _kademlia_v1_GetRequest__Output } from './kademlia/v1/GetRequest.js';
import type { GetResponse as _kademlia_v1_GetResponse, GetResponse__Output as _kademlia_v1_GetResponse__Output } from './kademlia/v1/GetResponse.js';
import type { LookupHop as _kademlia_v1_LookupHop, LookupHop__Output as _kademlia_v1_LookupHop__Output } from './kademlia/v1/LookupHop.js';
import type { PutRequest as _kademlia_v1_PutRequest, PutRequest__Output as _kademlia_v1_PutRequest__Output } from './kademlia/v1/PutRequest.js';
import type { PutResponse as _kademlia_v1_PutResponse, PutResponse__Output as _kademlia_v1_PutResponse__Output } from './kademlia/v1/PutResponse.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from './kademlia/v1/Record.js';
import type { RecordOwner as _kademlia_v1_RecordOwner, RecordOwner__Output as _kademlia_v1_RecordOwner__Output } from './kademlia/v1/RecordOwner.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kademlia: {
    v1: {
      Contact: MessageTypeDefinition<_kademlia_v1_Contact, _kademlia_v1_Contact__Output>
      Dht: SubtypeConstructor<typeof grpc.Client, _kademlia_v1_DhtClient> & { service: _kademlia_v1_DhtDefinition }
      GetRequest: MessageTypeDefinition<_kademlia_v1_GetRequest, _kademlia_v1_GetRequest__Output>
      GetResponse: MessageTypeDefinition<_kademlia_v1_GetResponse, _kademlia_v1_GetResponse__Output>
      LookupHop: MessageTypeDefinition<_kademlia_v1_LookupHop, _kademlia_v1_LookupHop__Output>
      PutRequest: MessageTypeDefinition<_kademlia_v1_PutRequest, _kademlia_v1_PutRequest__Output>
      PutResponse: MessageTypeDefinition<_kademlia_v1_PutResponse, _kademlia_v1_PutResponse__Output>
      Record: MessageTypeDefinition<_kademlia_v1_Record, _kademlia_v1_Record__Output>
      RecordOwner: MessageTypeDefinition<_kademlia_v1_RecordOwner, _kademlia_v1_RecordOwner__Output>
    }
  }
}

