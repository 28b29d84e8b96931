import type { SignupFigures } from '../signup.bench.ts';
import type { Knobs } from './service-env.ts';

/** What one run of the daily path measured. */
export interface DailyFigures {
  readers: number;
  knobs: Knobs;
  seedSeconds: number;
  /** run-now (plan job queued) → the last of the run's messages accepted by the sink. */
  seconds: number;
  digestsPerSecond: number;
  messages: number;
  /** CPU ms per digest over that window, per process (group), from /proc/<pid>/stat. */
  cpuMsPerDigest: {
    worker: number;
    mailer: number;
    /** Every process whose comm is postgres (the server is shared: other people's load counts too). */
    postgres: number;
    /** Only the backends of the bench's own services (application_name), a lower bound. */
    postgresOwnBackends: number;
    redis: number;
    sink: number;
  };
  /** VmHWM at the end of the window. */
  peakRssBytes: { worker: number | null; mailer: number | null };
  /** Highest used_memory minus used_memory at the start (sampled every 250 ms; server-wide). */
  redisPeakGrowthBytes: number;
  /** INFO used_memory_peak: the server's lifetime peak, not the bench's. */
  redisServerPeakBytes: number;
  editions: number;
  readersPerEdition: number;
  deliveries: Record<string, number>;
  bytesPerMessage: number;
  /** Log lines at warn or above from worker and mailer. */
  warnings: number;
}

export interface NaiveFigures {
  readers: number;
  seconds: number;
  digestsPerSecond: number;
  bytesPerMessage: number;
}

export type { SignupFigures } from '../signup.bench.ts';

export type SignupOutcome =
  | { status: 'measured'; connections: number; figures: SignupFigures }
  | { status: 'not measured'; reason: string };

export interface PlanFigures {
  readers: number;
  seedSeconds: number;
  /** Plan job queued → completed (deliveries inserted, compose jobs recorded and queued). */
  seconds: number;
  deliveries: number;
  composeJobs: number;
  /** MEMORY USAGE summed over the bench prefix's keys once planning is done. */
  redisPrefixBytes: number;
  redisPrefixKeys: number;
  /** used_memory after planning minus before (server-wide). */
  redisGrowthBytes: number;
}

/** Where and when figures were taken; each section keeps its own, so sections may differ. */
export interface RunInfo {
  date: string;
  commit: string;
  command: string;
  loadAverage: [number, number, number];
}

export interface BenchResults {
  machine?: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    redis: string;
  };
  daily?: DailyFigures & { run: RunInfo };
  naive?: NaiveFigures & { run: RunInfo };
  signup?: SignupOutcome & { run: RunInfo };
  plan?: PlanFigures & { run: RunInfo };
}
