// One-line node summaries for step tables: what the model predicted and what the node showed, in
// the same shape so a person can compare them column by column.

import type { Count, NodePrediction } from "../../model/index.js";
import type { ObservedNode } from "../check/observed.js";
import type { ReplIdBinding } from "../check/replid-binding.js";

export interface NodeSummary {
  role: string;
  link: string;
  offset: string;
  replid: string;
  replid2: string;
  backlog: string;
  syncs: string;
}

const count = (c: Count): string => (c.min === c.max ? String(c.min) : `${c.min}..${c.max === Infinity ? "∞" : c.max}`);

export function summarizePrediction(p: NodePrediction): NodeSummary {
  return {
    role: p.role === "master" ? "master" : `replica of ${p.master}`,
    link: p.masterLinkStatus ?? "-",
    offset: String(p.masterReplOffset),
    replid: p.replid,
    replid2: p.replid2 === "none" ? "-" : `${p.replid2} until ${p.secondReplOffset}`,
    backlog: p.backlogActive ? `first ${count(p.backlogFirstByte)} len ${count(p.backlogHistlen)}` : "none",
    syncs: `full ${count(p.syncFull)} ok ${count(p.syncPartialOk)} err ${count(p.syncPartialErr)}`,
  };
}

export function summarizeObservation(
  o: ObservedNode,
  binding: ReplIdBinding,
  masterOfAddress: (a: string) => string | undefined,
): NodeSummary {
  const id = (hex: string) => binding.symbolOf(hex) ?? `${hex.slice(0, 8)}…`;
  const master = o.masterAddress === undefined ? "?" : (masterOfAddress(o.masterAddress) ?? o.masterAddress);
  const zero = /^0+$/.test(o.replid2);
  return {
    role: o.role === "master" ? "master" : `replica of ${master}`,
    link: o.masterLinkStatus ?? "-",
    offset: String(o.masterReplOffset),
    replid: id(o.replid),
    replid2: zero ? "-" : `${id(o.replid2)} until ${o.secondReplOffset}`,
    backlog: o.backlogActive ? `first ${o.backlogFirstByte} len ${o.backlogHistlen}` : "none",
    syncs: `full ${o.syncFull ?? "?"} ok ${o.syncPartialOk ?? "?"} err ${o.syncPartialErr ?? "?"}`,
  };
}
