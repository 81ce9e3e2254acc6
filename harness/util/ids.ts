import { randomBytes } from 'node:crypto';

/** A run id that sorts by time and is unique on the machine: 20261123-213501-3fa2. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** A short cluster name (node containers are <name>-control-plane, <name>-worker...). */
export function newClusterName(prefix = 'tp'): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
