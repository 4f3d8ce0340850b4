import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, type Page, test } from "@playwright/test";
import { modelFromSafetensors } from "@unrolled/interop";
import { tensor3 } from "@unrolled/linalg";
import { loadModel, modelForward } from "@unrolled/rnn-core";
import * as ort from "onnxruntime-node";

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
const num = async (page: Page, testid: string) => Number(await page.getByTestId(testid).textContent());
/** Sum of the canvas's pixel values: 0 when nothing was drawn. */
const ink = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement;
    const d = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? [];
    let s = 0;
    for (let i = 0; i < d.length; i += 4) s += (d[i] as number) + (d[i + 1] as number) + (d[i + 2] as number);
    return s;
  }, selector);

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto("/");
  await expect(page.getByTestId("preset")).toHaveValue("sine");
});

test("train the sine preset: the epoch count rises, the loss falls, both charts and the gradient heatmap render", async ({
  page,
}) => {
  await page.locator("#epochs").fill("100000"); // still training when the test pauses it
  await page.getByTestId("train").click();
  await expect.poll(() => num(page, "epoch"), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const early = Number(await page.getByTestId("loss").textContent());
  await expect.poll(() => num(page, "epoch"), { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
  const later = Number(await page.getByTestId("loss").textContent());
  expect(later).toBeLessThan(early);
  await page.getByTestId("pause").click();
  await expect(page.getByTestId("train")).toBeEnabled();
  await expect(page.locator("#loss-svg path")).toHaveCount(2);
  expect(await page.locator("#metric-svg path").count()).toBeGreaterThanOrEqual(3); // the RNN and the baselines
  expect(await ink(page, "#bptt-canvas")).toBeGreaterThan(0);
  expect(await ink(page, "#hidden-canvas")).toBeGreaterThan(0);
  await expect(page.locator("#pred-svg path")).toHaveCount(2);
  await shot(page, "sine-training");
});

test("the page is cross-origin isolated, so the worker trains on the WebAssembly SIMD kernels", async ({ page }) => {
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId("kernels")).toContainText("WebAssembly SIMD kernels");
});

test("the page stays responsive while the worker trains (a 50 ms timer keeps firing)", async ({ page }) => {
  await page.locator("#epochs").fill("100000"); // still training when the measurement ends
  await page.getByTestId("train").click();
  await expect.poll(() => num(page, "epoch")).toBeGreaterThanOrEqual(1);
  const gaps = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const times: number[] = [];
        const id = setInterval(() => times.push(performance.now()), 50);
        setTimeout(() => {
          clearInterval(id);
          resolve(times.slice(1).map((t, i) => t - (times[i] as number)));
        }, 2000);
      }),
  );
  expect(gaps.length).toBeGreaterThanOrEqual(30);
  expect(Math.max(...gaps)).toBeLessThan(250);
  await page.getByTestId("pause").click();
});

test("step one batch, then download the model and load it back", async ({ page }) => {
  await page.getByTestId("step").click();
  await expect(page.locator("#batches")).toHaveText("1");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-model").click()]);
  const path = join(test.info().outputDir, "model.json");
  await download.saveAs(path);
  const model = JSON.parse(readFileSync(path, "utf8"));
  expect(model.format).toBe("unrolled.model");
  expect(model.params["rnn.weight_hh_l0"].shape).toEqual([16, 16]);
  await page.getByTestId("load-model").setInputFiles(path);
  await expect(page.locator("#params")).toContainText("parameters");
  await expect(page.getByTestId("error")).toHaveText("");
  await page
    .getByTestId("load-model")
    .setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format": "keras"}') });
  await expect(page.getByTestId("error")).toHaveText('model file: "format" is "keras", expected "unrolled.model"');
  await shot(page, "model-loaded");
});

test("the trained model downloads as ONNX that ONNX Runtime runs, and as PyTorch-named safetensors", async ({
  page,
}) => {
  await page.getByTestId("step").click();
  await expect(page.locator("#batches")).toHaveText("1");
  const save = async (testid: string, file: string) => {
    const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testid).click()]);
    expect(d.suggestedFilename()).toBe(file);
    const path = join(test.info().outputDir, file);
    await d.saveAs(path);
    return readFileSync(path);
  };
  const json = (await save("download-model", "sine.model.json")).toString("utf8");
  const onnx = await save("download-onnx", "sine.onnx");
  const safetensors = await save("download-safetensors", "sine.safetensors");

  // The same weights three ways: ONNX Runtime on the ONNX file equals the model file's forward pass.
  const { params } = loadModel(json);
  const x = Float64Array.from({ length: 2 * 30 }, (_, i) => Math.sin(i / 4));
  const { y } = modelForward(params, tensor3(2, 30, 1, x));
  const session = await ort.InferenceSession.create(new Uint8Array(onnx));
  const out = await session.run({ x: new ort.Tensor("float32", Float32Array.from(x), [2, 30, 1]) });
  const got = out.y?.data as Float32Array;
  for (let i = 0; i < y.data.length; i++)
    expect(Math.abs((got[i] as number) - (y.data[i] as number))).toBeLessThan(1e-5);
  const back = modelFromSafetensors(new Uint8Array(safetensors));
  expect(Array.from(back.params.flat)).toEqual(Array.from(params.flat, Math.fround));
  expect(back.sections).toHaveProperty("preprocessing");
});

