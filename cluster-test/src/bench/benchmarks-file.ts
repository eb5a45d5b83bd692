import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const DEFAULT_HEADER = `# Benchmarks

Shoal against Redis on the same machine, measured by \`npm run bench\`
(\`cluster-test/src/bench/\`). Newest run first. Ratios are Shoal/Redis: for throughput
higher is better, for latency and memory lower is better.
`;

const HAND_MARK = '**Where a target is missed:**';
export const HAND_PLACEHOLDER = `${HAND_MARK} _(to be filled in by hand: the cause of each missed target and what would fix it)_`;

/**
 * Puts `section` (which starts with `## <date>`) into the file: it replaces a section of the same
 * date, else goes first below the header. A hand-written "Where a target is missed" paragraph of
 * the replaced section is kept.
 */
export function updateBenchmarksFile(path: string, date: string, section: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : DEFAULT_HEADER;
  const { header, sections } = splitSections(text);
  const sameDate = sections.findIndex((s) => s.startsWith(`## ${date}`));
  const kept = sameDate >= 0 ? handWritten(sections[sameDate]!) : undefined;
  const fresh = kept === undefined ? section : section.replace(HAND_PLACEHOLDER, kept);
  if (sameDate >= 0) sections[sameDate] = fresh;
  else sections.unshift(fresh);
  const body = [header.trimEnd(), ...sections.map((s) => s.trim())].join('\n\n');
  writeFileSync(path, `${body}\n`);
}

/** The text before the first `## ` heading, and each `## ` section. */
function splitSections(text: string): { header: string; sections: string[] } {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, i) => (line.startsWith('## ') ? [i] : []));
  if (starts.length === 0) return { header: text.trim().length > 0 ? text : DEFAULT_HEADER, sections: [] };
  const header = lines.slice(0, starts[0]).join('\n');
  const sections = starts.map((start, k) => lines.slice(start, starts[k + 1] ?? lines.length).join('\n'));
  return { header, sections };
}

/** The "Where a target is missed" paragraph of a section, if someone filled it in. */
function handWritten(section: string): string | undefined {
  const at = section.indexOf(HAND_MARK);
  if (at < 0) return undefined;
  const paragraph = section.slice(at).trim();
  return paragraph === HAND_PLACEHOLDER ? undefined : paragraph;
}
