// Original file: proto/kademlia/v1/admin.proto


export interface StatsRequest {
}

export interface StatsRequest__Output {
}
