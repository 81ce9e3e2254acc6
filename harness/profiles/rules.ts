import type { Problem } from '../errors.ts';
import { findKnob } from './catalogue.ts';
import type { ProfileValue, ResolvedProfile } from './profile-types.ts';
import { parseGoDuration } from './values.ts';

/**
 * Cross-field rules that operators get wrong. Each reads the effective value of a knob (the
 * profile's, else the upstream default) and reports at the place the profile set it.
 */
interface Effective {
  value: unknown;
  set?: ProfileValue;
}

function effective(p: ResolvedProfile, component: string, key: string): Effective {
  const set = p.values.get(`${component}.${key}`);
  if (set) return { value: set.value, set };
  return { value: findKnob(component, key)?.default };
}

const ms = (e: Effective): number | undefined =>
  typeof e.value === 'string' ? parseGoDuration(e.value) : undefined;

function problemAt(
  p: ResolvedProfile,
  subjects: Effective[],
  path: string,
  message: string,
  severity: Problem['severity'] = 'error',
): Problem {
  // Point at the value set nearest the user: in the profile's own file before its bases (a
  // rule broken by the user's nodeStatusUpdateFrequency against the built-in default's grace
  // period is the user's line to change), the later subject on a tie.
  const rank = (s: ProfileValue) => {
    const i = p.files.indexOf(s.origin.file ?? '');
    return i < 0 ? p.files.length : i;
  };
  const set = subjects
    .map((s) => s.set)
    .filter((s): s is ProfileValue => s !== undefined)
    .reduce<ProfileValue | undefined>(
      (best, s) => (!best || rank(s) <= rank(best) ? s : best),
      undefined,
    );
  return {
    file: set?.origin.file ?? p.files[0],
    line: set?.origin.line,
    column: set?.origin.column,
    path: set?.origin.path ?? path,
    message,
    severity,
  };
}

type Rule = (p: ResolvedProfile) => Problem[];

/** Node lifecycle: the kubelet must report (and renew its lease) well inside the grace period. */
const nodeMonitorRule: Rule = (p) => {
  const grace = effective(p, 'controllerManager', 'node-monitor-grace-period');
  const freq = effective(p, 'kubelet', 'nodeStatusUpdateFrequency');
  const lease = effective(p, 'kubelet', 'nodeLeaseDurationSeconds');
  const period = effective(p, 'controllerManager', 'node-monitor-period');
  const out: Problem[] = [];
  const graceMs = ms(grace);
  const freqMs = ms(freq);
  const renewMs = typeof lease.value === 'number' ? (lease.value * 1000) / 4 : undefined;
  if (graceMs !== undefined && freqMs !== undefined && graceMs < 2 * freqMs)
    out.push(
      problemAt(
        p,
        [freq, grace],
        'controllerManager.node-monitor-grace-period',
        `node-monitor-grace-period (${grace.value}) must be at least 2x the kubelet's nodeStatusUpdateFrequency (${freq.value}), or healthy nodes flap NotReady`,
      ),
    );
  if (graceMs !== undefined && renewMs !== undefined && graceMs < 2 * renewMs)
    out.push(
      problemAt(
        p,
        [lease, grace],
        'controllerManager.node-monitor-grace-period',
        `node-monitor-grace-period (${grace.value}) must be at least 2x the node lease renew interval (nodeLeaseDurationSeconds/4 = ${renewMs / 1000}s), or healthy nodes flap NotReady`,
      ),
    );
  const periodMs = ms(period);
  if (graceMs !== undefined && periodMs !== undefined && periodMs >= graceMs)
    out.push(
      problemAt(
        p,
        [period, grace],
        'controllerManager.node-monitor-period',
        `node-monitor-period (${period.value}) must be shorter than node-monitor-grace-period (${grace.value})`,
      ),
    );
  return out;
};

/** Leader election: lease duration > renew deadline > retry period (as the components validate). */
const leaderElectionRule: Rule = (p) => {
  const out: Problem[] = [];
  for (const component of ['controllerManager', 'scheduler']) {
    const lease = effective(p, component, 'leader-elect-lease-duration');
    const renew = effective(p, component, 'leader-elect-renew-deadline');
    const retry = effective(p, component, 'leader-elect-retry-period');
    const [l, r, t] = [ms(lease), ms(renew), ms(retry)];
    if (l !== undefined && r !== undefined && l <= r)
      out.push(
        problemAt(
          p,
          [lease, renew],
          `${component}.leader-elect-lease-duration`,
          `${component}: leader-elect-lease-duration (${lease.value}) must be greater than leader-elect-renew-deadline (${renew.value})`,
        ),
      );
    // client-go multiplies the retry period by a 1.2 jitter factor
    if (r !== undefined && t !== undefined && r <= 1.2 * t)
      out.push(
        problemAt(
          p,
          [renew, retry],
          `${component}.leader-elect-renew-deadline`,
          `${component}: leader-elect-renew-deadline (${renew.value}) must be greater than 1.2 x leader-elect-retry-period (${retry.value})`,
        ),
      );
  }
  return out;
};

