/**
 * A results folder's `experiment.json`: the resolved experiment, the ids of
 * the runs it declares, the results format, the code's commit, versions,
 * machine and times; and what an existing one recorded, to tell whether a
 * sweep's definition is still the folder's.
 *
 * @module
 */
import { ENGINE_VERSION } from "../engine/version.ts";
import { LOSSES } from "../kinds/losses/mod.ts";
import { thresholdsFor } from "../results/checks.ts";
import type { Experiment } from "../design/experiment.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import { PRESETS } from "../design/presets.ts";
import { readManifest, type ResultsFolder, writeAtomically } from "../results/folder.ts";
import { FORMAT_VERSION } from "../results/format.ts";
import { declaredRunIds } from "../results/declared.ts";
import { codeCommit } from "../results/commit.ts";

/** What a manifest describes: an experiment's folder and the runs it declares. */
export interface ManifestSubject {
  readonly experiment: Experiment;
  readonly folder: ResultsFolder;
  /** How many runs this process plans (after --only and --shard). */
  readonly planned: number;
  /** The ids of every run the experiment declares (its whole grid). */
  readonly declared: readonly string[];
}

/** The versions and times a manifest records. */
export interface ManifestTimes {
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly backend?: string;
  readonly tfjs?: string;
  readonly engine?: string;
}

/**
 * The experiment as a manifest records it, and its hash (the first 8
 * bytes of the SHA-256 of its canonical JSON, in hex).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { experimentSpec } from "./manifest.ts";
 * import type { Experiment } from "../design/experiment.ts";
 * const { spec, hash } = await experimentSpec({ name: "x", variants: [] } as unknown as Experiment);
 * assertEquals([spec.name, hash.length], ["x", 16]);
 * ```
 */
export async function experimentSpec(
  experiment: Experiment,
): Promise<{ spec: Record<string, unknown>; hash: string }> {
  const spec = {
    name: experiment.name,
    description: experiment.description,
    file: experiment.file,
    base: experiment.base,
    sweep: experiment.sweep,
    search: experiment.search,
    seeds: experiment.seeds,
    iterations: experiment.iterations,
    recordEvery: experiment.recordEvery,
    patternEvery: experiment.patternEvery,
    checks: experiment.checks,
    exclude: experiment.exclude,
    // Only where there are variants, so that older experiments' manifests (and hashes) stay as they were.
    ...(experiment.variants.length ? { variants: experiment.variants } : {}),
    // Likewise the paper's values, only where the file declares them.
    ...(experiment.published ? { published: experiment.published } : {}),
  };
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(canonicalJson(spec)),
  );
  const hash = [...new Uint8Array(digest)].slice(0, 8)
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return { spec, hash };
}

/** What an existing folder's manifest recorded of its definition. */
export interface RecordedDefinition {
  /** The results format (1 before formats were numbered). */
  readonly format: number;
  /** The declared run ids (format 2 on). */
  readonly declared?: ReadonlySet<string>;
}

/**
 * What the manifest in `directory` records of its definition; undefined
 * where the folder or its manifest does not exist yet.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { recordedDefinition } from "./manifest.ts";
 * const folder = await Deno.makeTempDir();
 * assertEquals(await recordedDefinition(folder), undefined);
 * await Deno.writeTextFile(`${folder}/experiment.json`, '{"experiment_hash":"ab"}');
 * assertEquals(await recordedDefinition(folder), { format: 1, declared: undefined });
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function recordedDefinition(
  directory: string,
): Promise<RecordedDefinition | undefined> {
  let manifest: Record<string, unknown>;
  try {
    manifest = await readManifest(directory);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (Object.keys(manifest).length === 0) return undefined;
  const declared = declaredRunIds(manifest, `${directory}/experiment.json`);
  return {
    format: typeof manifest.format === "number" ? manifest.format : 1,
    declared,
  };
}

/** Writes the folder's manifest (whole, by a rename). */
export async function writeManifest(
  subject: ManifestSubject,
  times: ManifestTimes,
): Promise<void> {
  const { experiment, folder } = subject;
  const { spec, hash } = await experimentSpec(experiment);
  const directoryName = folder.directory.split("/").at(-1) ?? experiment.name;
  const commit = await codeCommit();
  const manifest = {
    format: FORMAT_VERSION,
    experiment: spec,
    experiment_hash: hash,
    // A folder named for --iterations/--seeds says so.
    ...(directoryName.startsWith(`${experiment.name}@`)
      ? { overrides: directoryName.slice(experiment.name.length + 1) }
      : {}),
    preset: PRESETS[experiment.base],
    thresholds: Object.fromEntries(
      LOSSES.map((loss) => [loss, thresholdsFor(loss, experiment.checks)]),
    ),
    runs_planned: subject.planned,
    runs_file: folder.runsFile.split("/").at(-1),
    declared_runs: [...subject.declared].sort(),
    code_commit: commit ?? null,
    versions: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      tfjs: times.tfjs ?? null,
      backend: times.backend ?? null,
      engine: times.engine ?? null,
      engine_version: ENGINE_VERSION,
    },
    machine: { cores: navigator.hardwareConcurrency, os: Deno.build.os, arch: Deno.build.arch },
    started_at: times.startedAt.toISOString(),
    finished_at: times.finishedAt?.toISOString() ?? null,
  };
  await writeAtomically(folder.manifestFile, JSON.stringify(manifest, null, 2) + "\n");
}
