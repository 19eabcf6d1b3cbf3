// A consumer's TypeScript against replcheck's published declarations (type-checked, not run).
import {
  counterexampleText,
  createBinaryTarget,
  createBuiltinTarget,
  createImageTarget,
  deterministicConfig,
  EXIT_CODES,
  junitXml,
  parseTarget,
  readScenarioFile,
  replayScenario,
  RUN_REPORT_FORMAT,
  type RunReport,
  ruleTable,
  runCampaign,
  saveCounterexample,
  ScenarioFileError,
  stepText,
  TargetUnavailable,
  VERSION,
  type CampaignRun,
  type CampaignRunOptions,
  type ReplayOptions,
  type ScenarioFile,
  type StepRecord,
  type Target,
} from "replcheck";
import { PROFILES, createCluster, step, type ClusterState } from "replcheck/model";
import { startServer, type ServerHandle } from "replcheck/server";
import { replicationConformanceSuite, type ConformanceSuiteOptions } from "replcheck/vitest";

export async function campaign(binary: string): Promise<number> {
  const steps: StepRecord[] = [];
  const options: CampaignRunOptions = {
    target: `binary:${binary}`,
    runs: 10,
    timeLimitMs: 30_000,
    nodeConfig: { ...deterministicConfig(), "repl-diskless-sync": "no" },
    onStep: (record) => steps.push(record),
    onProgress: (p) => console.error(`${p.runs} scenarios`),
  };
  const run: CampaignRun = await runCampaign(options);
  console.log(ruleTable(run.result.rules));
  const first = steps[0];
  if (first !== undefined) console.log(stepText(first));
  if (run.result.counterexample !== undefined) {
    console.log(counterexampleText(run.result.counterexample));
    const saved = saveCounterexample(
      run.result,
      { target: `binary:${binary}`, replicas: 2, steps: 30, nodeConfig: deterministicConfig() },
      ".",
    );
    console.log(saved?.replay ?? saved?.rerun);
  }
  console.log(junitXml(run.result));
  return run.verdict.code === EXIT_CODES.ok ? 0 : run.verdict.code;
}

export async function replay(file: string): Promise<string> {
  try {
    const scenario: ScenarioFile = readScenarioFile(file);
    const options: ReplayOptions = { target: async (): Promise<Target> => createBuiltinTarget({ keepLogs: true }) };
    const replayed = await replayScenario(scenario, options);
    return `${replayed.result.status} ${replayed.verdict.why}`;
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.message;
    if (e instanceof TargetUnavailable) return `${e.message}: ${e.hint}`;
    throw e;
  }
}

export async function targets(): Promise<string[]> {
  const choice = parseTarget("redis-server");
  const binary = await createBinaryTarget({ binary: "redis-server", readyDeadlineMs: 10_000 });
  const node = await binary.startNode("n0", deterministicConfig());
  await binary.stopAll();
  const image = createImageTarget({ image: "redis:7.4" }).catch((e: unknown) =>
    e instanceof TargetUnavailable ? undefined : Promise.reject(e),
  );
  return [
    VERSION,
    choice.kind,
    String(choice.capabilities.localLogs),
    node.name,
    binary.binaryPath,
    String((await image) === undefined),
  ];
}

export async function server(): Promise<number> {
  const handle: ServerHandle = await startServer({ config: { port: "0" } });
  const port = handle.port;
  await handle.close();
  return port;
}

export function model(): number {
  const profile = PROFILES["redis-7.0"].id;
  const state: ClusterState = createCluster([
    { name: "n0", profile },
    { name: "n1", profile, config: { replBacklogSize: 1024 } },
  ]);
  return step(state, { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 }).length;
}

export const suiteOptions: ConformanceSuiteOptions = { target: "redis-server", runs: 5, strict: true };
export const register = (): Promise<void> => replicationConformanceSuite(suiteOptions);

export function scenariosIn(reportJson: string): string[] {
  const report = JSON.parse(reportJson) as RunReport;
  if (report.format !== RUN_REPORT_FORMAT) throw new Error(`report.json of another format: ${report.format}`);
  return report.scenarios.map((s) => `${s.path ?? "?"} ${s.status} ${s.steps} ${s.nodeDirectory ?? ""}`);
}
