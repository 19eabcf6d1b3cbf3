// The conformance matrix from fixed campaign results (no live target): how cells are derived from
// each run's rule statistics and counterexample, the matrix's verdict, and the exact Markdown and
// JSON it is written as; the HTML page's structure and self-containment.

import { describe, expect, it } from "vitest";
import { RULE_IDS, RULES, type RuleId } from "../../model/rule-ids.js";
import { assembleMatrix } from "../../harness/matrix/assemble-matrix.js";
import { columnIdentity } from "../../harness/matrix/column.js";
import { matrixHtml } from "../../harness/matrix/html.js";
import { matrixMarkdown } from "../../harness/matrix/markdown.js";
import type { Matrix } from "../../harness/matrix/matrix.js";
import { matrixVerdict } from "../../harness/matrix/matrix-verdict.js";
import { matrixJson } from "../../harness/matrix/write-matrix.js";
import { replcheckVersion } from "../../harness/version.js";
import { fixtureRuns, OPTIONS, STARTED } from "./matrix-fixtures.js";

/** The fixture matrix cut down to its first two rules, so that its renderings can be spelled out whole. */
function shortMatrix(): Matrix {
  const matrix = assembleMatrix(fixtureRuns(), OPTIONS, STARTED);
  return { ...matrix, areas: [{ area: matrix.areas[0].area, rules: matrix.areas[0].rules.slice(0, 3) }] };
}

describe("the matrix's cells", () => {
  const matrix = assembleMatrix(fixtureRuns(), OPTIONS, STARTED);
  const row = (id: RuleId) => matrix.areas.flatMap((a) => a.rules).find((r) => r.rule === id)!;

  it("lists every catalogue rule once, grouped by its spec area in catalogue order", () => {
    expect(matrix.areas.flatMap((a) => a.rules.map((r) => r.rule))).toEqual([...RULE_IDS]);
    for (const area of matrix.areas)
      for (const r of area.rules) expect(`${area.area}.md`, r.rule).toBe(RULES[r.rule].area);
    expect(new Set(matrix.areas.map((a) => a.area)).size).toBe(matrix.areas.length);
  });

  it("says checked, failed (linked to the counterexample), not exercised and not run per target", () => {
    expect(row("PSYNC-1").cells).toEqual([
      { state: "checked", checked: 87, failed: 0 },
      { state: "failed", checked: 54, failed: 2, link: "2-redis-server/replcheck-counterexample-42.json" },
      { state: "not-run", checked: 0, failed: 0 },
    ]);
    // Broken by the counterexample at its boundary (`also`), though no check counted it as failed.
    expect(row("PSYNC-2").cells[1]).toEqual({
      state: "failed",
      checked: 0,
      failed: 0,
      link: "2-redis-server/replcheck-counterexample-42.json",
    });
    expect(row("PSYNC-2").cells[0]).toEqual({ state: "checked", checked: 15, failed: 0 });
    expect(row("WAIT-1").cells.map((c) => c.state)).toEqual(["not-exercised", "not-exercised", "not-run"]);
  });

  it("links a failure to the target's report at the rule when no scenario file was written", () => {
    const runs = fixtureRuns();
    const { counterexample: _file, ...column } = runs[1].column;
    runs[1] = { ...runs[1], column };
    const cell = assembleMatrix(runs, OPTIONS, STARTED).areas[0].rules[0].cells[1];
    expect(cell.link).toBe("2-redis-server/report.html#rule-PSYNC-1");
  });
});

describe("a column's version and profile", () => {
  it("come from the run's profile text, one per server kind for a mixed target", () => {
    expect(columnIdentity("Redis 7.0 (7.0.15)")).toEqual({ version: "7.0.15", profile: "redis-7.0" });
    expect(columnIdentity("replcheck built-in server (0.1.0) on n0 + Redis 7.0 (7.0.15) on n1, n2")).toEqual({
      version: "0.1.0 + 7.0.15",
      profile: "builtin + redis-7.0",
    });
    expect(columnIdentity("Redis 7.2 / 7.4 (8.0.1, chosen with --profile redis-7.2)")).toEqual({
      version: "8.0.1, chosen with --profile redis-7.2",
      profile: "redis-7.2",
    });
    // No scenario got as far as INFO server.
    expect(columnIdentity(undefined)).toEqual({ version: "?", profile: "?" });
  });
});

