import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now; only serious and critical findings are
 * returned. axe is injected through Playwright's evaluate, so the page's CSP stays as in production.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Opens each path and collects every serious finding, so one failure lists all the pages' problems. */
export async function accessibilityProblems(page: Page, baseUrl: string, paths: string[]): Promise<{ statuses: Record<string, number>; problems: string[] }> {
  const statuses: Record<string, number> = {};
  const problems: string[] = [];
  for (const path of paths) {
    const response = await page.goto(`${baseUrl}${path}`);
    statuses[path] = response?.status() ?? 0;
    problems.push(...(await seriousViolations(page)).map((problem) => `${path}: ${problem}`));
  }
  return { statuses, problems };
}
