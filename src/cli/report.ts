/**
 * `deno task report [RESULTS_DIR...]`: writes `plots/*.svg`, `REPORT.md` and `report.html`
 * into each experiment folder (default: every folder under results/).
 *
 * @module
 */
import { parseStrict, runTask, UsageError } from "./args.ts";
import { writeReport } from "../analysis/report.ts";
import { ResultsError } from "../results/folder.ts";
import { experimentFolders } from "../results/folders.ts";

const USAGE = `usage: deno task report [RESULTS_DIR...]

Renders each experiment folder's plots (loss curves per configuration, G's
output for a representative run of each verdict, the ablation) as SVG into
plots/, and writes REPORT.md beside them, and report.html: the same plots
interactive (hover for the data, pick a configuration, sort the table), one
file that opens offline in a browser.`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, { boolean: ["help"] });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const folders = await experimentFolders(args._.map(String)).catch((error) => {
    throw new UsageError(error.message);
  });
  for (const folder of folders) {
    const written = await writeReport(folder);
    const plots = written.filter((path) => path.endsWith(".svg")).length;
    console.log(`report: ${folder}/REPORT.md and ${plots} plots; ${folder}/report.html`);
  }
  return 0;
}

if (import.meta.main) await runTask("report", main, [ResultsError]);
