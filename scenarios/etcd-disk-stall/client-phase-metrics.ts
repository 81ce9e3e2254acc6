import { type K6Run, readK6Points } from '../../harness/load/k6.ts';
import { statusClass } from '../../harness/load/k6-aggregate.ts';
import { HistogramRecorder } from '../../harness/measure/histogram.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';

/**
 * The API client's view per phase, from every request the scenario's k6 load made (the
 * scenario hands the load's output over with `load`): errors and latency per phase and per
 * second, and how long after the `after` mark the API served cleanly again.
 */
export class ClientPhaseMetrics implements Measurement {
  readonly name = 'client-phases';
  readonly #marks: { name: string; atMs: number }[] = [];
  #load: K6Run | undefined;

  /** The k6 run whose requests are measured. */
  load(run: K6Run): void {
    this.#load = run;
  }

  async start(): Promise<void> {}

  async phase(name: string, at: Date): Promise<void> {
    this.#marks.push({ name, atMs: at.getTime() });
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    if (this.#load && this.#marks.length)
      await writeClientPhases(ctx.writer, this.#load.pointsFile, this.#marks);
  }
}

/**
 * Client view per phase from every request k6 made: errors, latency percentiles, and the time
 * from the release until the API served cleanly (no error, p99 under 1 s) for 5 seconds running.
 */
async function writeClientPhases(
  writer: RunRecorder,
  pointsFile: string,
  marks: readonly { name: string; atMs: number }[],
): Promise<void> {
  const phases = marks.map((m) => m.name);
  // a request belongs to the last phase that had started when it was sent
  const phaseOf = (t: number): string | undefined => marks.findLast((m) => m.atMs <= t)?.name;
  const latency = new Map<string, HistogramRecorder>(
    phases.map((p) => [p, new HistogramRecorder()]),
  );
  const errors = new Map<string, number>(phases.map((p) => [p, 0]));
  const perSecond = new Map<number, { errors: number; ok: number; max: number }>();
  for await (const p of readK6Points(pointsFile, new Set(['http_req_duration']))) {
    if (p.tags.verb === 'SETUP') continue;
    const phase = phaseOf(p.timeMs);
    if (phase === undefined) continue;
    latency.get(phase)!.record(p.value);
    const status = statusClass(p.tags.status, p.tags.error_code);
    const failed = status !== '2xx';
    if (failed) errors.set(phase, errors.get(phase)! + 1);
    const second = Math.floor(p.timeMs / 1000);
    const s = perSecond.get(second) ?? { errors: 0, ok: 0, max: 0 };
    if (failed) s.errors++;
    else s.ok++;
    s.max = Math.max(s.max, p.value);
    perSecond.set(second, s);
  }
  for (const phase of phases) {
    const h = latency.get(phase)!;
    writer.distribution(h.toDistribution('api.latency', 'ms', { phase }));
    writer.metric({
      name: 'api.latency.p99',
      labels: { phase },
      unit: 'ms',
      direction: 'lower',
      value: h.count ? h.percentile(99) : 0,
    });
    writer.metric({
      name: 'api.errors',
      labels: { phase },
      unit: 'count',
      direction: 'lower',
      value: errors.get(phase)!,
    });
  }
  const seconds = [...perSecond.keys()].sort((a, b) => a - b);
  for (const sec of seconds) {
    const s = perSecond.get(sec)!;
    writer.sample('api.requests_ok', s.ok, {}, new Date(sec * 1000));
    writer.sample('api.requests_failed', s.errors, {}, new Date(sec * 1000));
    writer.sample('api.latency_max_ms', s.max, {}, new Date(sec * 1000));
  }
  const stallEnd = marks.find((m) => m.name === 'after')?.atMs;
  if (stallEnd === undefined) return;
  const releaseSec = Math.floor(stallEnd / 1000);
  const clean = (sec: number) => {
    const s = perSecond.get(sec);
    return s !== undefined && s.errors === 0 && s.max < 1000;
  };
  const recovered = seconds.find(
    (sec) => sec >= releaseSec && [0, 1, 2, 3, 4].every((k) => clean(sec + k)),
  );
  if (recovered !== undefined) {
    writer.metric({
      name: 'api.recovery_seconds',
      unit: 's',
      direction: 'lower',
      value: Math.max(0, recovered - stallEnd / 1000),
      description: 'from release until 5 clean seconds',
    });
    writer.event({
      kind: 'cluster',
      name: 'API serving cleanly again',
      at: new Date(recovered * 1000),
    });
  } else {
    writer.event({ kind: 'note', name: 'API did not serve cleanly for 5 s before the load ended' });
    log.warn('the API did not recover within the recovery window');
  }
}
