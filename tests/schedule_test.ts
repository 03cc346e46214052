/**
 * The iteration is written once, as data: each scheme's schedule is this
 * list of operations, and both engines execute exactly it.
 */
import { assertEquals } from "@std/assert";
import { fieldSchedule, iterationSchedule, type Op } from "../src/engine/schedule.ts";
import { declaredStep, JOINT_UPDATE } from "../src/engine/step.ts";
import { PENALTY_KINDS } from "../src/kinds/penalties/mod.ts";

/** An operation as one short word: its name and what it acts on. */
function word(op: Op): string {
  switch (op.op) {
    case "draw_real":
      return `draw_real(${op.critic})`;
    case "sample_g":
      return `sample_g(${op.into}${op.reuse ? ", reuse" : ""})`;
    case "forward_d":
      return `forward_d(${op.on})`;
    case "seed_d":
      return `seed_d(${op.terms.join("+")})`;
    case "backward_d":
      return `backward_d(${op.on}, ${op.accumulate}${op.cross ? ", cross" : ""})`;
    case "penalty":
      return `penalty(${op.index}, ${op.with}, ${op.critic})`;
    case "constrain_d":
      return `constrain_d(${op.index})`;
    case "seed_g":
      return `seed_g(${op.on})`;
    case "backward_g":
      return `backward_g(${op.on}${op.cross ? ", cross" : ""})`;
    case "consensus_g":
      return `consensus_g(${op.from})`;
    default:
      return op.op;
  }
}

const words = (ops: readonly Op[]) => ops.map(word);

const G_STEP = [
  "sample_g(generated)",
  "forward_d(generated)",
  "seed_g(generated)",
  "backward_g(generated)",
];
const RECORDS = ["step_g", "record_curves", "record_pattern"];

Deno.test("the seed's iteration: D on real and steps, D on G(z) and steps, then G through D", () => {
  assertEquals(words(iterationSchedule(declaredStep({ dSteps: 1 }), { constantG: true })), [
    "draw_real(0)",
    "sample_g(fake, reuse)",
    "forward_d(real)",
    "seed_d(real)",
    "backward_d(real, set)",
    "step_d",
    "forward_d(fake)",
    "seed_d(fake)",
    "backward_d(fake, set)",
    "step_d",
    "sample_g(generated, reuse)",
    "forward_d(generated)",
    "seed_g(generated)",
    "backward_g(generated)",
    ...RECORDS,
  ]);
});

Deno.test("the joint D update: both terms summed into one D step", () => {
  const step = declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE });
  assertEquals(words(iterationSchedule(step, { constantG: false })), [
    "draw_real(0)",
    "sample_g(fake)",
    "forward_d(real)",
    "seed_d(real)",
    "backward_d(real, set)",
    "forward_d(fake)",
    "seed_d(fake)",
    "backward_d(fake, add)",
    "step_d",
    ...G_STEP,
    ...RECORDS,
  ]);
});

Deno.test("simultaneous updates: G's gradient first, through D as it stood; applied after D's step", () => {
  const step = declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE, updates: "simultaneous" });
  assertEquals(words(iterationSchedule(step, { constantG: false })), [
    ...G_STEP,
    "draw_real(0)",
    "sample_g(fake)",
    "forward_d(real)",
    "seed_d(real)",
    "backward_d(real, set)",
    "forward_d(fake)",
    "seed_d(fake)",
    "backward_d(fake, add)",
    "step_d",
    ...RECORDS,
  ]);
});

Deno.test("critic steps: each draws its own real sample and G(z), then G steps once", () => {
  const step = declaredStep({ dSteps: 3, criticStep: JOINT_UPDATE });
  const ops = words(iterationSchedule(step, { constantG: false }));
  assertEquals(ops.filter((w) => w.startsWith("draw_real")), [
    "draw_real(0)",
    "draw_real(1)",
    "draw_real(2)",
  ]);
  assertEquals(ops.filter((w) => w === "step_d").length, 3);
  assertEquals(ops.filter((w) => w === "step_g").length, 1);
  assertEquals(ops.slice(-7), [...G_STEP, ...RECORDS]);
});

Deno.test("consensus: each player's regulariser before its step; G's from the start point when simultaneous", () => {
  const alternating = declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE, consensus: 1 });
  const ops = words(iterationSchedule(alternating, { constantG: false }));
  assertEquals(ops.slice(ops.indexOf("backward_d(fake, add)") + 1, ops.indexOf("step_d") + 1), [
    "consensus_d",
    "step_d",
  ]);
  assertEquals(ops.slice(-5), ["backward_g(generated)", "consensus_g(current)", ...RECORDS]);
  const simultaneous = declaredStep({
    dSteps: 1,
    criticStep: JOINT_UPDATE,
    consensus: 1,
    updates: "simultaneous",
  });
  const sim = words(iterationSchedule(simultaneous, { constantG: false }));
  assertEquals(sim.slice(0, 5), [...G_STEP, "hold_start"]);
  assertEquals(sim.slice(-4), ["consensus_g(start)", ...RECORDS]);
});

