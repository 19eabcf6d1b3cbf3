// Decodes a whole RDB payload (rdbLoadRioWithLoadingCtx): magic and version, then opcodes and keys until
// EOF, then the CRC-64 trailer (version >= 5). Accepts versions 1..10 like Redis 7.0. Everything is
// bounds-checked: malformed input ends in an RdbError, never in a hang or a huge allocation.

import type { Entry } from "../keyspace/types.js";
import { ByteCursor } from "./byte-cursor.js";
import { RDB_MAGIC, RDB_VERSION, RdbOpcode } from "./constants.js";
import { crc64 } from "./crc64.js";
import { RdbError } from "./errors.js";
import { readLength } from "./length-encoding.js";
import { readRdbString, readRdbStringLatin1 } from "./string-encoding.js";
import { describeUnloadableType, isLoadableType, readValue } from "./value-reader.js";
import type { RdbReplInfo } from "./writer.js";

/** Redis's CONFIG_RUN_ID_SIZE: a repl-id aux of any other length is ignored. */
const REPL_ID_LENGTH = 40;
/** The first version with a checksum trailer. */
const FIRST_CHECKSUM_VERSION = 5;

export interface RdbContents {
  version: number;
  /** AUX fields in file order (later duplicates win); integer-encoded values as decimal text. */
  aux: Map<string, string>;
  /** db number -> key -> entry. Expired keys are included: dropping them is the loader's policy. */
  databases: Map<number, Map<string, Entry>>;
  /** From repl-id / repl-offset / repl-stream-db, when repl-id is a 40-character id. */
  replInfo?: RdbReplInfo;
  /** Function library payloads (FUNCTION2 / pre-GA FUNCTION), kept but not interpreted. */
  functions: Buffer[];
  /** "verified", or "zero" (saved with rdbchecksum no), "skipped" (not asked), "absent" (version < 5). */
  checksum: "verified" | "zero" | "skipped" | "absent";
  /** Bytes consumed, trailer included; anything after is ignored, as Redis does. */
  length: number;
}

export interface ReadRdbOptions {
  /** Verify the CRC-64 trailer (default true; a zero trailer is never verified, as in Redis). */
  verifyChecksum?: boolean;
}

/** Leading-integer parse like strtoll/atoi: "12abc" -> 12, "" -> 0. */
function leadingInteger(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Number(m[0]) : 0;
}

function replInfoFromAux(aux: Map<string, string>): RdbReplInfo | undefined {
  const replId = aux.get("repl-id");
  if (replId === undefined || replId.length !== REPL_ID_LENGTH) return undefined;
  const offset = aux.get("repl-offset");
  const streamDb = aux.get("repl-stream-db");
  return {
    replId,
    replOffset: offset === undefined ? -1 : leadingInteger(offset),
    streamDb: streamDb === undefined ? -1 : leadingInteger(streamDb),
  };
}

function readHeader(cur: ByteCursor): number {
  cur.need(9, "the RDB header");
  const magic = cur.latin1(5, "the magic");
  if (magic !== RDB_MAGIC) cur.fail("wrong signature, not an RDB file", 0);
  const digits = cur.latin1(4, "the version");
  // atoi semantics: leading digits only.
  const version = leadingInteger(digits);
  if (version < 1 || version > RDB_VERSION) throw new RdbError(`Can't handle RDB format version ${version}`, 5);
  return version;
}

/** Skips a function library (FUNCTION2: one payload; pre-GA FUNCTION: name, engine, desc?, code). */
function readFunction(cur: ByteCursor, opcode: number): Buffer {
  if (opcode === RdbOpcode.FUNCTION2) return readRdbString(cur, "a function library");
  const name = readRdbString(cur, "a function library name");
  const engine = readRdbString(cur, "a function engine name");
  if (readLength(cur, "a function description flag") !== 0) readRdbString(cur, "a function description");
  const code = readRdbString(cur, "a function library body");
  return Buffer.concat([
    Buffer.from(`#!${engine.toString("latin1")} name=${name.toString("latin1")}\n`, "latin1"),
    code,
  ]);
}

export function readRdb(data: Buffer, options: ReadRdbOptions = {}): RdbContents {
  const cur = new ByteCursor(data);
  const version = readHeader(cur);
  const aux = new Map<string, string>();
  const databases = new Map<number, Map<string, Entry>>();
  const functions: Buffer[] = [];
  let db = new Map<string, Entry>();
  let dbIndex = 0;
  databases.set(0, db);
  let expireAt: number | undefined;

  for (;;) {
    const typeAt = cur.pos;
    const type = cur.u8("a type or opcode");
    if (type === RdbOpcode.EOF) break;
    switch (type) {
      case RdbOpcode.EXPIRETIME:
        expireAt = cur.i32le("an expire time") * 1000;
        continue;
      case RdbOpcode.EXPIRETIME_MS:
        expireAt = Number(cur.i64le("an expire time"));
        continue;
      case RdbOpcode.FREQ:
        cur.u8("an LFU frequency");
        continue;
      case RdbOpcode.IDLE:
        readLength(cur, "an LRU idle time");
        continue;
      case RdbOpcode.SELECTDB: {
        const at = cur.pos;
        dbIndex = readLength(cur, "a db number");
        if (dbIndex > 0x7fffffff) cur.fail(`db number ${dbIndex} out of range`, at);
        db = databases.get(dbIndex) ?? new Map();
        databases.set(dbIndex, db);
        continue;
      }
      case RdbOpcode.RESIZEDB:
        readLength(cur, "the db size hint");
        readLength(cur, "the expires size hint");
        continue;
      case RdbOpcode.AUX: {
        const key = readRdbStringLatin1(cur, "an aux field name");
        aux.set(key, readRdbStringLatin1(cur, "an aux field value"));
        continue;
      }
      case RdbOpcode.MODULE_AUX:
        return cur.fail("module aux data (opcode 0xf7) is not supported: no modules here", typeAt);
      case RdbOpcode.FUNCTION2:
      case RdbOpcode.FUNCTION_PRE_GA:
        functions.push(readFunction(cur, type));
        continue;
    }
    if (!isLoadableType(type)) cur.fail(describeUnloadableType(type), typeAt);
    const key = readRdbStringLatin1(cur, "a key");
    const value = readValue(cur, type);
    if (value !== null) {
      const sizeBefore = db.size;
      db.set(key, expireAt === undefined ? { value } : { value, expireAt });
      // One hash lookup instead of has()+set(): a duplicate leaves the size unchanged.
      if (db.size === sizeBefore) cur.fail(`duplicated key in db ${dbIndex}`, typeAt);
    }
    expireAt = undefined;
  }

  let checksum: RdbContents["checksum"] = "absent";
  if (version >= FIRST_CHECKSUM_VERSION) {
    const contentEnd = cur.pos;
    const stored = cur.view(8, "the checksum");
    if (stored.every((b) => b === 0)) {
      checksum = "zero";
    } else if (options.verifyChecksum === false) {
      checksum = "skipped";
    } else {
      const expected = crc64(data.subarray(0, contentEnd));
      const actual = stored.readBigUInt64LE(0);
      if (actual !== expected) {
        throw new RdbError(
          `RDB CRC error: stored checksum ${actual.toString(16)}, computed ${expected.toString(16)}`,
          contentEnd,
        );
      }
      checksum = "verified";
    }
  }

  for (const [index, keys] of databases) if (keys.size === 0) databases.delete(index);
  const replInfo = replInfoFromAux(aux);
  return { version, aux, databases, ...(replInfo ? { replInfo } : {}), functions, checksum, length: cur.pos };
}
