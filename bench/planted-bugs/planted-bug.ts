// What a planted bug is: a realistic mistake a server author makes, put into a builtin server
// instance from the outside (its objects' methods replaced), so that the bench can show whether
// the default campaign finds it. server/ itself is never modified.

import type { RuleId } from "../../model/index.js";
import type { ServerHandle } from "../../server/index.js";

/** One planted bug of `npm run bench -- planted`. */
export interface PlantedBug {
  /** Short id for the table (kebab-case). */
  id: string;
  /** What the server gets wrong, in one line. */
  mistake: string;
  /** The rule the mistake breaks (the table shows whether the counterexample names it). */
  rule: RuleId;
  /** Puts the bug into one server instance; called for every instance the target starts, restarts included. */
  plant(server: ServerHandle): void;
  /**
   * For a bug that must patch a shared prototype: installs the patch for the campaign and returns
   * its removal. The patch must act only on instances `plant` marked.
   */
  install?(): () => void;
}
