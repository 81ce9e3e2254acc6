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
    /** Client timeout per request; above the proxy's server timeout, so hangs show as 504. */
    requestTimeoutSeconds: seconds(1, 120).default(15),
    maxVUs: z.number().int().min(1).max(2000).default(300),
    /**
     * Reuse client connections (keep-alive, as browsers and SDKs do). The proxy closes a
     * kept-alive connection instead of answering after some failures and the client silently
     * resends the GET, so part of the failures show as latency (see proxy-view.ts); `false` opens
     * a connection per request and every failure reaches the client.
     */
    clientKeepAlive: z.boolean().default(true),
    /** NodePort of the proxy, published on 127.0.0.1 by the control-plane container. */
    nodePort: z.number().int().min(30000).max(32767).default(30080),
    /**
     * HAProxy active health checks of the canary pods (1 s interval, 2 failures to mark down).
     * Off by default: an ingress that follows EndpointSlices sends to a dead pod until it leaves
     * the endpoints, which is what the profile's grace period decides. On, the proxy hides a
     * dead pod within ~2 s whatever the profile.
     */
    proxyHealthCheck: z.boolean().default(false),
    /**
     * How long the proxy holds a DNS answer (HAProxy `hold valid`); it re-resolves the headless
     * Service every second. A pod leaves DNS as soon as it leaves the endpoints (CoreDNS does
     * not cache cluster.local), so errors last until endpoints drop plus about this long.
     */
    proxyDnsHoldSeconds: seconds(1, 300).default(1),
    proxyConnectTimeoutSeconds: seconds(1, 60).default(2),
    proxyServerTimeoutSeconds: seconds(1, 120).default(10),
  })
  .strict()
  .refine((p) => p.faultWorker <= p.workers, {
    message: 'faultWorker must be one of the workers',
    path: ['faultWorker'],
  })
  .refine((p) => p.requestTimeoutSeconds > p.proxyServerTimeoutSeconds, {
    message:
      "requestTimeoutSeconds must exceed proxyServerTimeoutSeconds (else the proxy's 504s show as client timeouts)",
    path: ['requestTimeoutSeconds'],
  });
export type NodeUnreachableParameters = z.infer<typeof parameters>;

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
