/**
 * Times one batch in a process of its own, on the engine of any checkout of
 * this repository: `deno run --allow-read --allow-env --config ROOT/deno.json
 * src/bench/time_batch.ts --root ROOT --preset ring --levels '{}' --runs 4
 * --iterations 100` prints `{"ms_per_iteration": …}`. `deno task bench
 * --baseline REV` runs it on a copy of REV and on this checkout in turn, so
 * that the engine before a change and after it are timed alike. It imports
 * only what every version of the engine has kept (`useBackend`,
 * `trainBatch`, `resolveConfig`, `trainingSetup`, `engineLearningRates`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseTimingArgs } from "./time_batch.ts";
 * const request = parseTimingArgs(["--root", ".", "--preset", "seed", "--runs", "16"]);
 * assertEquals([request.preset, request.runs, request.iterations], ["seed", 16, 100]);
 * ```
 *
 * @module
 */

/** What one timing child is asked to time. */
export interface TimingRequest {
  /** The checkout whose engine is timed. */
  readonly root: string;
  readonly preset: string;
  /** Factor levels on top of the preset, as an experiment file gives them. */
  readonly levels: Record<string, unknown>;
  readonly runs: number;
  readonly iterations: number;
  readonly engine: "fused" | "reference";
}

/**
 * Reads a timing child's arguments (`--root`, `--preset`, `--levels` JSON,
 * `--runs`, `--iterations`, `--engine`).
 *
 * @throws {Error} naming the argument that is missing or malformed.
 */
export function parseTimingArgs(argv: readonly string[]): TimingRequest {
  const value = (name: string, fallback?: string): string => {
    const at = argv.indexOf(`--${name}`);
    const given = at >= 0 ? argv[at + 1] : fallback;
    if (given === undefined) throw new Error(`time_batch: --${name} is required`);
    return given;
  };
  const count = (name: string, fallback: string) => {
    const number = Number(value(name, fallback));
    if (!Number.isInteger(number) || number < 1) {
      throw new Error(`time_batch: --${name} must be a positive integer`);
    }
    return number;
  };
  const engine = value("engine", "fused");
  if (engine !== "fused" && engine !== "reference") {
    throw new Error(`time_batch: --engine must be fused or reference, not ${engine}`);
  }
  return {
    root: value("root"),
    preset: value("preset"),
    levels: JSON.parse(value("levels", "{}")),
    runs: count("runs", "1"),
    iterations: count("iterations", "100"),
    engine,
  };
}

/** Trains the batch a quarter of `iterations` untimed (compiled, tiered up), then times `iterations`; ms per iteration. */
async function time(request: TimingRequest): Promise<number> {
  const root = new URL(`file://${Deno.realPathSync(request.root)}/`);
  const { useBackend } = await import(new URL("src/engine/backend.ts", root).href);
  const { trainBatch } = await import(new URL("src/engine/train.ts", root).href);
  const factors = await import(new URL("src/design/factors.ts", root).href);
  await useBackend();
  const config = factors.resolveConfig(request.preset, request.levels);
  const runs = Array.from({ length: request.runs }, (_, seed) => ({
    seed,
    learningRates: factors.engineLearningRates(config),
  }));
  const setup = (iterations: number) => ({ ...factors.trainingSetup(config), iterations });
  // A quarter of the timed length first, untimed: compiled and tiered up.
  await trainBatch(setup(Math.max(10, Math.round(request.iterations / 4))), runs, {
    engine: request.engine,
  });
  const start = performance.now();
  await trainBatch(setup(request.iterations), runs, { engine: request.engine });
  return (performance.now() - start) / request.iterations;
}

if (import.meta.main) {
  try {
    console.log(JSON.stringify({ ms_per_iteration: await time(parseTimingArgs(Deno.args)) }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
