// Arguments as Redis's C code sees them through argv[j]->ptr where it treats them as C strings
// (strcasecmp on options, "%s" in error messages): they end at the first NUL byte.

/** The argument up to its first NUL byte, latin1. */
export function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.toString("latin1", 0, nul === -1 ? b.length : nul);
}

/** What strcasecmp(argv[j]->ptr, "name") compares: the C string, lowercased. */
export const cOption = (b: Buffer): string => cString(b).toLowerCase();
