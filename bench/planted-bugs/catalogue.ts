// Every planted bug of `npm run bench -- planted`, in table order.

import { ACK_BUGS } from "./ack-bugs.js";
import { BACKLOG_BUGS } from "./backlog-bugs.js";
import type { PlantedBug } from "./planted-bug.js";
import { PROMOTION_BUGS } from "./promotion-bugs.js";
import { PSYNC_BUGS } from "./psync-bugs.js";
import { REPLID_BUGS } from "./replid-bugs.js";
import { RESTART_BUGS } from "./restart-bugs.js";
import { STREAM_BUGS } from "./stream-bugs.js";

/** The planted bugs, beyond the six deviations of test/harness/deviations.test.ts. */
export const PLANTED_BUGS: readonly PlantedBug[] = [
  ...BACKLOG_BUGS,
  ...PSYNC_BUGS,
  ...REPLID_BUGS,
  ...PROMOTION_BUGS,
  ...STREAM_BUGS,
  ...ACK_BUGS,
  ...RESTART_BUGS,
];
