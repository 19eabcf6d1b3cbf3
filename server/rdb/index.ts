// The RDB codec of replcheck's own server: the real Redis 7.0 file format (version 10).

export { RDB_VERSION } from "./constants.js";
export { Crc64, crc64 } from "./crc64.js";
export { RdbError } from "./errors.js";
export { lzfCompress, lzfDecompress } from "./lzf.js";
export { readRdb, type RdbContents, type ReadRdbOptions } from "./reader.js";
export { rdbChunks, writeRdb, WRITER_REDIS_VERSION, type RdbReplInfo, type RdbSnapshot } from "./writer.js";
export {
  diskPreamble,
  eofMarkPreamble,
  EOF_MARK_LENGTH,
  newEofMark,
  SyncPayloadError,
  SyncPayloadReceiver,
  type SyncPayloadMode,
  type SyncPayloadProgress,
} from "./sync-payload.js";
