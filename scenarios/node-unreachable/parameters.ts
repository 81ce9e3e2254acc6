import { z } from 'zod';
import {
  blockKubeletApiserver,
  type Fault,
  networkDisconnect,
  pauseNode,
} from '../../harness/faults/index.ts';

/**
 * How the worker drops off (kind-internals.md, "Making a node unreachable"):
 * - network: disconnected from the cluster network, reconnected with the same IP; its pods are
 *   cut off too, so the client sees errors until they leave the endpoints;
 * - kubelet: only kubelet -> apiserver is dropped; pods keep serving, the node still goes
 *   NotReady and its pods are evicted: the cluster reacts to a failure users never saw;
 * - pause: the node container is frozen; connections to its pods hang instead of failing.
 */
export const faultVariants = ['network', 'kubelet', 'pause'] as const;
export type FaultVariant = (typeof faultVariants)[number];

/** The fault plugin of each variant. */
export const faultOf: Record<FaultVariant, Fault> = {
  network: networkDisconnect,
  kubelet: blockKubeletApiserver,
  pause: pauseNode,
};

const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * The L7 proxy between the client and the canary:
 * - `nginx` (tuneproof/nginx): set up with ingress-nginx's defaults (its
 *   internal/ingress/controller/config/config.go, NewDefault): proxy-connect-timeout 5 s,
 *   proxy-read-timeout and proxy-send-timeout 60 s, proxy-next-upstream "error timeout" with
 *   proxy-next-upstream-tries 3 and proxy-next-upstream-timeout 0, upstream keep-alive 320
 *   connections (60 s idle timeout, 10000 requests, 1 h), client keep-alive 75 s and 1000
 *   requests, and upstream-max-fails 0 (no passive health checks). A refused, reset or
 *   unreachable upstream is retried on the next server and answered 502 when the tries run out;
 *   a timeout, 504.
 * - `haproxy` (tuneproof/proxy): no retries; no server left is 503, a timeout 504.
 */
export const proxies = ['nginx', 'haproxy'] as const;
export type ProxyKind = (typeof proxies)[number];

/** Each proxy's timeouts when the parameters leave them unset (seconds). */
export const proxyDefaults: Record<ProxyKind, { connect: number; server: number }> = {
  nginx: { connect: 5, server: 60 },
  haproxy: { connect: 2, server: 10 },
};

