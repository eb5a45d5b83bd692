import { createInterface } from 'node:readline';
import { ShoalError } from '@shoal/client';
import { formatResult, type StatementResult } from './result-table.js';

/** Runs one statement against the grid. */
export type StatementRunner = (statement: string) => Promise<StatementResult>;

export interface ReplStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly errors: NodeJS.WritableStream;
  /** A terminal: prompts are shown and Ctrl-C clears the statement being typed. */
  readonly interactive: boolean;
}

const PROMPT = 'shoal> ';
const CONTINUATION = '  ...> ';
const HELP = [
  'Type SQL statements ending with ; (they may span lines).',
  '  \\q      quit (or Ctrl-D)',
  '  \\?      this help',
  '  Ctrl-C  discard the statement being typed',
  '',
].join('\n');

/** How an error prints, for the one-shot command and the prompt alike: `ERROR: <code>: <message>`. */
export function formatError(err: unknown): string {
  if (err instanceof ShoalError) return `ERROR: ${err.code}: ${err.message}\n`;
  return `ERROR: ${err instanceof Error ? err.message : String(err)}\n`;
}

type MetaCommand = (context: { readonly streams: ReplStreams; readonly quit: () => void }) => void;

const metaCommands: Readonly<Record<string, MetaCommand>> = {
  '\\q': ({ quit }) => quit(),
  '\\?': ({ streams }) => streams.output.write(HELP),
};

/**
 * The `shoal sql` prompt: reads lines, runs each statement once a line ends
 * with `;`, prints its result or its error, and goes on until `\q` or the end
 * of input. A `;` that ends a line inside a multi-line string ends the
 * statement too (the prompt does not tokenize SQL; the parser then reports
 * the broken string).
 */
export async function runRepl(run: StatementRunner, streams: ReplStreams): Promise<void> {
  const lines = createInterface({ input: streams.input, ...(streams.interactive ? { output: streams.output, terminal: true } : { terminal: false }) });
  let pending: string[] = [];
  const prompt = () => {
    if (!streams.interactive) return;
    lines.setPrompt(pending.length === 0 ? PROMPT : CONTINUATION);
    lines.prompt();
  };
  lines.on('SIGINT', () => {
    pending = [];
    streams.output.write('\n');
    prompt();
  });
  prompt();
  let quitting = false;
  // Lines already read stay queued in the iterator after close(): the loop stops on its own at \q.
  const quit = () => {
    quitting = true;
    lines.close();
  };
  for await (const line of lines) {
    const meta = pending.length === 0 ? metaCommands[line.trim()] : undefined;
    if (meta) {
      meta({ streams, quit });
      if (quitting) break;
    } else if (line.trim() !== '' || pending.length > 0) {
      pending.push(line);
      if (line.trimEnd().endsWith(';')) {
        const statement = pending.join('\n');
        pending = [];
        await runOne(run, statement, streams);
      }
    }
    prompt();
  }
  // Ctrl-D leaves the cursor after the prompt: end the line, as psql does.
  if (streams.interactive && !quitting) streams.output.write('\n');
}

async function runOne(run: StatementRunner, statement: string, streams: ReplStreams): Promise<void> {
  try {
    streams.output.write(formatResult(await run(statement)));
  } catch (err) {
    streams.errors.write(formatError(err));
  }
}
