// Observation of live nodes: INFO/ROLE parsing, one-round-trip node observation, dataset digests.
export { InfoFormatError, infoField, keyspaceCounts, parseInfo, replicationInfo, syncStats } from "./info.js";
export type { InfoSections, ReplicaLine, ReplicationInfo, SyncStatsInfo } from "./info.js";
export { parseRole, RoleFormatError, type RoleReply } from "./role.js";
export { fromInfoAndRole, observeNode, ObservationError, type NodeObservation } from "./node.js";
export { datasetDigest, parseScore, type DigestOptions } from "./dataset.js";
