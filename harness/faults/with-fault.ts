import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { cleanup, type Undo } from '../util/cleanup.ts';
import type { Fault, FaultTarget } from './fault.ts';
import { faultProblems, injectFault } from './inject-fault.ts';

/** Where the fault window goes: the run's timeline (the run writer is one). */
export interface FaultTimeline {
  event(e: {
    kind: 'fault';
    name: string;
    edge: 'start' | 'end';
    at: Date;
    detail?: Record<string, unknown>;
  }): unknown;
}

/** One fault window, as `withFault` hands it to the hold function and leaves it afterwards. */
export interface FaultWindow {
  /** The timeline name of the window: the fault's title and the node. */
  readonly name: string;
  /** When injection started (the fault counts from there: a Docker disconnect can take ~1 s). */
  readonly startMs: number;
  /** How long the injection itself took. */
  injectMs?: number;
  /** When recovery finished; set once the window is over, also after a failure. */
  endMs?: number;
}

export interface WithFaultOptions<S extends z.ZodType> {
  timeline: FaultTimeline;
  fault: Fault<S>;
  target: FaultTarget;
  params?: z.input<S>;
  /** More detail for the start event (e.g. what the scenario has on the node). */
  detail?: Record<string, unknown>;
}

/**
 * The one way scenarios inject a fault: registers the window's recovery on the cleanup stack,
 * injects (the fault registers its own undo before it acts), writes the window's start event,
 * runs `hold`, and recovers and writes the end event in `finally`, whatever `hold` did. A signal
 * mid-window drains the cleanup stack, which heals and closes the window the same way.
 */
export async function withFault<S extends z.ZodType, T>(
  opts: WithFaultOptions<S>,
  hold: (window: FaultWindow) => Promise<T>,
): Promise<T> {
  const { timeline, fault, target } = opts;
  const problems = faultProblems(fault, target, opts.params ?? {});
  if (problems.length)
    throw new ConfigError(`fault ${fault.name} on ${target.node.name}`, problems);
  const params = fault.parameters.parse(opts.params ?? {});
  const window: FaultWindow = {
    name: `${fault.title(params)}: ${target.node.name}`,
    startMs: Date.now(),
  };
  let undo: Undo | undefined;
  let failed = false;
  const recovery = cleanup.push(`end fault window "${window.name}"`, async () => {
    try {
      await undo?.run();
    } finally {
      window.endMs = Date.now();
      if (undo)
        timeline.event({
          kind: 'fault',
          name: window.name,
          edge: 'end',
          at: new Date(window.endMs),
          ...(failed ? { detail: { early: true } } : {}),
        });
    }
  });
  try {
    undo = await injectFault(fault, target, opts.params);
    window.injectMs = Date.now() - window.startMs;
    timeline.event({
      kind: 'fault',
      name: window.name,
      edge: 'start',
      at: new Date(window.startMs),
      detail: {
        fault: fault.name,
        node: target.node.name,
        ...(params as object),
        ...opts.detail,
        injectMs: window.injectMs,
      },
    });
    return await hold(window);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await recovery.run();
  }
}
