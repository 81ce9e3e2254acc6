import test from 'ava';
import { CleanupStack } from '../../../harness/util/cleanup.ts';

test('undo actions run newest first, once, and a failing one does not stop the rest', async (t) => {
  const stack = new CleanupStack();
  const ran: string[] = [];
  stack.push('a', async () => void ran.push('a'));
  const b = stack.push('b', async () => {
    ran.push('b');
    throw new Error('boom');
  });
  stack.push('c', async () => void ran.push('c'));
  await stack.runAll();
  t.deepEqual(ran, ['c', 'b', 'a']);
  await b.run();
  await stack.runAll();
  t.deepEqual(ran, ['c', 'b', 'a']);
});

test('an undo run early or dismissed is not run again', async (t) => {
  const stack = new CleanupStack();
  const ran: string[] = [];
  const a = stack.push('a', async () => void ran.push('a'));
  const b = stack.push('b', async () => void ran.push('b'));
  await a.run();
  b.dismiss();
  await stack.runAll();
  t.deepEqual(ran, ['a']);
  t.is(stack.size, 0);
});
