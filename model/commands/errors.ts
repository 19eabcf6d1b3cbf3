// Error texts word for word as Redis 7.0 prints them.

import type { RuleId } from "../rule-ids.js";

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const NOT_INTEGER = "ERR value is not an integer or out of range";
export const NOT_FLOAT = "ERR value is not a valid float";
export const OVERFLOW = "ERR increment or decrement would overflow";
export const HASH_NOT_INTEGER = "ERR hash value is not an integer";
export const SYNTAX = "ERR syntax error";
export const NAN_OR_INF = "ERR increment would produce NaN or Infinity";
export const NOT_POSITIVE = "ERR value is out of range, must be positive";
export const READONLY = "READONLY You can't write against a read only replica.";
export const NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
export const MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
export const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
export const DB_INDEX_RANGE = "ERR DB index is out of range";

export const arityError = (name: string): string => `ERR wrong number of arguments for '${name}' command`;
export const invalidExpire = (name: string): string => `ERR invalid expire time in '${name}' command`;

// DATA-8: `unknown command 'x', with args beginning with: 'a' 'b' ` (each arg quoted, then a space);
// 6.2 quotes the name with backticks.
export const unknownCommand = (name: string, args: readonly string[], quote: "`" | "'" = "'"): string =>
  `ERR unknown command ${quote}${name}${quote}, with args beginning with: ${args.map((a) => `'${a}' `).join("")}`;

// The rule behind each error the model replies with, so that a reply check names it without
// reading the text back: the model's own constants, compared whole.
const ERROR_RULES: ReadonlyMap<string, RuleId> = new Map<string, RuleId>([
  [READONLY, "RO-1"],
  [MASTERDOWN, "RO-2"],
  [NOREPLICAS, "MINREP-2"],
  [EXECABORT, "DATA-6"],
  [WRONGTYPE, "DATA-1"],
  [NOT_INTEGER, "DATA-2"],
  [OVERFLOW, "DATA-2"],
  [HASH_NOT_INTEGER, "DATA-2"],
]);

/** The rule an error reply of the model applies (DATA-8 for its arity and unknown-command texts). */
export function errorRule(text: string): RuleId | undefined {
  const known = ERROR_RULES.get(text);
  if (known !== undefined) return known;
  if (
    /^ERR wrong number of arguments for '[^']+' command$/.test(text) ||
    /^ERR unknown command [`'][^`']*[`'], with args beginning with: /.test(text)
  )
    return "DATA-8";
  return undefined;
}
