/** The presets: one experiment each (a tutorial's, or a published result's), in the order the CLI lists them. */
import { ConfigError } from "@unrolled/linalg";
import { adding } from "./adding.js";
import { airline } from "./airline.js";
import { googl } from "./googl.js";
import { jsb } from "./jsb.js";
import { minTemp } from "./min-temp.js";
import { mod3 } from "./mod3.js";
import type { Preset } from "./preset.js";
import { shakespeare } from "./shakespeare.js";
import { shakespeareLstm } from "./shakespeare-lstm.js";
import { sine } from "./sine.js";
import { weather } from "./weather.js";

export const PRESETS: readonly Preset[] = [
  sine,
  weather,
  mod3,
  minTemp,
  googl,
  shakespeare,
  airline,
  jsb,
  adding,
  shakespeareLstm,
];

export function presetByName(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new ConfigError(`unknown preset "${name}"; available: ${PRESETS.map((x) => x.name).join(", ")}`);
  return p;
}
