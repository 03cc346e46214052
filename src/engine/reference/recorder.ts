/**
 * The reference engine's recorder: what an iteration records stays on the
 * device until the driver's chunk ends, then is read back in one block.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { RecordedBlocks } from "../records.ts";

/** Keeps a batch's records on the device and reads them back in blocks. */
export interface Recorder {
  keepCurve(iteration: number, values: tf.Tensor): void;
  keepPattern(iteration: number, values: tf.Tensor): void;
  flush(): Promise<void>;
  /** What was read back so far (after a flush): iterations and blocks. */
  recorded(): RecordedBlocks;
  dispose(): void;
}

/**
 * A batch's recorder: curve and pattern records kept as tensors, read back
 * in blocks (runs × records × values) at each flush.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "@std/assert";
 * import { createRecorder } from "./recorder.ts";
 * const recorder = createRecorder();
 * recorder.keepCurve(10, tf.ones([1, 6]));
 * await recorder.flush();
 * assertEquals([recorder.recorded().curveIterations, recorder.recorded().curves[0].length], [[10], 6]);
 * ```
 */
export function createRecorder(): Recorder {
  const curveIterations: number[] = [];
  const patternIterations: number[] = [];
  const pendingCurves: tf.Tensor[] = [];
  const pendingPatterns: tf.Tensor[] = [];
  const curveBlocks: Float32Array[] = [];
  const patternBlocks: Float32Array[] = [];
  const readBack = async (pending: tf.Tensor[], blocks: Float32Array[]) => {
    if (pending.length === 0) return;
    const joined = tf.concat(pending, 1);
    blocks.push(await joined.data() as Float32Array);
    tf.dispose([joined, ...pending]);
    pending.length = 0;
  };
  return {
    keepCurve(iteration, values) {
      curveIterations.push(iteration);
      pendingCurves.push(tf.keep(values));
    },
    keepPattern(iteration, values) {
      patternIterations.push(iteration);
      pendingPatterns.push(tf.keep(values));
    },
    async flush() {
      await readBack(pendingCurves, curveBlocks);
      await readBack(pendingPatterns, patternBlocks);
    },
    recorded: () => ({
      curveIterations,
      patternIterations,
      curves: curveBlocks,
      patterns: patternBlocks,
    }),
    dispose() {
      tf.dispose([...pendingCurves, ...pendingPatterns]);
    },
  };
}