Deno.test("G's batch reused: G's step takes the last critic step's z and G(z); simultaneous, D's takes G's and consensus is one operation", () => {
  const alternating = declaredStep({ dSteps: 3, generatorBatch: "reuse" });
  const ops = words(iterationSchedule(alternating, { constantG: false }));
  // Each critic step draws its own z; G's step draws none.
  assertEquals(ops.filter((w) => w === "sample_g(fake)").length, 3);
  assertEquals(ops.slice(-7), ["sample_g(generated, reuse)", ...G_STEP.slice(1), ...RECORDS]);
  const declared = {
    dSteps: 1,
    criticStep: JOINT_UPDATE,
    consensus: 10,
    updates: "simultaneous",
  } as const;
  const simultaneous = declaredStep({ ...declared, generatorBatch: "reuse" });
  assertEquals(words(iterationSchedule(simultaneous, { constantG: false })), [
    ...G_STEP,
    "draw_real(0)",
    "sample_g(fake, reuse)",
    "forward_d(real)",
    "seed_d(real)",
    "backward_d(real, set)",
    "forward_d(fake)",
    "seed_d(fake)",
    "backward_d(fake, add)",
    "consensus",
    "step_d",
    ...RECORDS,
  ]);
  // A new batch for G keeps each player's regulariser on its own samples.
  const apart = declaredStep({ ...declared, generatorBatch: "new" });
  const two = words(iterationSchedule(apart, { constantG: false }));
  assertEquals([two.includes("consensus_d"), two.includes("consensus_g(start)")], [true, true]);
});

Deno.test("penalties: R1 with the real term's update, the gradient penalty and R2 with G's, a clip after every D step", () => {
  const step = declaredStep({
    dSteps: 1,
    penalties: [PENALTY_KINDS.weight_clip, PENALTY_KINDS.r1, PENALTY_KINDS.r2],
  });
  assertEquals(words(iterationSchedule(step, { constantG: true })).slice(0, 14), [
    "draw_real(0)",
    "sample_g(fake, reuse)",
    "forward_d(real)",
    "seed_d(real)",
    "backward_d(real, set)",
    "penalty(1, real, 0)",
    "step_d",
    "constrain_d(0)",
    "forward_d(fake)",
    "seed_d(fake)",
    "backward_d(fake, set)",
    "penalty(2, fake, 0)",
    "step_d",
    "constrain_d(0)",
  ]);
});

Deno.test("a paired (relativistic) loss: both passes before one seed; G's loss reads D on the real sample", () => {
  const step = declaredStep({
    dSteps: 1,
    criticStep: JOINT_UPDATE,
    paired: true,
    penalties: [PENALTY_KINDS.r1, PENALTY_KINDS.r2],
  });
  assertEquals(words(iterationSchedule(step, { constantG: false })), [
    "draw_real(0)",
    "sample_g(fake)",
    "forward_d(real)",
    "forward_d(fake)",
    "seed_d(real+fake)",
    "backward_d(real, set)",
    "penalty(0, real, 0)",
    "backward_d(fake, add)",
    "penalty(1, fake, 0)",
    "step_d",
    "sample_g(generated)",
    "forward_d(generated)",
    "forward_d(real)",
    "seed_g(generated)",
    "backward_g(generated)",
    ...RECORDS,
  ]);
  // Simultaneous: the real sample is drawn first, for G's loss at the start point.
  const simultaneous = declaredStep({
    dSteps: 1,
    criticStep: JOINT_UPDATE,
    paired: true,
    updates: "simultaneous",
  });
  assertEquals(words(iterationSchedule(simultaneous, { constantG: false })).slice(0, 7), [
    "draw_real(0)",
    "sample_g(generated)",
    "forward_d(generated)",
    "forward_d(real)",
    "seed_g(generated)",
    "backward_g(generated)",
    "sample_g(fake)",
  ]);
});

Deno.test("the joint field: the same primitives without steps or records, penalties at the end, cross terms on request", () => {
  const step = declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE, penalties: [PENALTY_KINDS.r1] });
  assertEquals(words(fieldSchedule(step, { crossTerms: true })), [
    "sample_g(fake)",
    "draw_real(0)",
    "forward_d(real)",
    "seed_d(real)",
    "backward_d(real, set)",
    "forward_d(fake)",
    "seed_d(fake)",
    "backward_d(fake, add, cross)",
    "seed_g(fake)",
    "backward_g(fake, cross)",
    "penalty(0, real, 0)",
  ]);
  const names = fieldSchedule(step).map((op) => op.op);
  for (const absent of ["step_d", "step_g", "record_curves", "record_pattern"] as const) {
    assertEquals(names.includes(absent), false, absent);
  }
});
