// A StrykerJS ignorer (stryker.config.mjs): log lines of the server (`server.log.notice(...)`,
// `this.log.warning(...)`) are not replication behaviour — nothing checks their wording — so their
// string mutants are not generated instead of being reported as survivors.

import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const LOG_LEVELS = new Set(["notice", "warning", "verbose", "debug"]);

/** `<anything>.log.<level>(...)` as a statement. */
function isLogCall(path) {
  if (!path.isExpressionStatement()) return false;
  const call = path.node.expression;
  if (call.type !== "CallExpression" || call.callee.type !== "MemberExpression") return false;
  const { object, property } = call.callee;
  const level = property.type === "Identifier" && LOG_LEVELS.has(property.name);
  const onLog =
    object.type === "MemberExpression" && object.property.type === "Identifier" && object.property.name === "log";
  return level && onLog;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "log-lines", {
    shouldIgnore: (path) => (isLogCall(path) ? "a log line: its text is not replication behaviour" : undefined),
  }),
];
