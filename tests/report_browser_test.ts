/**
 * `report.html` in a real browser: headless Chromium (Debian's `chromium`,
 * which `.ci/run` installs) opens the page from `file://`, driven over the
 * DevTools protocol. The page passes when every plot rendered marks, no
 * console error or exception was logged, and hovering a mark shows a
 * tooltip; a screenshot is saved in the test's temporary folder. The same
 * check on a page with one broken spec must fail.
 */
import { assert, assertEquals } from "@std/assert";
import { runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

/** The browser, if this machine has one (CI must: it installs it). */
const BROWSER = ["chromium", "chromium-browser", "google-chrome"].find((name) => {
  try {
    return new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
});

/** A minimal DevTools-protocol client over the browser's WebSocket. */
class DevTools {
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly events: { method: string; params: Record<string, unknown> }[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.id && this.#pending.has(data.id)) {
        const { resolve, reject } = this.#pending.get(data.id)!;
        this.#pending.delete(data.id);
        if (data.error) reject(new Error(JSON.stringify(data.error)));
        else resolve(data.result);
      } else if (data.method) this.events.push(data);
    };
  }
  static async open(url: string): Promise<DevTools> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    return new DevTools(socket);
  }
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string) {
    const id = this.#next++;
    this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise<Record<string, unknown>>((resolve, reject) =>
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
    );
  }
  close() {
    this.socket.close();
  }
}

