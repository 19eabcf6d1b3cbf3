// The scenario file format's name, version and limits (no imports: the CLI's option parsing reads
// them before anything heavy loads).

/** The scenario file format this replcheck reads and writes. */
export const SCENARIO_FORMAT_NAME = "replcheck-scenario";
/** The newest (and only) format version this replcheck reads and writes. */
export const SCENARIO_FORMAT_VERSION = 1;
export const SCENARIO_FORMAT = `${SCENARIO_FORMAT_NAME}/${SCENARIO_FORMAT_VERSION}` as const;

/** Most replicas next to n0 (node names n0..n9): each node is a server process, plus its link proxy. */
export const MAX_REPLICAS = 9;
