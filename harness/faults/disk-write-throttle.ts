import { z } from 'zod';
import { pidOf } from '../../clusters/pid-of.ts';
import { cleanup } from '../util/cleanup.ts';
import { log } from '../util/log.ts';
import type { Fault } from './fault.ts';

const parameters = z
  .object({
    /** The process whose writes are throttled, by name (its oldest instance on the node). */
    process: z.string().min(1),
    /** A path on the disk to throttle (the whole disk behind it, not the partition). */
    path: z.string().startsWith('/'),
    writeIops: z.number().int().min(1).max(100_000),
  })
  .strict();

/**
 * Real slow writes for one process: a cgroup v1 blkio write-IOPS limit. v1 blkio throttling is
 * flat, so the limit must sit in the process's own cgroup, keyed by the whole disk (not a
 * partition) behind `path`.
 */
export const diskWriteThrottle: Fault<typeof parameters> = {
  name: 'disk-write-throttle',
  description:
    "Limit a process's write IOPS on the disk behind a path (cgroup v1 blkio in its own cgroup); recovery lifts the limit",
  parameters,
  requires: ['nodeExec', 'destructive'],
  title: (p) => `${p.process} writes throttled to ${p.writeIops} IOPS`,
  async inject({ node }, { process, path, writeIops }) {
    const pid = await pidOf(node, process);
    if (pid === undefined) throw new Error(`${process} is not running on ${node.name}`);
    const script = `
      set -e
      cg=$(awk -F: '$2 ~ /(^|,)blkio(,|$)/ {print $3}' /proc/${pid}/cgroup)
      dev=$(findmnt -n -o MAJ:MIN -T ${path} | tr -d ' ')
      if [ -e /sys/dev/block/$dev/partition ]; then dev=$(cat /sys/dev/block/$dev/../dev); fi
      echo /sys/fs/cgroup/blkio$cg $dev`;
    const [cgroupDir, device] = (await node.exec(['sh', '-c', script])).stdout.trim().split(' ');
    if (!cgroupDir || !device)
      throw new Error(
        `cannot find the blkio cgroup or disk of ${process} (pid ${pid}) on ${node.name}`,
      );
    const file = `${cgroupDir}/blkio.throttle.write_iops_device`;
    const undo = cleanup.push(`release disk throttle of ${process} on ${node.name}`, async () => {
      await node.exec(['sh', '-c', `echo '${device} 0' > ${file}`]);
      log.info(`Released write throttle of ${process} (pid ${pid}) on node ${node.name}`);
    });
    await node.exec(['sh', '-c', `echo '${device} ${writeIops}' > ${file}`]);
    log.info(
      `Throttled writes of ${process} (pid ${pid}) on node ${node.name} to ${writeIops} IOPS (${device}, ${cgroupDir})`,
    );
    return undo;
  },
};
