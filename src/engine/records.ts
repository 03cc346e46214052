/**
 * What training records for each run (its curves, G's outputs, where it
 * first went non-finite, its final parameters) and how a batch's recorded
 * blocks become each run's record.
 *
 * @module
 */
import type { BatchPlan } from "./plan.ts";
import type { RunSetup } from "./setup.ts";
import { CURVE_COLUMNS, type CurveColumn } from "./step.ts";

/** What training recorded for one run. */
export interface RunRecord {
  readonly seed: number;
  /** Iterations completed at each curve record (10, 20, … by default). */
  readonly curveIterations: readonly number[];
  readonly curves: Record<CurveColumn, Float32Array>;
  /** Iterations completed at each record of G's output. */
  readonly patternIterations: readonly number[];
  /** G's output after those iterations, `patternIterations.length × width`. */
  readonly patterns: Float32Array;
  /** The first recorded iteration with a NaN or infinite value, or null. */
  readonly divergedAt: number | null;
  readonly finalParameters: {
    readonly discriminator: Float32Array;
    readonly generator: Float32Array;
  };
}

/** What the checks judge a run by: its records (a {@link RunRecord} without its seed and weights). */
export type Recording = Pick<
  RunRecord,
  "curveIterations" | "curves" | "patternIterations" | "patterns" | "divergedAt"
>;

export interface Recorded {
  readonly curveIterations: readonly number[];
  readonly patternIterations: readonly number[];
  readonly curves: readonly Float32Array[];
  readonly patterns: readonly Float32Array[];
}

/** What was recorded so far, as the recorders keep it (blocks appended as they are read back). */
export interface RecordedBlocks {
  readonly curveIterations: number[];
  readonly patternIterations: number[];
  readonly curves: Float32Array[];
  readonly patterns: Float32Array[];
}

/**
 * Each run's record from what its batch recorded and its final packed
 * parameters (`R × P` each): blocks hold, per run, its curve values
 * (`CURVE_COLUMNS` per record) or its G outputs (`width` per record).
 */
export function assembleRecords(
  plan: BatchPlan,
  runs: readonly RunSetup[],
  { curveIterations, patternIterations, curves: curveBlocks, patterns: patternBlocks }: Recorded,
  final: { readonly discriminator: Float32Array; readonly generator: Float32Array },
): RunRecord[] {
  const curveCount = curveIterations.length;
  const columns = CURVE_COLUMNS.length;
  const dSize = plan.discriminator.parameterCount;
  const gSize = plan.generator.parameterCount;
  return runs.map((run, r) => {
    const curves = Object.fromEntries(
      CURVE_COLUMNS.map((name) => [name, new Float32Array(curveCount)]),
    ) as Record<CurveColumn, Float32Array>;
    let index = 0;
    for (const block of curveBlocks) {
      const perRun = block.length / plan.runs;
      for (let k = 0; k < perRun / columns; k++, index++) {
        CURVE_COLUMNS.forEach((name, c) => {
          curves[name][index] = block[r * perRun + k * columns + c];
        });
      }
    }
    const patterns = new Float32Array(patternIterations.length * plan.width);
    let offset = 0;
    for (const block of patternBlocks) {
      const perRun = block.length / plan.runs;
      patterns.set(block.subarray(r * perRun, (r + 1) * perRun), offset);
      offset += perRun;
    }
    return {
      seed: run.seed,
      curveIterations,
      curves,
      patternIterations,
      patterns,
      divergedAt: firstNonFinite(curveIterations, curves, patternIterations, patterns, plan.width),
      finalParameters: {
        discriminator: final.discriminator.slice(r * dSize, (r + 1) * dSize),
        generator: final.generator.slice(r * gSize, (r + 1) * gSize),
      },
    };
  });
}

/** The first recorded iteration with a NaN or ∞ curve value or G output, or null. */
function firstNonFinite(
  curveIterations: readonly number[],
  curves: Record<CurveColumn, Float32Array>,
  patternIterations: readonly number[],
  patterns: Float32Array,
  width: number,
): number | null {
  let first: number | null = null;
  for (let k = 0; k < curveIterations.length; k++) {
    if (CURVE_COLUMNS.some((name) => !Number.isFinite(curves[name][k]))) {
      first = curveIterations[k];
      break;
    }
  }
  for (let k = 0; k < patternIterations.length; k++) {
    if (first !== null && patternIterations[k] >= first) break;
    for (let i = 0; i < width; i++) {
      if (!Number.isFinite(patterns[k * width + i])) return patternIterations[k];
    }
  }
  return first;
}
