/**
 * Checkpoint files of batches in training: a snapshot of everything a batch
 * is (see `BatchSnapshot`), written atomically beside the results every so
 * often, read back when the same batch is trained again, removed once its
 * runs are saved.
 *
 * A file is a little-endian u32 header length, the JSON header (the batch's
 * fingerprint, the snapshot's scalars and array lengths), then every array's
 * float32 values in header order.
 *
 * @module
 */
import { canonicalJson } from "../core/canonical_json.ts";
import type { BatchSnapshot } from "../engine/snapshot.ts";
import { writeAtomically } from "../results/folder.ts";
import type { OptimiserSnapshot } from "../kinds/optimisers/mod.ts";

/** Bumped whenever the snapshot's layout or the engine's arithmetic changes. */
export const CHECKPOINT_FORMAT = 1;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where the checkpoint of the batch of these runs lives in a results folder. */
export async function checkpointPath(
  directory: string,
  runIds: readonly string[],
): Promise<string> {
  const key = (await sha256([...runIds].sort().join(","))).slice(0, 16);
  return `${directory}/checkpoints/batch-${key}.ckpt`;
}

/**
 * What a snapshot must match to be used: the batch's shared configuration,
 * its runs' seeds and learning rates, and the checkpoint format.
 */
export function batchFingerprint(config: unknown, runs: readonly unknown[]): Promise<string> {
  return sha256(canonicalJson({ format: CHECKPOINT_FORMAT, config, runs }));
}

type Arrays = Float32Array[];

/**
 * A snapshot as bytes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { decodeSnapshot, encodeSnapshot } from "./checkpoints.ts";
 * const snapshot = {
 *   iterationsDone: 1000, discriminator: Float32Array.of(1, 2), generator: Float32Array.of(3),
 *   spectral: [null], generatorSpectral: [], randoms: [[[1, 2, 3, 4]]], curveIterations: [10],
 *   patternIterations: [],
 *   curves: [Float32Array.of(0.5)], patterns: [],
 *   optimisers: { discriminator: { step: 7, values: [] }, generator: { step: 7, values: [] } },
 * };
 * assertEquals(decodeSnapshot(encodeSnapshot(snapshot, "f")), { fingerprint: "f", snapshot });
 * ```
 */
export function encodeSnapshot(snapshot: BatchSnapshot, fingerprint: string): Uint8Array {
  const arrays: Arrays = [];
  const put = (array: Float32Array) => (arrays.push(array), array.length);
  const optimiser = (o: OptimiserSnapshot) => ({ step: o.step, values: o.values.map(put) });
  const header = {
    fingerprint,
    iterationsDone: snapshot.iterationsDone,
    discriminator: put(snapshot.discriminator),
    generator: put(snapshot.generator),
    spectral: snapshot.spectral.map((v) => (v ? { u: put(v.u), v: put(v.v) } : null)),
    generatorSpectral: (snapshot.generatorSpectral ?? []).map((v) =>
      v ? { u: put(v.u), v: put(v.v) } : null
    ),
    optimisers: {
      discriminator: optimiser(snapshot.optimisers.discriminator),
      generator: optimiser(snapshot.optimisers.generator),
    },
    randoms: snapshot.randoms,
    curveIterations: snapshot.curveIterations,
    patternIterations: snapshot.patternIterations,
    curves: snapshot.curves.map(put),
    patterns: snapshot.patterns.map(put),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const floats = arrays.reduce((sum, a) => sum + a.length, 0);
  const bytes = new Uint8Array(4 + json.length + 4 * floats);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  let offset = 4 + json.length;
  for (const array of arrays) {
    const view = new DataView(bytes.buffer, offset, 4 * array.length);
    array.forEach((value, i) => view.setFloat32(4 * i, value, true));
    offset += 4 * array.length;
  }
  return bytes;
}

/**
 * A snapshot from bytes `encodeSnapshot` gave.
 *
 * @throws {Error} if the bytes are not a whole checkpoint.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
): { fingerprint: string; snapshot: BatchSnapshot } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
  let offset = 4 + length;
  const take = (count: number) => {
    if (offset + 4 * count > bytes.byteLength) throw new Error("the file is cut short");
    const array = Float32Array.from(
      { length: count },
      (_, i) => view.getFloat32(offset + 4 * i, true),
    );
    offset += 4 * count;
    return array;
  };
  const optimiser = (o: { step: number; values: number[] }) => ({
    step: o.step,
    values: o.values.map(take),
  });
  const snapshot: BatchSnapshot = {
    iterationsDone: header.iterationsDone,
    discriminator: take(header.discriminator),
    generator: take(header.generator),
    spectral: header.spectral.map((v: { u: number; v: number } | null) =>
      v ? { u: take(v.u), v: take(v.v) } : null
    ),
    generatorSpectral: (header.generatorSpectral ?? []).map((v: { u: number; v: number } | null) =>
      v ? { u: take(v.u), v: take(v.v) } : null
    ),
    optimisers: {
      discriminator: optimiser(header.optimisers.discriminator),
      generator: optimiser(header.optimisers.generator),
    },
    randoms: header.randoms,
    curveIterations: header.curveIterations,
    patternIterations: header.patternIterations,
    curves: header.curves.map(take),
    patterns: header.patterns.map(take),
  };
  if (offset !== bytes.byteLength) throw new Error("the file has bytes past its end");
  return { fingerprint: header.fingerprint, snapshot };
}

/** Writes a checkpoint atomically (temporary file, then rename). */
export async function writeCheckpoint(
  path: string,
  snapshot: BatchSnapshot,
  fingerprint: string,
): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await writeAtomically(path, encodeSnapshot(snapshot, fingerprint));
}

/**
 * The snapshot in a checkpoint file if it is of this batch; undefined if
 * there is none, or (with a notice) if it is damaged or of another version.
 */
export async function readCheckpoint(
  path: string,
  fingerprint: string,
  notice: (message: string) => void,
): Promise<BatchSnapshot | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    const decoded = decodeSnapshot(bytes);
    if (decoded.fingerprint !== fingerprint) {
      notice(`${path}: a checkpoint of another version of this batch; ignored, starting over`);
      return undefined;
    }
    return decoded.snapshot;
  } catch (error) {
    notice(`${path}: not a readable checkpoint (${(error as Error).message}); ignored`);
    return undefined;
  }
}

/** Removes a batch's checkpoint once its runs are saved (none is fine). */
export async function removeCheckpoint(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
