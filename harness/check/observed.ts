// The observed state of one node, normalised to what the model predicts (model/observe.ts).
// Fields a product does not report are undefined: a missing capability, not a mismatch.

import type { DatasetDigest } from "../../model/index.js";

export type ObservedRole =
  | { role: "master"; offset: number; replicas: { ip: string; port: number; ack: number }[] }
  | { role: "slave"; host: string; port: number; state: string; offset: number };

export interface ObservedNode {
  name: string;
  role: "master" | "slave";
  /** Replicas: host:port the node replicates from (a link proxy's address). */
  masterAddress?: string;
  masterLinkStatus?: "up" | "down";
  connectedSlaves?: number;
  minSlavesGoodSlaves?: number;
  masterReplOffset: number;
  slaveReplOffset?: number;
  replid: string;
  replid2: string;
  secondReplOffset: number;
  backlogActive: boolean;
  backlogSize?: number;
  backlogFirstByte: number;
  backlogHistlen: number;
  syncFull?: number;
  syncPartialOk?: number;
  syncPartialErr?: number;
  roleReply?: ObservedRole;
  /** INFO server fields (version, for profile detection and reports). */
  server?: Record<string, string>;
  /** Present only at checkpoints (a dataset digest costs a SCAN of every key). */
  dataset?: DatasetDigest;
}
