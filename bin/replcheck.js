#!/usr/bin/env node
// The published entry point: load the TypeScript CLI through tsx's ESM loader.
import { register } from "tsx/esm/api";

register();
await import("../harness/cli/main.ts");
