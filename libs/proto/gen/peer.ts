import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from './kademlia/v1/Contact.js';
import type { FindNodeRequest as _kademlia_v1_FindNodeRequest, FindNodeRequest__Output as _kademlia_v1_FindNodeRequest__Output } from './kademlia/v1/FindNodeRequest.js';
import type { FindNodeResponse as _kademlia_v1_FindNodeResponse, FindNodeResponse__Output as _kademlia_v1_FindNodeResponse__Output } from './kademlia/v1/FindNodeResponse.js';
import type { FindValueRequest as _kademlia_v1_FindValueRequest, FindValueRequest__Output as _kademlia_v1_FindValueRequest__Output } from './kademlia/v1/FindValueRequest.js';
import type { FindValueResponse as _kademlia_v1_FindValueResponse, FindValueResponse__Output as _kademlia_v1_FindValueResponse__Output } from './kademlia/v1/FindValueResponse.js';
import type { PeerClient as _kademlia_v1_PeerClient, PeerDefinition as _kademlia_v1_PeerDefinition } from './kademlia/v1/Peer.js';
import type { PingRequest as _kademlia_v1_PingRequest, PingRequest__Output as _kademlia_v1_PingRequest__Output } from './kademlia/v1/PingRequest.js';
import type { PingResponse as _kademlia_v1_PingResponse, PingResponse__Output as _kademlia_v1_PingResponse__Output } from './kademlia/v1/PingResponse.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from './kademlia/v1/Record.js';
import type { RecordOwner as _kademlia_v1_RecordOwner, RecordOwner__Output as _kademlia_v1_RecordOwner__Output } from './kademlia/v1/RecordOwner.js';
import type { StoreRequest as _kademlia_v1_StoreRequest, StoreRequest__Output as _kademlia_v1_StoreRequest__Output } from './kademlia/v1/StoreRequest.js';
import type { StoreResponse as _kademlia_v1_StoreResponse, StoreResponse__Output as _kademlia_v1_StoreResponse__Output } from './kademlia/v1/StoreResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kademlia: {
    v1: {
      Contact: MessageTypeDefinition<_kademlia_v1_Contact, _kademlia_v1_Contact__Output>
      FindNodeRequest: MessageTypeDefinition<_kademlia_v1_FindNodeRequest, _kademlia_v1_FindNodeRequest__Output>
      FindNodeResponse: MessageTypeDefinition<_kademlia_v1_FindNodeResponse, _kademlia_v1_FindNodeResponse__Output>
      FindValueRequest: MessageTypeDefinition<_kademlia_v1_FindValueRequest, _kademlia_v1_FindValueRequest__Output>
      FindValueResponse: MessageTypeDefinition<_kademlia_v1_FindValueResponse, _kademlia_v1_FindValueResponse__Output>
      Peer: SubtypeConstructor<typeof grpc.Client, _kademlia_v1_PeerClient> & { service: _kademlia_v1_PeerDefinition }
      PingRequest: MessageTypeDefinition<_kademlia_v1_PingRequest, _kademlia_v1_PingRequest__Output>
      PingResponse: MessageTypeDefinition<_kademlia_v1_PingResponse, _kademlia_v1_PingResponse__Output>
      Record: MessageTypeDefinition<_kademlia_v1_Record, _kademlia_v1_Record__Output>
      RecordOwner: MessageTypeDefinition<_kademlia_v1_RecordOwner, _kademlia_v1_RecordOwner__Output>
      StoreRequest: MessageTypeDefinition<_kademlia_v1_StoreRequest, _kademlia_v1_StoreRequest__Output>
      StoreResponse: MessageTypeDefinition<_kademlia_v1_StoreResponse, _kademlia_v1_StoreResponse__Output>
    }
  }
}

