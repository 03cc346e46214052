/**
 * `deno check` catches a misspelt level in a typed experiment file: the
 * level types come from the registries, so a loss, penalty or optimiser
 * option that does not exist does not compile, and every real one does.
 */
import { assert, assertStringIncludes } from "@std/assert";
import { ROOT, workspace, writeExperiment } from "./helpers.ts";

async function denoCheck(files: string[], cwd: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["check", `--config=${ROOT}/deno.json`, ...files],
    cwd,
    env: { NO_COLOR: "1" },
  }).output();
  return { code: output.code, text: new TextDecoder().decode(output.stderr) };
}

Deno.test("deno check refuses misspelt levels and accepts every registered one", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const bad = [
      await writeExperiment(
        dir,
        "loss",
        `{ name: "x", base: "seed", sweep: { loss: ["hingee"] } }`,
      ),
      await writeExperiment(
        dir,
        "penalty",
        `{ name: "x", base: "seed", sweep: { penalty: [{ weightclip: 0.01 }] } }`,
      ),
      await writeExperiment(
        dir,
        "optimiser",
        `{ name: "x", base: "seed", sweep: { optimiser: [{ name: "sgd", beta1: 0.5 }] } }`,
      ),
      await writeExperiment(
        dir,
        "normalisation",
        `{ name: "x", base: "seed", sweep: { normalisation: [{ d: "spectral_nrom" }] } }`,
      ),
    ];
    const refused = await denoCheck(bad, dir);
    assert(refused.code !== 0, "deno check passed files with misspelt levels");
    for (const name of ["loss", "penalty", "optimiser", "normalisation"]) {
      assertStringIncludes(refused.text, `${name}.ts`);
    }
    assertStringIncludes(refused.text, "hingee");
    const good = await writeExperiment(
      dir,
      "good",
      `{
        name: "x",
        base: "sngan",
        sweep: {
          loss: ["bce", "bce_minimax", "mse", "hinge", "wasserstein"],
          penalty: ["none", { weightClip: 0.01 }, { gradientPenalty: 10 }, { r1: 1 }],
          optimiser: ["adam", { name: "rmsprop", alpha: [0.9, 0.99] }, { name: "optimistic_adam" }],
          lr: [{ d: [1e-4, 1e-3], g: 1e-3 }, { d: 0.01, g: 0.01 }],
          normalisation: ["none", { d: "spectral_norm", g: "layer_norm" }],
          dSteps: [1, 5],
        },
      }`,
    );
    const accepted = await denoCheck([good], dir);
    assert(accepted.code === 0, accepted.text);
  } finally {
    await cleanup();
  }
});