test("a malformed CSV shows one clear message; a good one trains", async ({ page }) => {
  await page
    .getByTestId("csv-input")
    .setInputFiles({ name: "ragged.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n3\n4,5\n") });
  await expect(page.getByTestId("error")).toHaveText("ragged.csv: row 3 has 1 fields, expected 2 (as the header)");
  await shot(page, "csv-error");
  await page.locator("#seqLen").fill("10"); // 200 rows leave 30 for validation: shorter windows
  const rows = Array.from(
    { length: 200 },
    (_, i) => `2024-01-01,${Math.sin(i / 5).toFixed(4)},${Math.cos(i / 5).toFixed(4)}`,
  );
  await page
    .getByTestId("csv-input")
    .setInputFiles({ name: "waves.csv", mimeType: "text/csv", buffer: Buffer.from(`date,s,c\n${rows.join("\n")}\n`) });
  await expect(page.getByTestId("error")).toHaveText("");
  await expect(page.getByTestId("target")).toHaveValue("c");
  await page.getByTestId("step").click();
  await expect(page.locator("#batches")).toHaveText("1");
});

test("the weather preset trains on the bundled data; the shakespeare preset samples text", async ({ page }) => {
  const bundled = (await page.request.get("/data/index.json").then((r) => r.json())).files as string[];
  test.skip(!bundled.includes("clean_weather.csv"), "built without UNROLLED_DATA_DIR");
  await page.getByTestId("preset").selectOption("weather");
  await expect(page.locator("#params")).toContainText("H=32");
  await page.getByTestId("step").click();
  await expect(page.locator("#batches")).toHaveText("1");
  await page.getByTestId("preset").selectOption("shakespeare");
  await expect(page.locator("#text")).toBeVisible();
  await page.getByTestId("step").click();
  await expect(page.locator("#batches")).toHaveText("1");
  await page.locator("#sample").click();
  await expect(page.getByTestId("sample-text")).not.toHaveText("");
  await shot(page, "shakespeare");
});

test("the initial JavaScript is at most 250 KB gzipped", async () => {
  const dist = join(import.meta.dirname, "..", "dist");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script[^>]+src="\.?\/?([^"]+)"/g)].map((m) => m[1] as string);
  expect(scripts.length).toBeGreaterThan(0);
  const bytes = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(dist, s))).length, 0);
  expect(bytes).toBeLessThanOrEqual(250 * 1024);
});

test("every equation on the page links to a source file that exists in this repository", async () => {
  const root = join(import.meta.dirname, "..", "..", "..");
  const html = readFileSync(join(import.meta.dirname, "..", "index.html"), "utf8");
  const paths = [...html.matchAll(/href="https:\/\/github\.com\/unrolled\/unrolled\/blob\/main\/([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  expect(paths.length).toBeGreaterThanOrEqual(8);
  for (const p of paths) expect(existsSync(join(root, p)), p).toBe(true);
});

test("every preset and every cell trains a batch", async ({ page }) => {
  const bundled = (await page.request.get("/data/index.json").then((r) => r.json())).files as string[];
  for (const cell of ["lstm", "gru", "rnn"]) {
    await page.getByTestId("cell").selectOption(cell);
    await page.getByTestId("reset").click();
    await page.getByTestId("step").click();
    await expect(page.locator("#params")).toContainText(`${cell} H=16`);
    await expect(page.locator("#batches")).toHaveText("1");
    expect(Number(await page.getByTestId("loss").textContent())).toBeGreaterThan(0);
  }
  for (const preset of ["mod3", "min-temp"]) {
    if (preset === "min-temp" && !bundled.includes("daily-min-temperatures.csv")) continue;
    await page.getByTestId("preset").selectOption(preset);
    await page.getByTestId("step").click();
    await expect(page.locator("#batches")).toHaveText("1");
    await expect(page.getByTestId("error")).toHaveText("");
  }
});

test("the adding preset: an LSTM over 100+ steps, the gradient heatmap as tall as the sequences", async ({ page }) => {
  await page.getByTestId("preset").selectOption("adding");
  await expect(page.getByTestId("cell")).toHaveValue("lstm");
  await expect(page.locator("#params")).toContainText("lstm H=16");
  for (let i = 0; i < 3; i++) {
    await page.getByTestId("step").click();
    await expect(page.locator("#batches")).toHaveText(String(i + 1));
  }
  await expect(page.getByTestId("error")).toHaveText("");
  expect(await ink(page, "#bptt-canvas")).toBeGreaterThan(0);
  await expect(page.getByTestId("notes")).toContainText("adding problem, T = 100");
  await shot(page, "adding");
});

test("on a phone (390 × 844): one column, full-width charts, no sideways scrolling; every control labelled and reachable by keyboard", async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto("/");
  await expect(page.getByTestId("preset")).toHaveValue("sine");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const [controls, views] = [await page.locator("#controls").boundingBox(), await page.locator("#views").boundingBox()];
  expect(views?.y ?? 0).toBeGreaterThanOrEqual((controls?.y ?? 0) + (controls?.height ?? 0) - 1); // stacked, not side by side
  for (const chart of ["#loss-svg", "#metric-svg", "#bptt-canvas", "#hidden-canvas"])
    expect((await page.locator(chart).boundingBox())?.width ?? 0, chart).toBeGreaterThanOrEqual(340);
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, button, textarea")]
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        return !labels?.length && !el.getAttribute("aria-label") && !(el.textContent ?? "").trim();
      })
      .map((el) => el.id || el.outerHTML.slice(0, 60)),
  );
  expect(unnamed).toEqual([]);
  // Tab reaches the Train button (and every file input on the way is focusable); Enter trains
  const seen: string[] = [];
  for (let i = 0; i < 60 && seen.at(-1) !== "train"; i++) {
    await page.keyboard.press("Tab");
    seen.push(await page.evaluate(() => document.activeElement?.id ?? ""));
  }
  expect(seen).toContain("csv-input");
  expect(seen.at(-1)).toBe("train");
  await page.keyboard.press("Enter");
  await expect.poll(() => num(page, "epoch"), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await shot(page, "phone");
  await page.close();
});
