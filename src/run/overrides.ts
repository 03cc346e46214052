/**
 * Command-line overrides of an experiment's definition (`--iterations`,
 * `--seeds`): they make other runs than the file declares, so their results
 * go to a folder of their own, named by the override
 * (`grid@iterations=2000,seeds=2`), and a smoke test never touches the
 * declared folder. An override equal to what the file declares changes
 * nothing and names no folder.
 *
 * @module
 */
import type { Experiment } from "../design/experiment.ts";

/** What the command line overrides of every experiment's definition. */
export interface Overrides {
  /** The iterations of every run. */
  readonly iterations?: number;
  /** The seeds 1…n. */
  readonly seeds?: number;
}

/** An experiment as overridden, and the name of the folder its results go to. */
export interface Overridden {
  readonly experiment: Experiment;
  /** `name`, or `name@iterations=…,seeds=…` where an override changed the definition. */
  readonly folderName: string;
}

/**
 * Applies the overrides to an experiment and names its results folder.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { applyOverrides } from "./overrides.ts";
 * import type { Experiment } from "../design/experiment.ts";
 * const grid = { name: "grid", iterations: 5000, seeds: [1, 2, 3, 4] } as unknown as Experiment;
 * const smoke = applyOverrides(grid, { iterations: 2000, seeds: 2 });
 * assertEquals(smoke.folderName, "grid@iterations=2000,seeds=2");
 * assertEquals(smoke.experiment.seeds, [1, 2]);
 * assertEquals(applyOverrides(grid, { iterations: 5000, seeds: 4 }).folderName, "grid");
 * ```
 */
export function applyOverrides(experiment: Experiment, overrides: Overrides): Overridden {
  const seeds = overrides.seeds === undefined
    ? experiment.seeds
    : Array.from({ length: overrides.seeds }, (_, i) => i + 1);
  const iterations = overrides.iterations ?? experiment.iterations;
  const changed = [
    iterations !== experiment.iterations ? `iterations=${iterations}` : undefined,
    seeds.join(",") !== experiment.seeds.join(",") ? `seeds=${overrides.seeds}` : undefined,
  ].filter((part) => part !== undefined);
  return {
    experiment: { ...experiment, iterations, seeds },
    folderName: changed.length ? `${experiment.name}@${changed.join(",")}` : experiment.name,
  };
}
