import { z } from 'zod';
import { cleanup } from '../util/cleanup.ts';
import { log } from '../util/log.ts';
import type { Fault } from './fault.ts';

const parameters = z
  .object({
    /** The apiserver's port on the control-plane node (kubeadm's default). */
    apiServerPort: z.number().int().min(1).max(65535).default(6443),
  })
  .strict();

const comment = 'tuneproof-block-apiserver';

/**
 * Drops the node's traffic to the apiserver (iptables OUTPUT, first rule): the kubelet and
 * kube-proxy lose the control plane while the node's pods keep serving, so the cluster reacts to
 * a failure users never see.
 */
export const blockKubeletApiserver: Fault<typeof parameters> = {
  name: 'block-kubelet-apiserver',
  description:
    "Drop the node's traffic to the apiserver (iptables DROP first in OUTPUT): the kubelet goes silent, pods keep serving; recovery deletes the rule",
  parameters,
  requires: ['nodeExec', 'destructive'],
  title: () => 'kubelet -> apiserver blocked',
  async inject({ cluster, node }, params) {
    const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane');
    if (!controlPlane) throw new Error('no control-plane node handle to find the apiserver by');
    const rule = [
      'OUTPUT',
      '-p',
      'tcp',
      '-d',
      controlPlane.ip,
      '--dport',
      String(params.apiServerPort),
      '-m',
      'comment',
      '--comment',
      comment,
      '-j',
      'DROP',
    ];
    const undo = cleanup.push(`unblock apiserver from ${node.name}`, async () => {
      // delete every copy, in case the rule was inserted twice
      while (
        (await node.exec(['iptables', '-D', ...rule], { allowFailure: true })).exitStatus === 0
      ) {}
      log.info(`Unblocked kubelet -> apiserver on node ${node.name}`);
    });
    await node.exec(['iptables', '-I', ...rule]);
    log.info(`Blocked kubelet -> apiserver on node ${node.name}`);
    return undo;
  },
};
