// Original file: proto/kademlia/v1/admin.proto


export interface RoutingTableRequest {
}

export interface RoutingTableRequest__Output {
}
