// The model names replication ids symbolically (R1, R2, ...); real servers use random 40-hex ids.
// A binding maps each symbol to the real id first seen for it and requires the mapping to stay
// one-to-one: the same symbol is always the same real id, and a new symbol is a never-seen id.

import { NO_REPLID, ZERO_REPLID_HEX } from "../../model/index.js";

export class ReplIdBinding {
  private constructor(
    private readonly toHex: Map<string, string>,
    private readonly toSymbol: Map<string, string>,
  ) {}

  static empty(): ReplIdBinding {
    return new ReplIdBinding(new Map([[NO_REPLID, ZERO_REPLID_HEX]]), new Map([[ZERO_REPLID_HEX, NO_REPLID]]));
  }

  clone(): ReplIdBinding {
    return new ReplIdBinding(new Map(this.toHex), new Map(this.toSymbol));
  }

  /** The real id bound to a symbol, if any. */
  hexOf(symbol: string): string | undefined {
    return this.toHex.get(symbol);
  }

  /**
   * Whether `hex` may be the real id of `symbol`; binds them when both are new. Ids compare
   * case-insensitively, like Redis compares them (strcasecmp).
   */
  accept(symbol: string, hex: string): boolean {
    const h = hex.toLowerCase();
    const bound = this.toHex.get(symbol);
    if (bound !== undefined) return bound === h;
    if (this.toSymbol.has(h) || !/^[0-9a-f]{40}$/.test(h)) return false;
    this.toHex.set(symbol, h);
    this.toSymbol.set(h, symbol);
    return true;
  }

  /** The symbol bound to a real id, if any. */
  symbolOf(hex: string): string | undefined {
    return this.toSymbol.get(hex.toLowerCase());
  }

  /** How the report shows a symbol: with its real id once known. */
  describe(symbol: string): string {
    const hex = this.toHex.get(symbol);
    return hex === undefined ? symbol : `${symbol}(${hex.slice(0, 8)}…)`;
  }
}
