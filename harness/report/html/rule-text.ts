// Rules as the report shows them: an id linking to its row in the report's rule table, with the
// title and summary from the catalogue (model/rule-ids.ts, generated from spec/).

import { isRuleId, RULES, type RuleId } from "../../../model/rule-ids.js";
import { esc } from "./escape.js";

/** The id of a rule's row in the rule table (links point there). */
export const ruleAnchor = (id: RuleId): string => `rule-${id}`;

/** `PSYNC-2` as a link to its rule table row, its title and summary as the tooltip. */
export function ruleLink(id: string): string {
  if (!isRuleId(id)) return esc(id);
  const r = RULES[id];
  return `<a class="rule-id" href="#${ruleAnchor(id)}" title="${esc(`${r.title} — ${r.summary}`)}">${esc(id)}</a>`;
}

const linked = (text: string): string =>
  text
    .split(/\b([A-Z]+-\d+)\b/)
    .map((part, i) => (i % 2 === 1 ? ruleLink(part) : esc(part)))
    .join("");

/** Plain text with every rule id in it turned into a rule link, and `quoted` parts (as spec/ writes them) as code. */
export function withRuleLinks(text: string): string {
  return text
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? `<code>${esc(part)}</code>` : linked(part)))
    .join("");
}

/** The rule's title and summary, for the place where a failure names it. */
export function ruleText(id: RuleId): string {
  const r = RULES[id];
  return `<span class="rule-title">${withRuleLinks(r.title)}</span> <span class="rule-summary">${withRuleLinks(r.summary)}</span> <span class="rule-area">(spec/${esc(r.area)})</span>`;
}
