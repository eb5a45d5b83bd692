import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HAND_PLACEHOLDER, updateBenchmarksFile } from './benchmarks-file.js';
import { CDC_PART_END, CDC_PART_START } from './cdc-report.js';

const HAND_MARK = '**Where a target is missed:**';

/** A section with the CDC part put in: in place of its old one, else before the hand-written paragraph, else at its end. */
export function withCdcPart(section: string, part: string): string {
  const start = section.indexOf(CDC_PART_START);
  const end = section.indexOf(CDC_PART_END);
  if (start >= 0 && end > start) return section.slice(0, start) + part + section.slice(end + CDC_PART_END.length);
  const hand = section.indexOf(HAND_MARK);
  if (hand >= 0) return `${section.slice(0, hand)}${part}\n\n${section.slice(hand)}`;
  return `${section.trimEnd()}\n\n${part}\n`;
}

/**
 * Puts the CDC part into the file's section of `date` (leaving the rest of
 * it as the full benchmark wrote it), or, when there is none, adds a
 * section of that date with only the CDC part, headed `## heading`.
 */
export function updateCdcPart(path: string, date: string, heading: string, part: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.startsWith(`## ${date}`));
  if (first < 0) {
    updateBenchmarksFile(path, date, [`## ${heading}`, '', part, '', HAND_PLACEHOLDER, ''].join('\n'));
    return;
  }
  const next = lines.findIndex((line, i) => i > first && line.startsWith('## '));
  const end = next < 0 ? lines.length : next;
  const section = lines.slice(first, end).join('\n');
  const updated = withCdcPart(section.trimEnd(), part);
  const after = lines.slice(end);
  writeFileSync(path, [...lines.slice(0, first), updated.trimEnd(), ...(after.length > 0 ? ['', ...after] : [''])].join('\n'));
}
