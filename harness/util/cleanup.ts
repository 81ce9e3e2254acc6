import { log } from './log.ts';

/**
 * Undo actions, registered before the action they undo (a fault's recovery before its
 * injection, a container's removal before its start). They run last-in first-out at the end of
 * a run, on error, and on SIGINT/SIGTERM; each runs once, and one failing does not stop the rest.
 */
export interface Undo {
  readonly label: string;
  /** Run this undo now (if it has not run) and forget it. */
  run(): Promise<void>;
  /** Forget it without running it (the action it guarded was undone another way). */
  dismiss(): void;
}

type Entry = { label: string; fn: () => Promise<void>; done: boolean };

export class CleanupStack {
  #entries: Entry[] = [];

  push(label: string, fn: () => Promise<void>): Undo {
    const entry: Entry = { label, fn, done: false };
    this.#entries.push(entry);
    const remove = () => {
      entry.done = true;
      this.#entries = this.#entries.filter((e) => e !== entry);
    };
    return {
      label,
      run: async () => {
        if (entry.done) return;
        remove();
        await entry.fn();
      },
      dismiss: remove,
    };
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Run every pending undo, newest first. Errors are logged, not thrown. */
  async runAll(): Promise<void> {
    while (this.#entries.length > 0) {
      const entry = this.#entries.pop()!;
      if (entry.done) continue;
      entry.done = true;
      try {
        await entry.fn();
      } catch (e) {
        log.warn(`cleanup "${entry.label}" failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/** The process-wide stack that the CLI drains on exit and on signals. */
export const cleanup = new CleanupStack();

let installed = false;
/**
 * On the first SIGINT/SIGTERM, drain the cleanup stack, then exit 130/143. A second signal
 * while cleaning exits at once (the user insists), after saying what may be left behind.
 */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  let cleaning = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (cleaning) {
      log.warn(`second ${signal}: exiting now; run "tuneproof clean" to remove leftovers`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    cleaning = true;
    log.info(`${signal} received: undoing faults and removing what this run created...`);
    void cleanup.runAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
