import { type ChildProcess, spawn } from 'node:child_process';
import { CLI_PATH } from '../../src/harness/index.js';

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `shoal ...args` to completion; rejects (after killing it) if it takes longer than `timeoutMs`. */
export function shoal(args: readonly string[], timeoutMs = 15_000): Promise<Run> {
  return finished(startShoal(args), timeoutMs);
}

/** Starts `shoal ...args` with piped output. */
export function startShoal(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What a started CLI process printed and how it ended. */
export function finished(child: ChildProcess, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shoal ${child.spawnargs.slice(2).join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
