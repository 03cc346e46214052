/**
 * `deno task report [RESULTS_DIR...]`: writes `plots/*.svg` and `REPORT.md`
 * into each experiment folder (default: every folder under results/).
 *
 * @module
 */
import { parseArgs } from "@std/cli/parse-args";
import { writeReport } from "../report.ts";
import { experimentFolders } from "../results_folders.ts";

const USAGE = `usage: deno task report [RESULTS_DIR...]

Renders each experiment folder's plots (loss curves per configuration, G's
output for a representative run of each verdict, the ablation) as SVG into
plots/, and writes REPORT.md beside them.`;

if (import.meta.main) {
  const args = parseArgs(Deno.args, {
    boolean: ["help"],
    unknown: (flag: string) => {
      if (!flag.startsWith("-")) return true;
      console.error(`report: unknown option ${flag}\n\n${USAGE}`);
      Deno.exit(2);
    },
  });
  if (args.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  let folders: string[];
  try {
    folders = await experimentFolders(args._.map(String));
  } catch (error) {
    console.error(`report: ${(error as Error).message}`);
    Deno.exit(2);
  }
  for (const folder of folders) {
    const written = await writeReport(folder);
    console.log(`report: ${folder}/REPORT.md and ${written.length - 1} plots`);
  }
}
