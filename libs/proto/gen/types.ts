import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from './kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from './kademlia/v1/Record.js';
import type { RecordOwner as _kademlia_v1_RecordOwner, RecordOwner__Output as _kademlia_v1_RecordOwner__Output } from './kademlia/v1/RecordOwner.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kademlia: {
    v1: {
      Contact: MessageTypeDefinition<_kademlia_v1_Contact, _kademlia_v1_Contact__Output>
      Record: MessageTypeDefinition<_kademlia_v1_Record, _kademlia_v1_Record__Output>
      RecordOwner: MessageTypeDefinition<_kademlia_v1_RecordOwner, _kademlia_v1_RecordOwner__Output>
    }
  }
}

