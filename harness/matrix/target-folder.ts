// Each target's run gets its own folder under the matrix's --out: numbered in --targets order (two
// targets whose names clean up alike still differ), named after the --target value.

/** `2-image-replcheck-redis-7.0.15` for the second target `image:replcheck-redis:7.0.15`. */
export function targetFolderName(index: number, target: string): string {
  const name = target
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${index + 1}-${name === "" ? "target" : name}`;
}