export const parameters = z
  .object({
    fault: z.enum(faultVariants),
    /**
     * Workers in the cluster; one is faulted. At least two: with every node NotReady in kind's
     * single zone the node controller stops evicting (unhealthy-zone-threshold).
     */
    workers: z.number().int().min(2).max(5).default(2),
    /** Which worker to fault: 1 is the first (`<cluster>-worker`). */
    faultWorker: z.number().int().min(1).max(5).default(1),
    /** Canary replicas, spread evenly over the workers. */
    replicas: z.number().int().min(2).max(40).default(4),
    /** Client requests per second (open model: they arrive on time whatever the answers). */
    rate: z.number().positive().max(500).default(20),
    /** Steady load before the fault: errors here make the run invalid. */
    warmupSeconds: seconds(5, 600),
    /**
     * When to heal: `replacements-ready` once the evicted pods' replacements are Ready (plus
     * `holdSeconds`), or at `maxFaultSeconds` if that comes first; `timer` always at
     * `maxFaultSeconds`. No eviction inside the window is reported as such, not as a failure.
     */
    heal: z.enum(['replacements-ready', 'timer']).default('replacements-ready'),
    maxFaultSeconds: seconds(10, 1800),
    holdSeconds: seconds(0, 300).default(5),
    /** After the heal: at most this long for the node to be Ready and the Service whole. */
    recoverySeconds: seconds(10, 900).default(120),
    /** Then this much more steady load, to see the client recover. */
    afterSeconds: seconds(5, 600).default(20),
    /**
     * Client timeout per request; above the proxy's server timeout, so hangs show as 504 (unset:
     * the server timeout + 5 s). nginx may retry a timed-out request on the next server, so one
     * request can outlast it.
     */
    requestTimeoutSeconds: seconds(1, 300).optional(),
    maxVUs: z.number().int().min(1).max(2000).default(300),
    /**
     * Reuse client connections (keep-alive, as browsers and SDKs do). The proxy closes a
     * kept-alive connection instead of answering after some failures and the client silently
     * resends the GET, so part of the failures show as latency (see proxy-view.ts); `false` opens
     * a connection per request and every failure reaches the client.
     */
    clientKeepAlive: z.boolean().default(true),
    /** The proxy users go through: `nginx` (ingress-nginx's defaults) or `haproxy`. */
    proxy: z.enum(proxies).default('nginx'),
    /** NodePort of the proxy, published on 127.0.0.1 by the control-plane container. */
    nodePort: z.number().int().min(30000).max(32767).default(30080),
    /**
     * HAProxy only: active health checks of the canary pods (1 s interval, 2 failures to mark down).
     * Off by default: an ingress that follows EndpointSlices sends to a dead pod until it leaves
     * the endpoints, which is what the profile's grace period decides. On, the proxy hides a
     * dead pod within ~2 s whatever the profile.
     */
    proxyHealthCheck: z.boolean().default(false),
    /**
     * How long the proxy holds a DNS answer of the headless Service: HAProxy re-resolves every
     * second and holds a valid answer this long; nginx re-resolves every this many seconds and
     * reloads when the set changed. A pod leaves DNS as soon as it leaves the endpoints (CoreDNS
     * does not cache cluster.local), so errors last until endpoints drop plus about this long.
     */
    proxyDnsHoldSeconds: seconds(1, 300).default(1),
    /** Unset: the proxy's default (proxyDefaults: nginx 5 s as ingress-nginx, HAProxy 2 s). */
    proxyConnectTimeoutSeconds: seconds(1, 60).optional(),
    /** Read (server) timeout; unset: nginx 60 s as ingress-nginx, HAProxy 10 s. */
    proxyServerTimeoutSeconds: seconds(1, 120).optional(),
  })
  .strict()
  .refine((p) => p.faultWorker <= p.workers, {
    message: 'faultWorker must be one of the workers',
    path: ['faultWorker'],
  })
  .refine((p) => !(p.proxy === 'nginx' && p.proxyHealthCheck), {
    message: 'proxyHealthCheck is HAProxy only (open-source nginx has no active health checks)',
    path: ['proxyHealthCheck'],
  })
  .refine((p) => timeoutsOf(p).request > timeoutsOf(p).server, {
    message:
      "requestTimeoutSeconds must exceed proxyServerTimeoutSeconds (else the proxy's 504s show as client timeouts)",
    path: ['requestTimeoutSeconds'],
  });
export type NodeUnreachableParameters = z.infer<typeof parameters>;

/** The proxy's connect and server timeouts and the client's, defaults filled in (seconds). */
export function timeoutsOf(p: {
  proxy: ProxyKind;
  proxyConnectTimeoutSeconds?: number | undefined;
  proxyServerTimeoutSeconds?: number | undefined;
  requestTimeoutSeconds?: number | undefined;
}): { connect: number; server: number; request: number } {
  const d = proxyDefaults[p.proxy];
  const server = p.proxyServerTimeoutSeconds ?? d.server;
  return {
    connect: p.proxyConnectTimeoutSeconds ?? d.connect,
    server,
    request: p.requestTimeoutSeconds ?? server + 5,
  };
}

/**
 * smoke (CI, a few minutes on top of cluster bring-up): long enough to see NotReady with any
 * profile and, with a tuned one (20 s grace, 30 s toleration), evictions and replacements; with
 * upstream defaults (50 s + 300 s) it heals at 90 s and records "no eviction within the window".
 * standard: 420 s of fault, enough for the defaults' ~350 s eviction and its replacements.
 */
export const presets = {
  smoke: {
    fault: 'network',
    warmupSeconds: 20,
    maxFaultSeconds: 90,
    recoverySeconds: 90,
    afterSeconds: 15,
    rate: 20,
  },
  standard: {
    fault: 'network',
    warmupSeconds: 60,
    maxFaultSeconds: 420,
    holdSeconds: 10,
    recoverySeconds: 180,
    afterSeconds: 60,
    rate: 50,
    // a paused node holds each request to its pods for the proxy's 10 s server timeout
    maxVUs: 700,
  },
} satisfies Record<string, z.input<typeof parameters>>;
