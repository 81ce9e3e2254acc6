import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunRecorder } from '../scenario/run-recorder.ts';
import { redact, redactValue } from '../util/redact.ts';
import {
  type ClusterFacts,
  type Distribution,
  type EffectiveConfigEntry,
  type HostFacts,
  type Metric,
  type MetricInput,
  Metric as MetricSchema,
  type ProfileRef,
  RunResult,
  type RunStatus,
  resultSchemaVersion,
  type Sample,
  type TimelineEvent,
  type TimelineEventInput,
  TimelineEvent as TimelineEventSchema,
} from './schema.ts';

/** File names inside a run directory. */
export const runFiles = {
  run: 'run.json',
  timeline: 'timeline.ndjson',
  samples: 'samples.ndjson',
  metrics: 'metrics.ndjson',
  distributions: 'distributions.ndjson',
} as const;

export interface RunInit {
  runId: string;
  toolVersion: string;
  profile: ProfileRef;
  scenario: { name: string; preset?: string; parameters?: Record<string, unknown> };
  plan?: { comparisonId: string; side: string; repetition: number };
  host?: HostFacts;
}

/**
 * Writes one run's results as they arrive. Each event, sample, metric and distribution is
 * appended to its NDJSON file at once (synchronously: a kill -9 right after keeps it); run.json is
 * rewritten atomically whenever the run's header changes and finalised by `finish`. Everything
 * written passes through `redact`.
 */
export class RunWriter implements RunRecorder {
  readonly dir: string;
  readonly #startMs: number;
  #result: RunResult;

  constructor(dir: string, init: RunInit, now: Date = new Date()) {
    this.dir = dir;
    this.#startMs = now.getTime();
    mkdirSync(dir, { recursive: true });
    this.#result = RunResult.parse({
      schemaVersion: resultSchemaVersion,
      runId: init.runId,
      toolVersion: init.toolVersion,
      status: 'running',
      startedAt: now.toISOString(),
      profile: init.profile,
      scenario: { parameters: {}, ...init.scenario },
      plan: init.plan,
      host: init.host,
    });
    this.#writeHeader();
  }

  get runId(): string {
    return this.#result.runId;
  }

  /** Milliseconds since the run started. */
  elapsedMs(at: Date = new Date()): number {
    return at.getTime() - this.#startMs;
  }

  event(e: Omit<TimelineEventInput, 'at' | 'tMs'> & { at?: Date }): TimelineEvent {
    const at = e.at ?? new Date();
    const event = TimelineEventSchema.parse({
      ...e,
      at: at.toISOString(),
      tMs: this.elapsedMs(at),
    });
    this.#result.timeline.push(event);
    this.#append(runFiles.timeline, event);
    return event;
  }

  sample(series: string, value: number, labels: Record<string, string> = {}, at?: Date): void {
    const s: Sample = { tMs: this.elapsedMs(at), series, labels, value };
    this.#append(runFiles.samples, s);
  }

  metric(m: MetricInput): Metric {
    const metric = MetricSchema.parse(m);
    this.#result.metrics.push(metric);
    this.#append(runFiles.metrics, metric);
    return metric;
  }

  distribution(d: Distribution): void {
    this.#result.distributions.push(d);
    this.#append(runFiles.distributions, d);
  }

  setCluster(cluster: ClusterFacts): void {
    this.#result.cluster = cluster;
    this.#writeHeader();
  }

  setEffectiveConfig(entries: EffectiveConfigEntry[]): void {
    this.#result.effectiveConfig = entries;
    this.#writeHeader();
  }

  markInvalid(reason: string): void {
    this.#result.invalid.push(reason);
    this.#writeHeader();
  }

  /** Keep a file for debugging (logs, journals, events), redacted, under the run directory. */
  artifact(relativePath: string, content: string): string {
    const path = join(this.dir, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, redact(content));
    if (!this.#result.artifacts.includes(relativePath)) this.#result.artifacts.push(relativePath);
    return path;
  }

  /** Finalise run.json with everything measured. */
  finish(status: Exclude<RunStatus, 'running'>, error?: unknown): RunResult {
    this.#result.status = status;
    this.#result.finishedAt = new Date().toISOString();
    if (error !== undefined)
      this.#result.error = error instanceof Error ? error.message : String(error);
    this.#writeJson(runFiles.run, this.#result);
    return this.#result;
  }

  /** While running, run.json holds the header only; the NDJSON files hold the data. */
  #writeHeader(): void {
    const { timeline: _t, metrics: _m, distributions: _d, ...header } = this.#result;
    this.#writeJson(runFiles.run, { ...header, timeline: [], metrics: [], distributions: [] });
  }

  #writeJson(name: string, value: unknown): void {
    const path = join(this.dir, name);
    // by structure first (a credential-named field at any depth), then as text
    writeFileSync(`${path}.tmp`, redact(`${JSON.stringify(redactValue(value), null, 2)}\n`));
    renameSync(`${path}.tmp`, path);
  }

  #append(name: string, value: unknown): void {
    appendFileSync(join(this.dir, name), `${redact(JSON.stringify(redactValue(value)))}\n`);
  }
}
