import { z } from 'zod';
import { pidOf } from '../../clusters/pid-of.ts';
import { cleanup } from '../util/cleanup.ts';
import { log } from '../util/log.ts';
import type { Fault } from './fault.ts';

const parameters = z
  .object({
    /** The process to freeze, by name (its oldest instance on the node). */
    process: z.string().min(1),
  })
  .strict();

/** One process stopped (SIGSTOP) and continued on recovery: "hung", not slow. */
export const freezeProcess: Fault<typeof parameters> = {
  name: 'freeze-process',
  description: 'Freeze one process on the node (SIGSTOP); recovery continues it (SIGCONT)',
  parameters,
  requires: ['nodeExec', 'destructive'],
  title: (p) => `${p.process} frozen`,
  async inject({ node }, { process }) {
    const pid = await pidOf(node, process);
    if (pid === undefined) throw new Error(`${process} is not running on ${node.name}`);
    const undo = cleanup.push(`thaw ${process} (pid ${pid}) on ${node.name}`, async () => {
      await node.exec(['kill', '-CONT', String(pid)], { allowFailure: true });
      log.info(`Thawed ${process} (pid ${pid}) on node ${node.name}`);
    });
    await node.exec(['kill', '-STOP', String(pid)]);
    log.info(`Froze ${process} (pid ${pid}) on node ${node.name}`);
    return undo;
  },
};
