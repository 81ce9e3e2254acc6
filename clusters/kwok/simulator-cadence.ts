import { findKnob, parseGoDuration, type ResolvedProfile } from '../../harness/profiles/index.ts';

/**
 * How often a simulated node reports, taken from the profile's kubelet settings so the node
 * controller sees the same heartbeat traffic as from real kubelets: a lease of
 * nodeLeaseDurationSeconds renewed every quarter of it (the kubelet's rule, which kwok follows),
 * and a full status post every nodeStatusReportFrequency (a kubelet with leases posts status only
 * on a change or after that long).
 */
export type SimulatorCadence = {
  leaseDurationSeconds: number;
  leaseRenewSeconds: number;
  statusReportSeconds: number;
};

function kubeletValue(profile: ResolvedProfile, key: string): unknown {
  return profile.values.get(`kubelet.${key}`)?.value ?? findKnob('kubelet', key)?.default;
}

export function simulatorCadence(profile: ResolvedProfile): SimulatorCadence {
  const lease = Number(kubeletValue(profile, 'nodeLeaseDurationSeconds') ?? 40);
  const reportMs = parseGoDuration(
    String(kubeletValue(profile, 'nodeStatusReportFrequency') ?? '5m'),
  );
  const leaseDurationSeconds = Number.isFinite(lease) && lease > 0 ? lease : 40;
  return {
    leaseDurationSeconds,
    leaseRenewSeconds: leaseDurationSeconds / 4,
    statusReportSeconds: reportMs !== undefined && reportMs > 0 ? reportMs / 1000 : 300,
  };
}
