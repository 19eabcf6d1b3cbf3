// The order rule ids are listed in, wherever a report lists them.

/** Rule ids sort by area then number (OFFSET-2 before OFFSET-10). */
export function compareRuleIds(a: string, b: string): number {
  const [pa, na] = a.split("-");
  const [pb, nb] = b.split("-");
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
}
