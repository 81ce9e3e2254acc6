import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';

/**
 * Profiles and kubeconfigs are small (tuned.yaml is 7 KiB): anything bigger is not what the user
 * meant, and YAML parsing costs grow faster than the size.
 */
export const maxInputFileBytes = 256 * 1024;

export type InputFile = { ok: true; text: string } | { ok: false; message: string };

/**
 * Reads a file the user named, after checking what it is: a FIFO would block the read forever
 * (and a blocked synchronous read also keeps Ctrl-C from being handled), a device or /proc file
 * can be endless, a directory is a mistake. Node's readFileSync checks none of this, so the
 * checks are here: stat first (stat never blocks), then open non-blocking and stat the open file
 * again (the path may have been swapped in between), then read at most `maxBytes` + 1.
 */
export function readInputFile(path: string, maxBytes = maxInputFileBytes): InputFile {
  let kind: string | undefined;
  try {
    const st = statSync(path);
    kind = fileKind(st);
    if (kind) return { ok: false, message: `${path} is ${kind}, not a regular file` };
    if (st.size > maxBytes) return { ok: false, message: tooBig(path, st.size, maxBytes) };
  } catch (e) {
    return { ok: false, message: `cannot read ${path}: ${reason(e)}` };
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, message: `cannot read ${path}: ${reason(e)}` };
  }
  try {
    const st = fstatSync(fd);
    kind = fileKind(st);
    if (kind) return { ok: false, message: `${path} is ${kind}, not a regular file` };
    // /proc and /sys files say size 0 and still have content: read those up to the limit
    const buf = Buffer.alloc((st.size === 0 ? maxBytes : Math.min(st.size, maxBytes)) + 1);
    let length = 0;
    while (length < buf.length) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return { ok: false, message: tooBig(path, length, maxBytes) };
    const bytes = buf.subarray(0, length);
    if (bytes.includes(0)) return { ok: false, message: `${path} is binary, not text` };
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { ok: false, message: `${path} is not UTF-8 text` };
    }
  } catch (e) {
    return { ok: false, message: `cannot read ${path}: ${reason(e)}` };
  } finally {
    closeSync(fd);
  }
}

function fileKind(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const tooBig = (path: string, size: number, max: number) =>
  `${path} is ${size > max ? `larger than ${max / 1024} KiB` : `${size} bytes`}: not a file tuneproof reads (limit ${max / 1024} KiB)`;

const reason = (e: unknown) =>
  (e as NodeJS.ErrnoException).code === 'ENOENT'
    ? 'no such file'
    : (e as NodeJS.ErrnoException).code === 'EACCES'
      ? 'permission denied'
      : e instanceof Error
        ? e.message
        : String(e);
