// The public API (harness/api.ts, the package's main export) documents every export where it is
// exported: a user reading the declaration of anything they import finds what it is for. Export
// lists and `export *` are not allowed there, since they would publish undocumented names.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as api from "../../harness/api.js";

const API = join(import.meta.dirname, "../../harness/api.ts");

function exportedDeclarations(): { name: string; documented: boolean; kind: string }[] {
  const source = ts.createSourceFile(API, readFileSync(API, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: { name: string; documented: boolean; kind: string }[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      out.push({ name: statement.getText().slice(0, 60), documented: false, kind: "export list" });
      continue;
    }
    const exported =
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
    if (!exported) continue;
    const documented = ts.getJSDocCommentsAndTags(statement).some((d) => ts.isJSDoc(d) && (d.comment ?? "") !== "");
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => d.name.getText())
      : [(statement as ts.DeclarationStatement).name?.getText() ?? "?"];
    for (const name of names) out.push({ name, documented, kind: ts.SyntaxKind[statement.kind] });
  }
  return out;
}

describe("the public API (harness/api.ts)", () => {
  const declared = exportedDeclarations();

  it("has a TSDoc comment on every export, and no export lists", () => {
    expect(declared.filter((d) => !d.documented)).toEqual([]);
    expect(declared.length).toBeGreaterThan(30);
  });

  it("covers what a user composes: campaigns, replays, targets and reports", () => {
    for (const name of [
      "runCampaign",
      "replayScenario",
      "parseTarget",
      "createBuiltinTarget",
      "createBinaryTarget",
      "createImageTarget",
      "TargetUnavailable",
      "readScenarioFile",
      "counterexampleText",
      "junitXml",
      "campaignVerdict",
      "EXIT_CODES",
      "VERSION",
    ]) {
      expect(Object.keys(api), name).toContain(name);
    }
  });

  it("exports at run time exactly the values it declares", () => {
    const values = declared.filter((d) => !/Interface|TypeAlias/.test(d.kind)).map((d) => d.name);
    expect(Object.keys(api).sort()).toEqual([...new Set(values)].sort());
  });
});