describe("the matrix's verdict", () => {
  const runs = fixtureRuns();
  const [passed, diverged, unavailable] = runs.map((r) => r.column);
  const noVerdict = { ...passed, status: "no-verdict" as const, exitCode: 3 };

  it("is 1 if any target diverged, else 3 if none gave a verdict, else 0; an interrupt wins", () => {
    expect(matrixVerdict([passed, diverged, unavailable])).toEqual({
      code: 1,
      why: "a divergence from the model was found on redis-server",
    });
    expect(matrixVerdict([unavailable, noVerdict])).toEqual({
      code: 3,
      why: "no verdict: no target gave one (2 targets)",
    });
    expect(matrixVerdict([passed, unavailable])).toEqual({
      code: 0,
      why: "every check held on 1 target; 1 gave no verdict (see their columns)",
    });
    expect(matrixVerdict([passed])).toEqual({ code: 0, why: "every check held on 1 target" });
    expect(matrixVerdict([passed, diverged], "SIGTERM")).toEqual({
      code: 143,
      why: "interrupted by SIGTERM (each column says how far its target got)",
    });
  });
});

describe("matrix.md", () => {
  it("is the options, the verdict, one row per target and one per rule by area, and the legend", () => {
    expect(matrixMarkdown(shortMatrix())).toBe(
      [
        `**replcheck conformance matrix**: seed 42, time limit 60s per target, up to 100 scenarios of 30 steps with 2 replicas; replcheck ${replcheckVersion()}, started 2026-11-29T02:00:00.000Z.`,
        "",
        "Verdict: a divergence from the model was found on redis-server (exit 1).",
        "",
        "| target | server | version | profile | verdict | scenarios | steps checked | time | run folder |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| `builtin` | replcheck built-in server (in process) | 0.1.0 | builtin | ✓ every check held (183 steps in 11 scenarios) | 11 | 183 | 60.4 s | `1-builtin` |",
        "| `redis-server` | redis-server 7.0.15 (/usr/bin/redis-server) | 7.0.15 | redis-7.0 | ✗ a divergence from the model was found [counterexample](2-redis-server/replcheck-counterexample-42.json) | 4 | 61 | 59.0 s | `2-redis-server` |",
        "| `image:replcheck-redis:7.0.15` | – | – | – | ✗ cannot start: no container engine found (DOCKER_HOST unset, no /var/run/docker.sock) (start Docker or Podman's Docker API, or leave this target out) | 0 | 0 | 0.0 s | `3-image-replcheck-redis-7.0.15` |",
        "",
        "| rule | `builtin` | `redis-server` | `image:replcheck-redis:7.0.15` |",
        "| --- | --- | --- | --- |",
        "| **psync** |  |  |  |",
        "| PSYNC-1 Replication-id check | ✓ 87 | [✗ 2 of 54](2-redis-server/replcheck-counterexample-42.json) | not run |",
        "| PSYNC-2 Backlog window check (ends inclusive) | ✓ 15 | [✗ counterexample](2-redis-server/replcheck-counterexample-42.json) | not run |",
        "| PSYNC-3 `PSYNC ? -1` requests a full sync | – | – | not run |",
        "",
        "✓ N: checked N times, every check held · ✗ F of N: F of its N checks failed, ✗ counterexample: broken by the shrunk counterexample (both link to it) · –: no check of the rule ran in this campaign · not run: the target gave no campaign.",
        "",
      ].join("\n"),
    );
  });

  it("keeps a table cell whole when a text holds a pipe or a line break", () => {
    const matrix = shortMatrix();
    matrix.columns[2] = { ...matrix.columns[2], verdict: "cannot start: a|b\nc", hint: undefined };
    const line = matrixMarkdown(matrix)
      .split("\n")
      .find((l) => l.startsWith("| `image:"))!;
    expect(line).toContain("| ✗ cannot start: a\\|b c |");
    expect(line.split(/(?<!\\)\|/).length).toBe(11);
  });
});

