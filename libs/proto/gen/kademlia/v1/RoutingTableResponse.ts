// Original file: proto/kademlia/v1/admin.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';
import type { Bucket as _kademlia_v1_Bucket, Bucket__Output as _kademlia_v1_Bucket__Output } from '../../kademlia/v1/Bucket.js';

export interface RoutingTableResponse {
  'self'?: (_kademlia_v1_Contact | null);
  'buckets'?: (_kademlia_v1_Bucket)[];
}

export interface RoutingTableResponse__Output {
  'self': (_kademlia_v1_Contact__Output | null);
  'buckets': (_kademlia_v1_Bucket__Output)[];
}
