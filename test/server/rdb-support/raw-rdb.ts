// Test-only assembler of RDB files opcode by opcode, for encodings and opcodes the writer never emits.

import { ChunkSink } from "../../../server/rdb/chunk-sink.js";
import { RdbOpcode } from "../../../server/rdb/constants.js";
import { writeLength } from "../../../server/rdb/length-encoding.js";
import { writeRdbString, writeRdbStringLatin1 } from "../../../server/rdb/string-encoding.js";

export class RawRdb {
  readonly sink = new ChunkSink();

  constructor(
    version = 10,
    readonly compress = false,
  ) {
    this.sink.ascii(`REDIS${String(version).padStart(4, "0")}`);
  }

  aux(key: string, value: string): this {
    this.sink.byte(RdbOpcode.AUX);
    writeRdbStringLatin1(this.sink, key, this.compress);
    writeRdbStringLatin1(this.sink, value, this.compress);
    return this;
  }

  selectDb(n: number): this {
    this.sink.byte(RdbOpcode.SELECTDB);
    writeLength(this.sink, n);
    return this;
  }

  resizeDb(keys: number, expires: number): this {
    this.sink.byte(RdbOpcode.RESIZEDB);
    writeLength(this.sink, keys);
    writeLength(this.sink, expires);
    return this;
  }

  byte(b: number): this {
    this.sink.byte(b);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.sink.bytes(b);
    return this;
  }

  length(n: number): this {
    writeLength(this.sink, n);
    return this;
  }

  string(s: string | Buffer): this {
    if (typeof s === "string") writeRdbStringLatin1(this.sink, s, this.compress);
    else writeRdbString(this.sink, s, this.compress);
    return this;
  }

  /** Starts a key: type byte then the key name; the caller then writes the value. */
  key(type: number, name: string): this {
    this.sink.byte(type);
    return this.string(name);
  }

  expireMs(at: number): this {
    this.sink.byte(RdbOpcode.EXPIRETIME_MS);
    this.sink.i64le(at);
    return this;
  }

  expireSeconds(at: number): this {
    this.sink.byte(RdbOpcode.EXPIRETIME);
    const b = Buffer.alloc(4);
    b.writeInt32LE(at);
    this.sink.bytes(b);
    return this;
  }

  /** Ends the file: EOF opcode and the CRC-64 trailer (or 8 zero bytes). */
  finish(checksum = true): Buffer {
    this.sink.byte(RdbOpcode.EOF);
    this.sink.flush();
    const trailer = checksum ? this.sink.checksumLE() : Buffer.alloc(8);
    return Buffer.concat([...this.sink.takeReady(), trailer]);
  }
}
