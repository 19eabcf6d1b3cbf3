// Timer-driven events the model knows (replication cron PING, repl-backlog-ttl, repl-timeout). A live
// target would have to move its clock to produce them on demand: none does today, so a scenario
// file holding one is refused by a live replay with the reason, and the generator never draws them.

import { UnsupportedLiveAction, type ActionKind } from "../kind.js";

const unsupported = async (a: { kind: string }): Promise<never> => {
  throw new UnsupportedLiveAction(`${a.kind} depends on the server's timers; live scenarios do not generate it`);
};

export const pingTickAction: ActionKind<"ping-tick"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "ping-tick" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: ["clock"],
  family: () => undefined,
  apply: unsupported,
};

export const backlogTtlExpiredAction: ActionKind<"backlog-ttl-expired"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "backlog-ttl-expired" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: ["clock"],
  family: () => undefined,
  apply: unsupported,
};

export const replTimeoutAction: ActionKind<"repl-timeout"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "repl-timeout" }, replica: { type: "string" } },
    required: ["kind", "replica"],
    additionalProperties: false,
  },
  nodeFields: ["replica"],
  needs: ["clock"],
  family: () => undefined,
  apply: unsupported,
};
