// Original file: proto/kademlia/v1/bus.proto


export interface StorageStatsRequest {
}

export interface StorageStatsRequest__Output {
}
