import { stringify } from 'yaml';
import { managedSelector } from './simulated-node-labels.ts';
import type { SimulatorCadence } from './simulator-cadence.ts';

/**
 * kwok's configuration: its options and the stages it plays. tuneproof writes its own stages
 * (kwok ships none inside its binary) and keeps them minimal: a node becomes Ready, then
 * re-posts its status at the kubelet's report cadence (the lease is renewed by kwok's lease
 * controller at the same quarter-of-duration rule as the kubelet); a pod bound to a simulated
 * node goes straight to Running and Ready; a pod being deleted is removed (its containers are
 * imaginary, there is nothing to stop).
 *
 * Stage selectors are jq-like expressions over the object; templates are Go templates kwok
 * renders into the status it patches. `Now` is kwok's clock, `NodeIP`/`PodIPWith` its address
 * helpers.
 */

/** Pod IPs of simulated pods: never routed, kept apart from the cluster's 10.244.0.0/16. */
export const simulatedPodCidr = '10.250.0.0/16';
/** The InternalIP every simulated node reports (nothing connects to it). */
export const simulatedNodeIp = '10.251.0.1';
/** Generous, so scheduling never fails on simulated resources; pods = the kubelet's maxPods default. */
export const simulatedNodeCapacity = { cpu: '32', memory: '256Gi', pods: '110' } as const;

/** The node conditions a healthy kubelet reports, rendered with kwok's clock. */
function nodeConditionsTemplate(): string {
  const ok = (type: string, status: string, reason: string, message: string) =>
    [
      `- type: ${type}`,
      `  status: "${status}"`,
      `  reason: ${reason}`,
      `  message: ${message}`,
      '  lastHeartbeatTime: {{ $now | Quote }}',
      '  lastTransitionTime: {{ $since | Quote }}',
    ].join('\n');
  return [
    '{{ $now := Now }}',
    '{{ $since := or .metadata.creationTimestamp $now }}',
    'conditions:',
    ok('Ready', 'True', 'KubeletReady', 'simulated kubelet is posting ready status'),
    ok('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'simulated'),
    ok('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'simulated'),
    ok('PIDPressure', 'False', 'KubeletHasSufficientPID', 'simulated'),
    'addresses:',
    '- type: InternalIP',
    '  address: {{ NodeIP | Quote }}',
    '- type: Hostname',
    '  address: {{ .metadata.name | Quote }}',
    'nodeInfo:',
    '  architecture: amd64',
    '  operatingSystem: linux',
    '  kubeletVersion: {{ printf "kwok-%s" Version | Quote }}',
    '  kubeProxyVersion: {{ printf "kwok-%s" Version | Quote }}',
    '  containerRuntimeVersion: {{ printf "kwok-%s" Version | Quote }}',
    // the API drops status on create: capacity is reported here, as a kubelet does
    ...['capacity:', 'allocatable:'].flatMap((k) => [
      k,
      `  cpu: "${simulatedNodeCapacity.cpu}"`,
      `  memory: ${simulatedNodeCapacity.memory}`,
      `  pods: "${simulatedNodeCapacity.pods}"`,
    ]),
    'phase: Running',
  ].join('\n');
}

const readyIs = (values: string[], operator = 'In') => ({
  key: '.status.conditions.[] | select( .type == "Ready" ) | .status',
  operator,
  values,
});

export interface SimulatorStage {
  name: string;
  /** What the stage does, for the results. */
  does: string;
  /** Delay before it plays, if any. */
  delaySeconds?: number;
}

/** The stages with what each does, as recorded in results. */
export function simulatorStages(cadence: SimulatorCadence): SimulatorStage[] {
  return [
    { name: 'node-ready', does: 'a new simulated node reports Ready with its addresses' },
    {
      name: 'node-status-report',
      does: 'a Ready node re-posts its conditions (lease renewed separately by kwok)',
      delaySeconds: cadence.statusReportSeconds,
    },
    { name: 'pod-running', does: 'a pod bound to a simulated node goes Running and Ready' },
    { name: 'pod-remove', does: 'a pod marked for deletion is removed' },
  ];
}

function stage(name: string, kind: 'Node' | 'Pod', spec: Record<string, unknown>) {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind }, ...spec },
  };
}

/** The multi-document YAML kwok reads with --config. */
export function simulatorConfig(cadence: SimulatorCadence): string {
  const reportMs = Math.round(cadence.statusReportSeconds * 1000);
  const docs = [
    {
      apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
      kind: 'KwokConfiguration',
      options: {
        manageNodesWithLabelSelector: managedSelector,
        nodeLeaseDurationSeconds: cadence.leaseDurationSeconds,
        cidr: simulatedPodCidr,
        nodeIP: simulatedNodeIp,
        // no kubelet endpoints: nothing scrapes or execs into simulated nodes
        enableDebuggingHandlers: false,
        enableProfilingHandler: false,
        // kwok's own defaults, stated: a config file's options are not defaulted (a missing
        // parallelism is 0, which kwok refuses)
        nodeLeaseParallelism: 4,
        nodePlayStageParallelism: 4,
        podPlayStageParallelism: 4,
        podsOnNodeSyncParallelism: 1,
      },
    },
    stage('node-ready', 'Node', {
      selector: { matchExpressions: [readyIs(['True'], 'NotIn')] },
      next: { statusTemplate: nodeConditionsTemplate() },
    }),
    stage('node-status-report', 'Node', {
      selector: { matchExpressions: [readyIs(['True'])] },
      // spread the posts over the period, as kubelets started at different times would be
      delay: { durationMilliseconds: reportMs, jitterDurationMilliseconds: reportMs + 1000 },
      next: { statusTemplate: nodeConditionsTemplate() },
    }),
    stage('pod-running', 'Pod', {
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: '.status.phase', operator: 'In', values: ['Pending'] },
        ],
      },
      next: {
        statusTemplate: [
          '{{ $now := Now }}',
          '{{ $root := . }}',
          'phase: Running',
          'startTime: {{ $now | Quote }}',
          'hostIP: {{ NodeIPWith .spec.nodeName | Quote }}',
          'podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}',
          'conditions:',
          ...['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].flatMap((type) => [
            `- type: ${type}`,
            '  status: "True"',
            '  lastTransitionTime: {{ $now | Quote }}',
          ]),
          'containerStatuses:',
          '{{ range .spec.containers }}',
          '- name: {{ .name | Quote }}',
          '  image: {{ .image | Quote }}',
          '  ready: true',
          '  started: true',
          '  restartCount: 0',
          '  state:',
          '    running:',
          '      startedAt: {{ $now | Quote }}',
          '{{ end }}',
        ].join('\n'),
      },
    }),
    stage('pod-remove', 'Pod', {
      selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }] },
      next: { delete: true },
    }),
  ];
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
