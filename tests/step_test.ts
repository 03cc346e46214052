/**
 * The training step is declared once (`src/engine/step.ts`) and both
 * engines interpret it: the seed's loop is the default, a penalty sits with
 * the term it is defined at, and a step neither engine was written for (one
 * D update on the summed loss) trains alike on both.
 */
import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import type { TrainingSetup } from "../src/engine/setup.ts";
import { declaredStep, JOINT_UPDATE, SEPARATE_UPDATES } from "../src/engine/step.ts";
import { trainBatch } from "../src/engine/train.ts";
import { engineLearningRates, resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { PENALTY_KINDS } from "../src/kinds/penalties/mod.ts";
import { relativeError } from "./fused_helpers.ts";

await useBackend();

Deno.test("the seed's step: per critic step one D update on real, one on fake, then G", () => {
  const step = declaredStep({ dSteps: 1 });
  assertEquals(step.criticStep, SEPARATE_UPDATES);
  assertEquals(step.criticStep.map((update) => update.terms), [["real"], ["fake"]]);
  assertEquals(step.criticSteps, 1);
  assertEquals(step.penalties, []);
});

Deno.test("a penalty sits with the term it is defined at; a constraint with none", () => {
  const at = (name: keyof typeof PENALTY_KINDS) =>
    declaredStep({ dSteps: 5, penalties: [PENALTY_KINDS[name]] }).penalties[0];
  assertEquals(at("r1"), { index: 0, with: "real", constraint: false });
  assertEquals(at("r2"), { index: 0, with: "fake", constraint: false });
  assertEquals(at("gradient_penalty"), { index: 0, with: "fake", constraint: false });
  assertEquals(at("weight_clip"), { index: 0, constraint: true });
});

Deno.test("a relativistic (paired) loss needs D's step to sum both terms", () => {
  assertThrows(() => declaredStep({ dSteps: 1, paired: true }), Error, 'dUpdate "joint"');
  assertEquals(declaredStep({ dSteps: 1, paired: true, criticStep: JOINT_UPDATE }).paired, true);
});

Deno.test("a critic step without updates or an update without terms is refused", () => {
  assertThrows(() => declaredStep({ dSteps: 1, criticStep: [] }), Error, "at least one");
  assertThrows(
    () => declaredStep({ dSteps: 1, criticStep: [{ terms: [] }] }),
    Error,
    "at least one",
  );
});

Deno.test("both engines interpret a joint D update (one step on the summed loss) alike", async () => {
  const config = resolveConfig("seed", { optimiser: "sgd", normalisation: "none" });
  const rates = engineLearningRates(config);
  const runs = [1, 2].map((seed) => ({ seed, learningRates: rates }));
  const separate: TrainingSetup = { ...trainingSetup(config), iterations: 200 };
  const joint: TrainingSetup = { ...separate, criticStep: [{ terms: ["real", "fake"] }] };
  const [fused, reference, fusedSeparate] = await Promise.all([
    trainBatch(joint, runs, { engine: "fused" }),
    trainBatch(joint, runs, { engine: "reference" }),
    trainBatch(separate, runs, { engine: "fused" }),
  ]);
  for (let r = 0; r < runs.length; r++) {
    for (const network of ["discriminator", "generator"] as const) {
      const error = relativeError(
        fused[r].finalParameters[network],
        reference[r].finalParameters[network],
      );
      assert(error < 1e-5, `run ${r}, ${network}: fused and reference part by ${error}`);
    }
    const curves = relativeError(fused[r].curves.d_loss_fake, reference[r].curves.d_loss_fake);
    assert(curves < 1e-4, `run ${r}: recorded D losses part by ${curves}`);
    assertNotEquals(
      Array.from(fused[r].finalParameters.discriminator),
      Array.from(fusedSeparate[r].finalParameters.discriminator),
      "the joint step trained as the separate one",
    );
  }
});
