// The observed state of one node, normalised to what the model predicts (model/predict.ts): the
// live observation (harness/observe) plus the node's name and, at checkpoints, its dataset.
// Fields a product does not report are undefined: a missing capability, not a mismatch.

import type { DatasetDigest } from "../../model/index.js";
import type { NodeObservation, RoleReply } from "../observe/index.js";

export type ObservedRole = RoleReply;

export interface ObservedNode
  extends Omit<NodeObservation, "roleReply" | "server" | "replicas" | "dbsize" | "info" | "masterSyncInProgress">,
    Partial<Pick<NodeObservation, "roleReply" | "server">> {
  name: string;
  /** Present only at checkpoints (a dataset digest costs a SCAN of every key). */
  dataset?: DatasetDigest;
}
