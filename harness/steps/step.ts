// A concrete scenario step: an action of the model plus how the live link carries it out.

import type { Action } from "../../model/index.js";

export interface Step {
  action: Action;
  /** A throttled heal: the model sees an up link; the link proxy limits it to this rate. */
  throttle?: number;
}

/** The step's action, narrowed to one kind. */
export type ActionOf<K extends Action["kind"]> = Extract<Action, { kind: K }>;
