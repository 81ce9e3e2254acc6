import { z } from 'zod';
import { simulatedNodeSlots } from '../../clusters/kwok/index.ts';

const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

/** Simulated nodes per zone for N nodes over Z zones (round-robin: sizes differ by one). */
export function zoneSizes(simulatedNodes: number, zones: number): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const s of simulatedNodeSlots('x', simulatedNodes, zones))
    sizes.set(s.zone, (sizes.get(s.zone) ?? 0) + 1);
  return sizes;
}

export const parameters = z
  .object({
    /** Simulated (kwok) nodes beside the real ones. */
    simulatedNodes: z.number().int().min(3).max(5000),
    /** Zones they are spread over (`zone-a`, `zone-b`, ...). */
    zones: z.number().int().min(1).max(26).default(2),
    /** The zone whose nodes fail. */
    zone: z.string().default('zone-a'),
    /** How many of that zone's simulated nodes stop renewing their leases (M). */
    outageNodes: z.number().int().min(1),
    /** Real workers (the workload runs on simulated nodes; real ones keep CoreDNS). */
    workers: z.number().int().min(0).max(3).default(1),
    /**
     * The workload's tolerationSeconds for unreachable/not-ready NoExecute taints. Unset, the
     * apiserver's DefaultTolerationSeconds gives the profile's default-*-toleration-seconds.
     */
    podTolerationSeconds: seconds(0, 3600).optional(),
    /**
     * Ends the outage once every failed node is tainted and its pods evicted, or after this long.
     * Too short a window for the rate is reported (fewer taints than M), not a failure.
     */
    maxOutageSeconds: seconds(10, 3600),
    /** After the heal: at most this long for the failed nodes to be Ready and untainted. */
    recoverySeconds: seconds(10, 900).default(120),
  })
  .strict()
  .superRefine((p, ctx) => {
    const sizes = zoneSizes(p.simulatedNodes, p.zones);
    const size = sizes.get(p.zone);
    if (size === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['zone'],
        message: `zone must be one of ${[...sizes.keys()].join(', ')} (zones: ${p.zones})`,
      });
    else if (p.outageNodes > size)
      ctx.addIssue({
        code: 'custom',
        path: ['outageNodes'],
        message: `outageNodes (${p.outageNodes}) exceeds the ${size} simulated nodes of ${p.zone}`,
      });
  });
export type ZoneOutageParameters = z.infer<typeof parameters>;

/**
 * smoke: 200 simulated nodes in two zones (100 each), 10 of zone-a fail: 10% of the zone, below
 * the default unhealthy-zone-threshold (0.55), so it stays Normal and taints come at
 * node-eviction-rate (0.1/s: ~90 s from first to last). Pods tolerate the taint 5 s.
 * standard: 1000 nodes in three zones, 50 fail (15% of zone-a), pods with the profile's
 * default tolerations: ~490 s of taints at 0.1/s plus the 300 s toleration.
 */
export const presets = {
  smoke: {
    simulatedNodes: 200,
    zones: 2,
    outageNodes: 10,
    podTolerationSeconds: 5,
    maxOutageSeconds: 240,
  },
  standard: {
    simulatedNodes: 1000,
    zones: 3,
    outageNodes: 50,
    maxOutageSeconds: 1200,
  },
} satisfies Record<string, z.input<typeof parameters>>;
