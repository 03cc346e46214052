/**
 * The fused engine's records: the curve values an iteration keeps as its
 * seeds and penalties run (the last of each column's term), written as one
 * record per recording iteration into the chunk's curve block, and G's
 * output into its pattern block.
 *
 * @module
 */
import type { Objective, OutputShape, Side } from "../../kinds/losses/mod.ts";
import type { Kept } from "../schedule.ts";
import { CURVE_COLUMNS, type CurveColumn } from "../step.ts";

/** Keeps a batch's curve values and writes its records into a chunk's blocks. */
export interface CurveKeeper {
  /** Starts a chunk: its blocks and how many records of each kind they hold per run. */
  begin(
    curves: Float32Array,
    patterns: Float32Array,
    counts: { curves: number; patterns: number },
  ): void;
  /** Keeps the columns of a seed: its objective's parts (a term's loss, or their sum for G's) and D's mean outputs. */
  keep(
    kept: readonly Kept[],
    objective: Objective,
    outputs: Partial<Record<Side, Float32Array>>,
    shape: OutputShape,
  ): void;
  /** Keeps a penalty's values in its column: set by the first of a critic step's penalties, added by the others. */
  penalty(
    values: Float64Array,
    keep: { readonly column: CurveColumn; readonly accumulate: "set" | "add" },
  ): void;
  /** Writes the kept values, in `columns`' order, as the chunk's next curve record. */
  record(columns: readonly CurveColumn[]): void;
  /** Writes each run's first sample of `evaluate()` (G's output, `[width, R·B]`) as the chunk's next pattern record. */
  pattern(evaluate: () => Float32Array): void;
}

/**
 * A batch's curve keeper.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { curveKeeper } from "./records.ts";
 * const keeper = curveKeeper({ runs: 1, batch: 1, width: 1 });
 * const curves = new Float32Array(6);
 * keeper.begin(curves, new Float32Array(0), { curves: 1, patterns: 0 });
 * keeper.penalty(Float64Array.of(2), { column: "penalty", accumulate: "set" });
 * keeper.record(["d_loss_real", "d_loss_fake", "g_loss", "d_real", "d_fake", "penalty"]);
 * assertEquals(curves[5], 2);
 * ```
 */
export function curveKeeper(
  { runs, batch, width }: { readonly runs: number; readonly batch: number; readonly width: number },
): CurveKeeper {
  // Kept values by column name's place among every curve column; a record writes a selection.
  const columns = CURVE_COLUMNS.length;
  const values = new Float64Array(runs * columns);
  const parts = { real: new Float64Array(runs), fake: new Float64Array(runs) };
  let curves: Float32Array = new Float32Array(0);
  let patterns: Float32Array = new Float32Array(0);
  let counts = { curves: 0, patterns: 0 };
  let curveIndex = 0;
  let patternIndex = 0;
  return {
    begin(curveBlock, patternBlock, recordCounts) {
      [curves, patterns, counts] = [curveBlock, patternBlock, recordCounts];
      curveIndex = patternIndex = 0;
    },
    keep(kept, objective, outputs, shape) {
      if (kept.some((entry) => entry.of === "loss")) {
        objective.fused.parts(outputs, shape, parts);
      }
      for (const { column, term, of } of kept) {
        const at = CURVE_COLUMNS.indexOf(column);
        // G's term is the sum of its objective's parts; its pass is G's batch (a loss's `fake`).
        const side: Side = term === "generator" ? "fake" : term;
        for (let r = 0; r < runs; r++) {
          let value: number;
          if (of === "loss") {
            // A D column on a side the objective has no part on holds 0 (a paired loss's d_loss_fake).
            const on = objective.partsOn;
            value = term !== "generator"
              ? (on.includes(side) ? parts[side][r] : 0)
              : on.length === 1
              ? parts[on[0]][r]
              : parts[on[0]][r] + parts[on[1]][r];
          } else {
            const output = outputs[side]!;
            let sum = 0;
            for (let b = 0; b < batch; b++) sum += output[r * batch + b];
            value = sum / batch;
          }
          values[r * columns + at] = value;
        }
      }
    },
    penalty(penaltyValues, { column, accumulate }) {
      const place = CURVE_COLUMNS.indexOf(column);
      for (let r = 0; r < runs; r++) {
        const at = r * columns + place;
        values[at] = accumulate === "set" ? penaltyValues[r] : values[at] + penaltyValues[r];
      }
    },
    record(recorded) {
      const places = recorded.map((column) => CURVE_COLUMNS.indexOf(column));
      for (let r = 0; r < runs; r++) {
        const at = (r * counts.curves + curveIndex) * places.length;
        places.forEach((place, c) => (curves[at + c] = values[r * columns + place]));
      }
      curveIndex++;
    },
    pattern(evaluate) {
      // G's output `[width, R·B]`: each run's first sample is its column r·B.
      const after = evaluate();
      const columns = runs * batch;
      for (let r = 0; r < runs; r++) {
        const at = (r * counts.patterns + patternIndex) * width;
        for (let i = 0; i < width; i++) patterns[at + i] = after[i * columns + r * batch];
      }
      patternIndex++;
    },
  };
}
