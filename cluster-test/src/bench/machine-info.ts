import { cpus, loadavg, totalmem } from 'node:os';

/** The machine and software a run was measured on. */
export interface MachineInfo {
  readonly date: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryGiB: number;
  readonly nodeVersion: string;
  readonly redisVersion: string;
  /** 1-minute load average when the run started: other work on the machine makes the numbers noisy. */
  readonly loadAverage: number;
}

export function machineInfo(redisVersion: string, loadAverage: number): MachineInfo {
  const cpu = cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    cpuModel: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    totalMemoryGiB: totalmem() / 1024 ** 3,
    nodeVersion: process.version,
    redisVersion,
    loadAverage,
  };
}

/** One line, e.g. "AMD EPYC 7B13, 2 cores, 23.5 GiB RAM, Node v20.20.2, redis-server 7.0.15". */
export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryGiB.toFixed(1)} GiB RAM, Node ${m.nodeVersion}, redis-server ${m.redisVersion}`;
}

/** The 1-minute load average now. */
export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}

/** A warning when the machine is already busy (load above a quarter of its cores), else undefined. */
export function busyWarning(loadAverage: number): string | undefined {
  const cores = cpus().length;
  if (loadAverage <= cores / 4) return undefined;
  return `the machine is busy (1-minute load average ${loadAverage.toFixed(2)} on ${cores} cores): expect noisy numbers`;
}
