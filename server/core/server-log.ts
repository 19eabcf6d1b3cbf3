// Redis-style log lines ("pid:role dd Mon yyyy hh:mm:ss.mmm * message"). In process nothing is
// printed unless a sink is set (the standalone server prints to stdout or `logfile`); the last
// lines are kept so tests and tools can look for a message.

import { appendFileSync } from "node:fs";
import type { ConfigRegistry } from "../config/config-registry.js";

export type LogLevel = "debug" | "verbose" | "notice" | "warning";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_MARK: Record<LogLevel, string> = { debug: ".", verbose: "-", notice: "*", warning: "#" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LOG_KEEP = 1000;

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

export class ServerLog {
  /** Where lines go besides the kept ones; null = nowhere (in-process default). */
  sink: ((line: string) => void) | null = null;
  /** "M" master, "S" replica: the role letter Redis prints. */
  role: () => string = () => "M";
  private readonly kept: string[] = [];

  constructor(
    private readonly config: ConfigRegistry,
    private readonly now: () => number,
  ) {}

  /** Sends lines to `logfile` when set, else to stdout (what redis-server does). */
  useDefaultSink(): void {
    const file = this.config.getString("logfile");
    this.sink = file === "" ? (line) => process.stdout.write(`${line}\n`) : (line) => appendFileSync(file, `${line}\n`);
  }

  write(level: LogLevel, message: string): void {
    const configured = this.config.getString("loglevel") as LogLevel;
    if (LEVEL_RANK[level] < LEVEL_RANK[configured]) return;
    const d = new Date(this.now());
    const stamp = `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    const line = `${process.pid}:${this.role()} ${stamp} ${LEVEL_MARK[level]} ${message}`;
    this.kept.push(line);
    if (this.kept.length > LOG_KEEP) this.kept.splice(0, this.kept.length - LOG_KEEP);
    if (this.sink !== null) this.sink(line);
  }

  notice(message: string): void {
    this.write("notice", message);
  }

  warning(message: string): void {
    this.write("warning", message);
  }

  /** The last lines written (at most 1000). */
  lines(): readonly string[] {
    return this.kept;
  }
}
