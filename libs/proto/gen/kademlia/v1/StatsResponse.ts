// Original file: proto/kademlia/v1/admin.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';
import type { BusMessageCount as _kademlia_v1_BusMessageCount, BusMessageCount__Output as _kademlia_v1_BusMessageCount__Output } from '../../kademlia/v1/BusMessageCount.js';
import type { Long } from '@grpc/proto-loader';

export interface StatsResponse {
  'self'?: (_kademlia_v1_Contact | null);
  'node'?: (string);
  'contacts'?: (number);
  'records'?: (number);
  'recordBytes'?: (number | string | Long);
  'busMessages'?: (_kademlia_v1_BusMessageCount)[];
}

export interface StatsResponse__Output {
  'self': (_kademlia_v1_Contact__Output | null);
  'node': (string);
  'contacts': (number);
  'records': (number);
  'recordBytes': (number);
  'busMessages': (_kademlia_v1_BusMessageCount__Output)[];
}
