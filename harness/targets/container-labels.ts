// Labels on every container and network the container target creates: they say which Node process
// and which target made them, so cleanup (and the leftover check in the tests) can find exactly
// ours and nobody else's.

import { randomUUID } from "node:crypto";

export const LABEL_SESSION = "org.replcheck.session";
export const LABEL_TARGET = "org.replcheck.target";
export const LABEL_NODE = "org.replcheck.node";
export const LABEL_PID = "org.replcheck.pid";

/** One per Node process. */
export const SESSION_ID = randomUUID();

export function targetLabels(targetId: string): Record<string, string> {
  return { [LABEL_SESSION]: SESSION_ID, [LABEL_TARGET]: targetId, [LABEL_PID]: String(process.pid) };
}

/** A Docker API `filters` value selecting everything of one session (or one target). */
export function labelFilter(label: string, value: string): string {
  return JSON.stringify({ label: [`${label}=${value}`] });
}