/** What a page must hold beyond rendered plots: views by file name, tables by id with rows. */
interface Expected {
  readonly views?: readonly string[];
  readonly tables?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Opens `file` in headless Chromium; returns what is wrong with the page
 * (empty: nothing): a plot without marks, an error, no tooltip, or a view
 * or table row of `expected` missing (each table's first body row must
 * have the given cells).
 */
async function checkPage(
  file: string,
  screenshot: string,
  expected: Expected = {},
): Promise<string[]> {
  const profile = await Deno.makeTempDir();
  const browser = new Deno.Command(BROWSER!, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "--window-size=1200,900",
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    // The browser says where its DevTools listen.
    const reader = browser.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    let endpoint: string | undefined;
    while (!endpoint) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the browser exited: ${seen}`);
      seen += value;
      endpoint = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
    }
    reader.releaseLock();
    browser.stderr.cancel().catch(() => {});
    const tools = await DevTools.open(endpoint);
    try {
      const { targetId } = await tools.send("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await tools.send("Target.attachToTarget", { targetId, flatten: true });
      const page = (method: string, params: Record<string, unknown> = {}) =>
        tools.send(method, params, sessionId as string);
      await page("Runtime.enable");
      await page("Log.enable");
      await page("Page.enable");
      await page("Page.navigate", { url: `file://${file}` });
      const evaluate = async (expression: string) => {
        const { result, exceptionDetails } = await page("Runtime.evaluate", {
          expression,
          awaitPromise: true,
          returnByValue: true,
        }) as { result: { value: unknown }; exceptionDetails?: { text: string } };
        if (exceptionDetails) throw new Error(JSON.stringify(exceptionDetails));
        return result.value;
      };
      const problems: string[] = [];
      for (let tries = 0; tries < 100; tries++) {
        if (await evaluate("document.readyState === 'complete' && 'gansweepReady' in window")) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await evaluate("window.gansweepReady").catch((error) =>
        problems.push(`the page did not finish rendering: ${error.message.slice(0, 300)}`)
      );
      const marks = await evaluate(
        `[...document.querySelectorAll(".view, #configuration-loss, #configuration-pattern")]
          .map((div) => [div.dataset.file || div.id, div.querySelectorAll("svg g.role-mark > *").length])`,
      ) as [string, number][];
      if (marks.length < 3) problems.push(`only ${marks.length} plots on the page`);
      for (const [name, count] of marks) {
        if (count === 0) problems.push(`${name}: no marks rendered`);
      }
      for (const view of expected.views ?? []) {
        if (!marks.some(([name]) => name === view)) problems.push(`${view}: not on the page`);
      }
      for (const [id, cells] of Object.entries(expected.tables ?? {})) {
        const first = await evaluate(
          `[...(document.querySelector("#${id} tbody tr")?.children ?? [])].map((td) => td.textContent.trim())`,
        ) as string[];
        if (JSON.stringify(first) !== JSON.stringify(cells)) {
          problems.push(`#${id}: first row ${JSON.stringify(first)}, not ${JSON.stringify(cells)}`);
        }
      }
      // Hover the first plot's first mark: a tooltip must show.
      const at = await evaluate(`(() => {
        const mark = document.querySelector(".view svg g.role-mark > path, .view svg g.role-mark > rect");
        if (!mark) return null;
        mark.scrollIntoView({ block: "center" });
        const box = mark.getBoundingClientRect();
        return [box.x + box.width / 2, box.y + box.height / 2];
      })()`) as [number, number] | null;
      if (!at) problems.push("no mark to hover");
      else {
        await page("Input.dispatchMouseEvent", { type: "mouseMoved", x: at[0], y: at[1] });
        await new Promise((resolve) => setTimeout(resolve, 400));
        const tooltip = await evaluate(`(() => {
          const t = document.getElementById("vg-tooltip-element");
          return t && t.classList.contains("visible") ? t.textContent : "";
        })()`);
        if (!tooltip) problems.push("hovering a mark showed no tooltip");
      }
      const shot = await page("Page.captureScreenshot", { format: "png" });
      await Deno.writeFile(
        screenshot,
        Uint8Array.from(atob(shot.data as string), (c) => c.charCodeAt(0)),
      );
      for (const { method, params } of tools.events) {
        if (method === "Runtime.exceptionThrown") {
          problems.push(`exception: ${JSON.stringify(params.exceptionDetails).slice(0, 300)}`);
        }
        if (method === "Runtime.consoleAPICalled" && params.type === "error") {
          problems.push(`console error: ${JSON.stringify(params.args).slice(0, 300)}`);
        }
        if (method === "Log.entryAdded") {
          const entry = params.entry as { level: string; text: string };
          if (entry.level === "error") problems.push(`log error: ${entry.text}`);
        }
      }
      return problems;
    } finally {
      tools.close();
    }
  } finally {
    browser.kill();
    await browser.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

Deno.test({
  name: "report.html renders every plot with marks, logs no error, and shows a tooltip on hover",
  // CI installs the browser (.ci/run): there the test always runs.
  ignore: BROWSER === undefined && !Deno.env.get("CI"),
  async fn() {
    assert(BROWSER, "no chromium: apt-get install chromium (as .ci/run does)");
    const { dir, cleanup } = await workspace();
    try {
      const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
      assertEquals((await runTask("sweep", [file, "--quiet"], { cwd: dir })).code, 0);
      const report = await runTask("report", ["results/tiny"], { cwd: dir });
      assertEquals(report.code, 0, report.stderr);
      const page = `${dir}/results/tiny/report.html`;
      // What mattered as REPORT.md has it, each factor's overlay and the heatmaps with the target.
      const markdown = await Deno.readTextFile(`${dir}/results/tiny/REPORT.md`);
      const rule = markdown.indexOf("|---", markdown.indexOf("## What mattered"));
      const row = markdown.slice(markdown.indexOf("\n", rule) + 1).split("\n")[0];
      const cells = row.slice(1, -1).split("|").map((cell) => cell.trim());
      assert(cells.length === 8, `no What mattered row in REPORT.md: ${row}`);
      const heatmaps = [...Deno.readDirSync(`${dir}/results/tiny/plots`)]
        .map((entry) => entry.name).filter((name) => name.startsWith("pattern-"));
      const problems = await checkPage(page, `${dir}/report.png`, {
        views: ["levels-lr.svg", "levels-loss.svg", ...heatmaps],
        tables: { "what-mattered": cells },
      });
      assertEquals(problems, []);
      assert((await Deno.stat(`${dir}/report.png`)).size > 10_000, "an empty screenshot");

      // The same check fails on a page whose first plot has a broken spec.
      const html = await Deno.readTextFile(page);
      // The first plot's mark in the page's data (not in the inlined libraries).
      const data = html.indexOf('id="report-data">');
      const broken = html.slice(0, data) +
        html.slice(data).replace('"mark":', '"mark":"no such mark","_was":');
      assert(data > 0 && broken !== html);
      await Deno.writeTextFile(`${dir}/broken.html`, broken);
      const found = await checkPage(`${dir}/broken.html`, `${dir}/broken.png`, {
        views: ["levels-lr.svg", "no-such-plot.svg"],
        tables: { "what-mattered": ["not", "these"] },
      });
      assert(found.length > 0, "a broken spec passed");
      for (
        const problem of [
          "answers.svg: no marks",
          "no-such-plot.svg: not on the page",
          "#what-mattered: first row",
        ]
      ) assert(found.some((found) => found.startsWith(problem)), `${problem}: ${found.join("\n")}`);
    } finally {
      await cleanup();
    }
  },
});
