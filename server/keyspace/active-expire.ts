// The active expiry cycle (Redis 7.0 expire.c activeExpireCycle, slow mode): every database's
// TTL keys are scanned incrementally with a persistent cursor, in samples of 20 (times the
// effort), repeating while more than 10% of a sample was expired, within a time budget of
// 25% of a cron period. Only masters run it; replicas wait for the master's DELs.

import type { Keyspace } from "./keyspace.js";

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE_PERCENT = 10;
const CYCLE_SLOW_TIME_PERC = 25;

export interface ActiveExpireResult {
  sampled: number;
  expired: number;
}

export function activeExpireCycle(
  keyspace: Keyspace,
  now: number,
  hz: number,
  effort: number,
  elapsedMs: () => number,
): ActiveExpireResult {
  const result: ActiveExpireResult = { sampled: 0, expired: 0 };
  if (keyspace.mode !== "master") return result;
  const perLoop = KEYS_PER_LOOP + Math.floor((KEYS_PER_LOOP / 4) * (effort - 1));
  const stalePercent = ACCEPTABLE_STALE_PERCENT - (effort - 1);
  const budgetMs = (CYCLE_SLOW_TIME_PERC * 1000) / hz / 100;
  const start = elapsedMs();
  for (const db of keyspace.dbs) {
    if (db.volatileKeys.size === 0) continue;
    for (;;) {
      let sampled = 0;
      let expired = 0;
      while (sampled < perLoop && sampled < db.volatileKeys.size) {
        if (db.expireCursor === null) db.expireCursor = db.volatileKeys.values();
        const next = db.expireCursor.next();
        if (next.done) {
          db.expireCursor = null;
          break;
        }
        const key = next.value;
        const entry = db.dict.get(key);
        sampled++;
        if (entry !== undefined && entry.expireAt !== undefined && entry.expireAt <= now) {
          keyspace.deleteExpired(db, key);
          expired++;
        }
      }
      result.sampled += sampled;
      result.expired += expired;
      if (sampled === 0 || (expired * 100) / sampled <= stalePercent) break;
      if (elapsedMs() - start > budgetMs) return result;
    }
  }
  return result;
}
