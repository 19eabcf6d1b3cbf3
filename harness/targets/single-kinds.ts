// The target kinds that run every node on one kind of server, in the order usage and help list
// them. The registry lists these and then the mixed kind; a mixed target picks each of its two
// sides from these alone, so it needs no import of the registry (which lists it).
//
// To add a target kind: see registry.ts; its module goes in this list.

import { binaryTargets } from "./binary.js";
import { builtinTargets } from "./builtin.js";
import { imageTargets } from "./image.js";
import type { TargetModule } from "./target.js";

export const SINGLE_KIND_MODULES: readonly TargetModule[] = [builtinTargets, binaryTargets, imageTargets];
