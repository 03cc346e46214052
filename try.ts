import { useBackend } from "./src/backend.ts";
import { trainBatch } from "./src/engine.ts";
import { PRESETS } from "./src/presets.ts";
console.log(await useBackend());
const p = PRESETS.seed;
for (const R of [1, 16, 128]) {
  const runs = Array.from({ length: R }, (_, i) => ({ seed: i, learningRates: p.learningRates }));
  const N = 500;
  await trainBatch({ ...p.setup, iterations: 20 }, runs);
  const t0 = performance.now();
  const rec = await trainBatch({ ...p.setup, iterations: N }, runs);
  const ms = (performance.now() - t0) / N;
  console.log(
    R,
    ms.toFixed(3),
    "ms/it",
    (R * 1000 / ms).toFixed(0),
    "run-it/s",
    rec[0].curves.g_loss.slice(-3),
    rec[0].divergedAt,
  );
}
