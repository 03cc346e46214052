/**
 * A lock beside a runs file, so that two sweeps started on the same
 * experiment (not shards of one) cannot both append the same runs.
 *
 * It is an operating-system file lock (flock): it dies with its process, so
 * a sweep stopped by `kill -9` leaves no lock behind to clear by hand. The
 * file also records who holds it, for the message.
 *
 * @module
 */
import { ResultsError } from "../results/folder.ts";

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly started_at: string;
}

/**
 * Takes the lock `path` for this process; returns its release. A lock file
 * left by a process that is gone (its OS lock died with it) is taken over,
 * and `onStale` is told who left it.
 *
 * @throws {ResultsError} when a running process holds it.
 * @example
 * ```ts
 * import { acquireLock } from "./lock.ts";
 * const folder = await Deno.makeTempDir();
 * const release = await acquireLock(`${folder}/runs.csv.lock`);
 * await release();
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function acquireLock(
  path: string,
  onStale: (holder: LockHolder) => void = () => {},
): Promise<() => Promise<void>> {
  const file = await Deno.open(path, { read: true, write: true, create: true });
  const previous = await readHolder(path);
  if (!(await file.tryLock(true))) {
    file.close();
    throw new ResultsError(
      `${path.replace(/\.lock$/, "")} is being written by another sweep` +
        (previous ? ` (process ${previous.pid}, started ${previous.started_at})` : "") +
        `; wait for it to finish`,
    );
  }
  if (previous) onStale(previous);
  const holder: LockHolder = { pid: Deno.pid, started_at: new Date().toISOString() };
  await file.truncate(0);
  await file.write(new TextEncoder().encode(JSON.stringify(holder) + "\n"));
  return async () => {
    await Deno.remove(path).catch(() => {});
    await file.unlock().catch(() => {});
    file.close();
  };
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const text = await Deno.readTextFile(path);
    return text.trim() ? JSON.parse(text) as LockHolder : undefined;
  } catch {
    return undefined;
  }
}
