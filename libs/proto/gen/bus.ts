import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ClosestRequest as _kademlia_bus_v1_ClosestRequest, ClosestRequest__Output as _kademlia_bus_v1_ClosestRequest__Output } from './kademlia/bus/v1/ClosestRequest.js';
import type { ClosestResponse as _kademlia_bus_v1_ClosestResponse, ClosestResponse__Output as _kademlia_bus_v1_ClosestResponse__Output } from './kademlia/bus/v1/ClosestResponse.js';
import type { ContactEvent as _kademlia_bus_v1_ContactEvent, ContactEvent__Output as _kademlia_bus_v1_ContactEvent__Output } from './kademlia/bus/v1/ContactEvent.js';
import type { CoordinatorFindNode as _kademlia_bus_v1_CoordinatorFindNode, CoordinatorFindNode__Output as _kademlia_bus_v1_CoordinatorFindNode__Output } from './kademlia/bus/v1/CoordinatorFindNode.js';
import type { CoordinatorGet as _kademlia_bus_v1_CoordinatorGet, CoordinatorGet__Output as _kademlia_bus_v1_CoordinatorGet__Output } from './kademlia/bus/v1/CoordinatorGet.js';
import type { CoordinatorPut as _kademlia_bus_v1_CoordinatorPut, CoordinatorPut__Output as _kademlia_bus_v1_CoordinatorPut__Output } from './kademlia/bus/v1/CoordinatorPut.js';
import type { DumpRequest as _kademlia_bus_v1_DumpRequest, DumpRequest__Output as _kademlia_bus_v1_DumpRequest__Output } from './kademlia/bus/v1/DumpRequest.js';
import type { OutboundFindNode as _kademlia_bus_v1_OutboundFindNode, OutboundFindNode__Output as _kademlia_bus_v1_OutboundFindNode__Output } from './kademlia/bus/v1/OutboundFindNode.js';
import type { OutboundFindValue as _kademlia_bus_v1_OutboundFindValue, OutboundFindValue__Output as _kademlia_bus_v1_OutboundFindValue__Output } from './kademlia/bus/v1/OutboundFindValue.js';
import type { OutboundPing as _kademlia_bus_v1_OutboundPing, OutboundPing__Output as _kademlia_bus_v1_OutboundPing__Output } from './kademlia/bus/v1/OutboundPing.js';
import type { OutboundStore as _kademlia_bus_v1_OutboundStore, OutboundStore__Output as _kademlia_bus_v1_OutboundStore__Output } from './kademlia/bus/v1/OutboundStore.js';
import type { OutboundStoreResponse as _kademlia_bus_v1_OutboundStoreResponse, OutboundStoreResponse__Output as _kademlia_bus_v1_OutboundStoreResponse__Output } from './kademlia/bus/v1/OutboundStoreResponse.js';
import type { RefreshTargetsRequest as _kademlia_bus_v1_RefreshTargetsRequest, RefreshTargetsRequest__Output as _kademlia_bus_v1_RefreshTargetsRequest__Output } from './kademlia/bus/v1/RefreshTargetsRequest.js';
import type { RefreshTargetsResponse as _kademlia_bus_v1_RefreshTargetsResponse, RefreshTargetsResponse__Output as _kademlia_bus_v1_RefreshTargetsResponse__Output } from './kademlia/bus/v1/RefreshTargetsResponse.js';
import type { SelfRequest as _kademlia_bus_v1_SelfRequest, SelfRequest__Output as _kademlia_bus_v1_SelfRequest__Output } from './kademlia/bus/v1/SelfRequest.js';
import type { SelfResponse as _kademlia_bus_v1_SelfResponse, SelfResponse__Output as _kademlia_bus_v1_SelfResponse__Output } from './kademlia/bus/v1/SelfResponse.js';
import type { StorageDropRequest as _kademlia_bus_v1_StorageDropRequest, StorageDropRequest__Output as _kademlia_bus_v1_StorageDropRequest__Output } from './kademlia/bus/v1/StorageDropRequest.js';
import type { StorageDropResponse as _kademlia_bus_v1_StorageDropResponse, StorageDropResponse__Output as _kademlia_bus_v1_StorageDropResponse__Output } from './kademlia/bus/v1/StorageDropResponse.js';
import type { StorageDueRequest as _kademlia_bus_v1_StorageDueRequest, StorageDueRequest__Output as _kademlia_bus_v1_StorageDueRequest__Output } from './kademlia/bus/v1/StorageDueRequest.js';
import type { StorageDueResponse as _kademlia_bus_v1_StorageDueResponse, StorageDueResponse__Output as _kademlia_bus_v1_StorageDueResponse__Output } from './kademlia/bus/v1/StorageDueResponse.js';
import type { StorageGetRequest as _kademlia_bus_v1_StorageGetRequest, StorageGetRequest__Output as _kademlia_bus_v1_StorageGetRequest__Output } from './kademlia/bus/v1/StorageGetRequest.js';
import type { StorageGetResponse as _kademlia_bus_v1_StorageGetResponse, StorageGetResponse__Output as _kademlia_bus_v1_StorageGetResponse__Output } from './kademlia/bus/v1/StorageGetResponse.js';
import type { StorageIdsRequest as _kademlia_bus_v1_StorageIdsRequest, StorageIdsRequest__Output as _kademlia_bus_v1_StorageIdsRequest__Output } from './kademlia/bus/v1/StorageIdsRequest.js';
import type { StorageIdsResponse as _kademlia_bus_v1_StorageIdsResponse, StorageIdsResponse__Output as _kademlia_bus_v1_StorageIdsResponse__Output } from './kademlia/bus/v1/StorageIdsResponse.js';
import type { StoragePutRequest as _kademlia_bus_v1_StoragePutRequest, StoragePutRequest__Output as _kademlia_bus_v1_StoragePutRequest__Output } from './kademlia/bus/v1/StoragePutRequest.js';
import type { StoragePutResponse as _kademlia_bus_v1_StoragePutResponse, StoragePutResponse__Output as _kademlia_bus_v1_StoragePutResponse__Output } from './kademlia/bus/v1/StoragePutResponse.js';
import type { StorageStatsRequest as _kademlia_bus_v1_StorageStatsRequest, StorageStatsRequest__Output as _kademlia_bus_v1_StorageStatsRequest__Output } from './kademlia/bus/v1/StorageStatsRequest.js';
import type { StorageStatsResponse as _kademlia_bus_v1_StorageStatsResponse, StorageStatsResponse__Output as _kademlia_bus_v1_StorageStatsResponse__Output } from './kademlia/bus/v1/StorageStatsResponse.js';
import type { StoreOutcome as _kademlia_bus_v1_StoreOutcome, StoreOutcome__Output as _kademlia_bus_v1_StoreOutcome__Output } from './kademlia/bus/v1/StoreOutcome.js';
import type { TableView as _kademlia_bus_v1_TableView, TableView__Output as _kademlia_bus_v1_TableView__Output } from './kademlia/bus/v1/TableView.js';
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
    bus: {
      v1: {
        ClosestRequest: MessageTypeDefinition<_kademlia_bus_v1_ClosestRequest, _kademlia_bus_v1_ClosestRequest__Output>
        ClosestResponse: MessageTypeDefinition<_kademlia_bus_v1_ClosestResponse, _kademlia_bus_v1_ClosestResponse__Output>
        ContactEvent: MessageTypeDefinition<_kademlia_bus_v1_ContactEvent, _kademlia_bus_v1_ContactEvent__Output>
        CoordinatorFindNode: MessageTypeDefinition<_kademlia_bus_v1_CoordinatorFindNode, _kademlia_bus_v1_CoordinatorFindNode__Output>
        CoordinatorGet: MessageTypeDefinition<_kademlia_bus_v1_CoordinatorGet, _kademlia_bus_v1_CoordinatorGet__Output>
        CoordinatorPut: MessageTypeDefinition<_kademlia_bus_v1_CoordinatorPut, _kademlia_bus_v1_CoordinatorPut__Output>
        DumpRequest: MessageTypeDefinition<_kademlia_bus_v1_DumpRequest, _kademlia_bus_v1_DumpRequest__Output>
        OutboundFindNode: MessageTypeDefinition<_kademlia_bus_v1_OutboundFindNode, _kademlia_bus_v1_OutboundFindNode__Output>
        OutboundFindValue: MessageTypeDefinition<_kademlia_bus_v1_OutboundFindValue, _kademlia_bus_v1_OutboundFindValue__Output>
        OutboundPing: MessageTypeDefinition<_kademlia_bus_v1_OutboundPing, _kademlia_bus_v1_OutboundPing__Output>
        OutboundStore: MessageTypeDefinition<_kademlia_bus_v1_OutboundStore, _kademlia_bus_v1_OutboundStore__Output>
        OutboundStoreResponse: MessageTypeDefinition<_kademlia_bus_v1_OutboundStoreResponse, _kademlia_bus_v1_OutboundStoreResponse__Output>
        RefreshTargetsRequest: MessageTypeDefinition<_kademlia_bus_v1_RefreshTargetsRequest, _kademlia_bus_v1_RefreshTargetsRequest__Output>
        RefreshTargetsResponse: MessageTypeDefinition<_kademlia_bus_v1_RefreshTargetsResponse, _kademlia_bus_v1_RefreshTargetsResponse__Output>
        SelfRequest: MessageTypeDefinition<_kademlia_bus_v1_SelfRequest, _kademlia_bus_v1_SelfRequest__Output>
        SelfResponse: MessageTypeDefinition<_kademlia_bus_v1_SelfResponse, _kademlia_bus_v1_SelfResponse__Output>
        StorageDropRequest: MessageTypeDefinition<_kademlia_bus_v1_StorageDropRequest, _kademlia_bus_v1_StorageDropRequest__Output>
        StorageDropResponse: MessageTypeDefinition<_kademlia_bus_v1_StorageDropResponse, _kademlia_bus_v1_StorageDropResponse__Output>
        StorageDueRequest: MessageTypeDefinition<_kademlia_bus_v1_StorageDueRequest, _kademlia_bus_v1_StorageDueRequest__Output>
        StorageDueResponse: MessageTypeDefinition<_kademlia_bus_v1_StorageDueResponse, _kademlia_bus_v1_StorageDueResponse__Output>
        StorageGetRequest: MessageTypeDefinition<_kademlia_bus_v1_StorageGetRequest, _kademlia_bus_v1_StorageGetRequest__Output>
        StorageGetResponse: MessageTypeDefinition<_kademlia_bus_v1_StorageGetResponse, _kademlia_bus_v1_StorageGetResponse__Output>
        StorageIdsRequest: MessageTypeDefinition<_kademlia_bus_v1_StorageIdsRequest, _kademlia_bus_v1_StorageIdsRequest__Output>
        StorageIdsResponse: MessageTypeDefinition<_kademlia_bus_v1_StorageIdsResponse, _kademlia_bus_v1_StorageIdsResponse__Output>
        StoragePutRequest: MessageTypeDefinition<_kademlia_bus_v1_StoragePutRequest, _kademlia_bus_v1_StoragePutRequest__Output>
        StoragePutResponse: MessageTypeDefinition<_kademlia_bus_v1_StoragePutResponse, _kademlia_bus_v1_StoragePutResponse__Output>
        StorageStatsRequest: MessageTypeDefinition<_kademlia_bus_v1_StorageStatsRequest, _kademlia_bus_v1_StorageStatsRequest__Output>
        StorageStatsResponse: MessageTypeDefinition<_kademlia_bus_v1_StorageStatsResponse, _kademlia_bus_v1_StorageStatsResponse__Output>
        StoreOutcome: MessageTypeDefinition<_kademlia_bus_v1_StoreOutcome, _kademlia_bus_v1_StoreOutcome__Output>
        TableView: MessageTypeDefinition<_kademlia_bus_v1_TableView, _kademlia_bus_v1_TableView__Output>
      }
    }
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

