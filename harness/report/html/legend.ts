// The key to the timeline's colours and marks, shown above the first timeline of the page.

/** The legend's HTML: one swatch per band, line and marker the timelines draw. */
export const TIMELINE_LEGEND = `<div class="legend">${[
  `<span><i class="sw role-master"></i>master</span>`,
  `<span><i class="sw role-replica"></i>replica of …</span>`,
  `<span><i class="sw link-up"></i>link up</span>`,
  `<span><i class="sw link-connecting"></i>link up, not connected</span>`,
  `<span><i class="sw link-throttle"></i>throttled</span>`,
  `<span><i class="sw link-cut"></i>cut</span>`,
  `<span><i class="sw link-blackhole"></i>blackhole</span>`,
  `<span><i class="sw line"></i>offset observed</span>`,
  `<span><i class="sw line dashed"></i>offset predicted</span>`,
  `<span><i class="sw backlog"></i>backlog window</span>`,
  `<span><i class="sw backlog-predicted"></i>backlog predicted, where it differs</span>`,
  `<span><i class="sw dot marker-full">F</i>full sync</span>`,
  `<span><i class="sw dot marker-partial">P</i>partial sync</span>`,
  `<span><i class="sw dot marker-promoted">▲</i>promoted (failover)</span>`,
  `<span><i class="sw dot marker-restart">↻</i>restart</span>`,
  `<span><b class="diff-mark">≠</b> differs from the model</span>`,
  `<span>R1, R2 … replication ids</span>`,
].join("")}</div>`;