describe("matrix.json", () => {
  it("is the matrix as data, with its format", () => {
    const json = JSON.parse(matrixJson(shortMatrix()));
    expect(json).toEqual({
      format: "replcheck-matrix/1",
      replcheck: replcheckVersion(),
      startedAt: "2026-11-29T02:00:00.000Z",
      options: OPTIONS,
      exitCode: 1,
      verdict: "a divergence from the model was found on redis-server",
      columns: [
        {
          target: "builtin",
          name: "replcheck built-in server (in process)",
          version: "0.1.0",
          profile: "builtin",
          status: "passed",
          exitCode: 0,
          verdict: "every check held (183 steps in 11 scenarios)",
          scenarios: 11,
          steps: 183,
          elapsedMs: 60_400,
          folder: "1-builtin",
          report: "1-builtin/report.html",
          brokenRules: [],
        },
        {
          target: "redis-server",
          name: "redis-server 7.0.15 (/usr/bin/redis-server)",
          version: "7.0.15",
          profile: "redis-7.0",
          status: "diverged",
          exitCode: 1,
          verdict: "a divergence from the model was found",
          scenarios: 4,
          steps: 61,
          elapsedMs: 59_000,
          folder: "2-redis-server",
          report: "2-redis-server/report.html",
          counterexample: "2-redis-server/replcheck-counterexample-42.json",
          brokenRules: ["PSYNC-1", "PSYNC-2"],
        },
        {
          target: "image:replcheck-redis:7.0.15",
          name: "",
          version: "",
          profile: "",
          status: "unavailable",
          exitCode: 2,
          verdict: "cannot start: no container engine found (DOCKER_HOST unset, no /var/run/docker.sock)",
          hint: "start Docker or Podman's Docker API, or leave this target out",
          scenarios: 0,
          steps: 0,
          elapsedMs: 0,
          folder: "3-image-replcheck-redis-7.0.15",
          brokenRules: [],
        },
      ],
      areas: [
        {
          area: "psync",
          rules: [
            {
              rule: "PSYNC-1",
              title: "Replication-id check",
              cells: [
                { state: "checked", checked: 87, failed: 0 },
                { state: "failed", checked: 54, failed: 2, link: "2-redis-server/replcheck-counterexample-42.json" },
                { state: "not-run", checked: 0, failed: 0 },
              ],
            },
            {
              rule: "PSYNC-2",
              title: "Backlog window check (ends inclusive)",
              cells: [
                { state: "checked", checked: 15, failed: 0 },
                { state: "failed", checked: 0, failed: 0, link: "2-redis-server/replcheck-counterexample-42.json" },
                { state: "not-run", checked: 0, failed: 0 },
              ],
            },
            {
              rule: "PSYNC-3",
              title: "`PSYNC ? -1` requests a full sync",
              cells: [
                { state: "not-exercised", checked: 0, failed: 0 },
                { state: "not-exercised", checked: 0, failed: 0 },
                { state: "not-run", checked: 0, failed: 0 },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe("matrix.html", () => {
  const html = matrixHtml(assembleMatrix(fixtureRuns(), OPTIONS, STARTED));

  it("is one self-contained page: inline style, no script, nothing loaded from elsewhere", () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|\bsrc=|https?:\/\//);
  });

  it("has a row per rule with a cell per target, failures linking to the counterexample and the rule in its report", () => {
    expect(html.match(/<tr id="rule-[A-Z]+-\d+" class="rule-row"/g)?.length).toBe(RULE_IDS.length);
    expect(html.match(/<td class="cell /g)?.length).toBe(RULE_IDS.length * 3);
    expect(html).toContain(
      `<td class="cell cell-failed" data-state="failed"><a href="2-redis-server/replcheck-counterexample-42.json" title="the counterexample">✗ 2 of 54</a><a class="also" href="2-redis-server/report.html#rule-PSYNC-1">in its report</a></td>`,
    );
    expect(html).toContain(
      `<th title="redis-server 7.0.15 (/usr/bin/redis-server)"><a href="2-redis-server/report.html">`,
    );
    expect(html).toContain(`<div class="verdict verdict-diverged" id="verdict" data-exit-code="1">`);
    expect(html).toContain("what to do: start Docker or Podman&#39;s Docker API, or leave this target out");
  });

  it("escapes what targets and servers say about themselves", () => {
    const runs = fixtureRuns();
    runs[2] = { column: { ...runs[2].column, target: "binary:/tmp/<b>", verdict: `cannot start: "x" & <y>` } };
    const page = matrixHtml(assembleMatrix(runs, OPTIONS, STARTED));
    expect(page).toContain("binary:/tmp/&lt;b&gt;");
    expect(page).toContain("cannot start: &quot;x&quot; &amp; &lt;y&gt;");
    expect(page).not.toContain("<b>");
  });
});
