// Writes the matrix's three renderings next to the targets' run folders: matrix.html for people,
// matrix.md for a README or a pull-request comment, matrix.json for machines.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { matrixHtml } from "./html.js";
import { matrixMarkdown } from "./markdown.js";
import type { Matrix } from "./matrix.js";

/** The paths of the files written (a file that could not be written is said on stderr and left out). */
export interface MatrixFiles {
  html?: string;
  markdown?: string;
  json?: string;
}

/** matrix.json's content: the matrix as data, indented, with a final newline. */
export const matrixJson = (matrix: Matrix): string => `${JSON.stringify(matrix, null, 2)}\n`;

/** Writes DIR/matrix.html, DIR/matrix.md and DIR/matrix.json. */
export function writeMatrixFiles(matrix: Matrix, dir: string): MatrixFiles {
  const files: MatrixFiles = {};
  const write = (key: keyof MatrixFiles, name: string, content: () => string) => {
    const file = join(dir, name);
    try {
      writeFileSync(file, content());
      files[key] = file;
    } catch (e) {
      console.error(`replcheck matrix: could not write ${file}: ${(e as Error).message}`);
    }
  };
  write("html", "matrix.html", () => matrixHtml(matrix));
  write("markdown", "matrix.md", () => matrixMarkdown(matrix));
  write("json", "matrix.json", () => matrixJson(matrix));
  return files;
}