/** The kubelet refuses maxParallelImagePulls > 1 with serialized pulls. */
const imagePullRule: Rule = (p) => {
  const serial = effective(p, 'kubelet', 'serializeImagePulls');
  const parallel = effective(p, 'kubelet', 'maxParallelImagePulls');
  if (serial.value === true && typeof parallel.value === 'number' && parallel.value > 1)
    return [
      problemAt(
        p,
        [serial, parallel],
        'kubelet.maxParallelImagePulls',
        `maxParallelImagePulls (${parallel.value}) needs serializeImagePulls: false (the kubelet rejects it otherwise)`,
      ),
    ];
  return [];
};

/** etcd refuses an election timeout under 5 heartbeats. */
const etcdTimingRule: Rule = (p) => {
  const hb = effective(p, 'etcd', 'heartbeat-interval');
  const el = effective(p, 'etcd', 'election-timeout');
  if (typeof hb.value === 'number' && typeof el.value === 'number' && el.value < 5 * hb.value)
    return [
      problemAt(
        p,
        [hb, el],
        'etcd.election-timeout',
        `election-timeout (${el.value} ms) must be at least 5x heartbeat-interval (${hb.value} ms); etcd refuses to start otherwise`,
      ),
    ];
  return [];
};

const etcdQuotaRule: Rule = (p) => {
  const q = effective(p, 'etcd', 'quota-backend-bytes');
  if (q.set && typeof q.value === 'number' && q.value > 8 * 1024 ** 3)
    return [
      problemAt(
        p,
        [q],
        'etcd.quota-backend-bytes',
        `${q.value} bytes is above etcd's suggested maximum of 8 GiB`,
        'warning',
      ),
    ];
  return [];
};

/** Image GC: the low threshold must be below the high one. */
const imageGcRule: Rule = (p) => {
  const hi = effective(p, 'kubelet', 'imageGCHighThresholdPercent');
  const lo = effective(p, 'kubelet', 'imageGCLowThresholdPercent');
  if (typeof hi.value === 'number' && typeof lo.value === 'number' && lo.value >= hi.value)
    return [
      problemAt(
        p,
        [hi, lo],
        'kubelet.imageGCLowThresholdPercent',
        `imageGCLowThresholdPercent (${lo.value}) must be below imageGCHighThresholdPercent (${hi.value})`,
      ),
    ];
  return [];
};

/** evictionHard replaces the kubelet's whole default map: signals left out are disabled. */
const evictionRule: Rule = (p) => {
  const e = effective(p, 'kubelet', 'evictionHard');
  if (!e.set || typeof e.value !== 'object' || e.value === null) return [];
  const defaults = Object.keys(findKnob('kubelet', 'evictionHard')?.default as object);
  const missing = defaults.filter((k) => !(k in (e.value as object)));
  return missing.length
    ? [
        problemAt(
          p,
          [e],
          'kubelet.evictionHard',
          `evictionHard leaves out ${missing.join(', ')}: the kubelet then disables those signals instead of keeping their defaults`,
          'warning',
        ),
      ]
    : [];
};

/** Tolerations shorter than the time to notice a lost node just mean instant eviction. */
const tolerationRule: Rule = (p) => {
  const grace = effective(p, 'controllerManager', 'node-monitor-grace-period');
  const tol = effective(p, 'apiServer', 'default-unreachable-toleration-seconds');
  const g = ms(grace);
  if (tol.set && typeof tol.value === 'number' && tol.value === 0 && g !== undefined)
    return [
      problemAt(
        p,
        [tol],
        'apiServer.default-unreachable-toleration-seconds',
        'a 0 s unreachable toleration evicts every pod the moment a node misses its grace period: one network blip reschedules the node',
        'warning',
      ),
    ];
  return [];
};

const rules: Rule[] = [
  nodeMonitorRule,
  leaderElectionRule,
  imagePullRule,
  etcdTimingRule,
  etcdQuotaRule,
  imageGcRule,
  evictionRule,
  tolerationRule,
];

export function checkRules(profile: ResolvedProfile): Problem[] {
  return rules.flatMap((r) => r(profile));
}
