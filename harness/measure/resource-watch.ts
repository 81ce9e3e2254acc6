import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { getRaw } from '../../clusters/kube.ts';
import { log } from '../util/log.ts';

/** One change to an object as a watch delivered it, with the host time it arrived. */
export interface WatchedChange<T = Record<string, unknown>> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The object as the API server sent it (plain JSON: timestamps are strings). */
  object: T;
  /** Milliseconds since the epoch when it arrived (kind nodes share the host's clock). */
  observedMs: number;
}

export interface ResourceWatchOptions {
  /** Collection path, e.g. `/api/v1/nodes` or `/api/v1/namespaces/x/pods`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  onChange: (change: WatchedChange) => void;
}

interface ListBody {
  metadata?: { resourceVersion?: string };
  items?: Record<string, unknown>[];
}

const rvOf = (o: unknown): string | undefined =>
  (o as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;

/**
 * A list-then-watch of one collection that survives what long watches meet: server-side
 * timeouts (re-watched from the last resourceVersion, kept fresh by bookmarks) and expired
 * resourceVersions (410: listed again, every item re-delivered as ADDED, so consumers must
 * tolerate repeats). The initial list arrives as ADDED changes. Raw JSON is kept as sent, so
 * server timestamps (conditions, taints, leases, events) can be read exactly.
 */
export class ResourceWatch {
  readonly #kc: KubeConfig;
  readonly #opts: ResourceWatchOptions;
  #resourceVersion: string | undefined;
  #controller: AbortController | undefined;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(kc: KubeConfig, opts: ResourceWatchOptions) {
    this.#kc = kc;
    this.#opts = opts;
  }

  /** Lists the collection (delivering it) and starts watching; resolves once the list arrived. */
  async start(): Promise<void> {
    await this.#list();
    await this.#watch();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#controller?.abort();
  }

  #query(): Record<string, string> {
    const q: Record<string, string> = {};
    if (this.#opts.labelSelector) q.labelSelector = this.#opts.labelSelector;
    if (this.#opts.fieldSelector) q.fieldSelector = this.#opts.fieldSelector;
    return q;
  }

  async #list(): Promise<void> {
    const qs = new URLSearchParams(this.#query()).toString();
    const body = JSON.parse(
      await getRaw(this.#kc, `${this.#opts.path}${qs ? `?${qs}` : ''}`),
    ) as ListBody;
    const observedMs = Date.now();
    for (const object of body.items ?? [])
      this.#opts.onChange({ type: 'ADDED', object, observedMs });
    this.#resourceVersion = body.metadata?.resourceVersion;
  }

  async #watch(): Promise<void> {
    if (this.#stopped) return;
    this.#controller = await new Watch(this.#kc).watch(
      this.#opts.path,
      {
        ...this.#query(),
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        // closed by the server before the client's 30 s inactivity timeout can fire on a quiet
        // collection; re-opened from the last resourceVersion at once
        timeoutSeconds: 25,
      },
      (type: string, object: Record<string, unknown>) => {
        const observedMs = Date.now();
        if (type === 'ERROR') {
          // 410 Gone: the resourceVersion is too old; list again
          if ((object as { code?: number }).code === 410) this.#resourceVersion = undefined;
          return;
        }
        const rv = rvOf(object);
        if (rv) this.#resourceVersion = rv;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
          this.#opts.onChange({ type, object, observedMs });
      },
      (err: unknown) => this.#restart(err),
    );
  }

  #restart(err: unknown): void {
    if (this.#stopped) return;
    if (err && !(err instanceof Error && err.name === 'AbortError'))
      log.debug(`watch ${this.#opts.path} ended: ${String(err)}; re-watching`);
    const again = async () => {
      if (this.#stopped) return;
      try {
        if (this.#resourceVersion === undefined) await this.#list();
        await this.#watch();
      } catch (e) {
        log.debug(`watch ${this.#opts.path} failed: ${String(e)}; retrying in 1s`);
        this.#resourceVersion = undefined;
        this.#retryTimer = setTimeout(() => void again(), 1000);
        this.#retryTimer.unref();
      }
    };
    // a watch that ends at once (an error status) must not spin
    this.#retryTimer = setTimeout(() => void again(), err ? 500 : 0);
    this.#retryTimer.unref();
  }
}

/** Several watches started and stopped together, feeding one ordered log of changes. */
export class WatchSet<K extends string> {
  readonly #watches: ResourceWatch[] = [];
  readonly changes: (WatchedChange & { resource: K })[] = [];

  constructor(kc: KubeConfig, specs: Record<K, Omit<ResourceWatchOptions, 'onChange'>>) {
    for (const [resource, spec] of Object.entries(specs) as [
      K,
      Omit<ResourceWatchOptions, 'onChange'>,
    ][]) {
      this.#watches.push(
        new ResourceWatch(kc, {
          ...spec,
          onChange: (c) => this.changes.push({ ...c, resource }),
        }),
      );
    }
  }

  async start(): Promise<void> {
    try {
      await Promise.all(this.#watches.map((w) => w.start()));
    } catch (e) {
      this.stop();
      throw e;
    }
  }

  stop(): void {
    for (const w of this.#watches) w.stop();
  }
}
