export { buildVocabulary, decode, encode, type Vocabulary, vocabularyFromJson } from "./corpus.js";
export {
  columnIndex,
  detectDateColumn,
  eachRow,
  inspectCsv,
  isMissing,
  looksLikeDates,
  type MissingPolicy,
  parseCsv,
  type RowHandlers,
  type TextTable,
} from "./csv.js";
export { addingSequence, modularSequences, oneHot, randomWalk, sineSeries } from "./generators.js";
export {
  type BadRowPolicy,
  type ColumnOptions,
  filterDates,
  MAX_VALUE,
  type NumericTable,
  numericColumns,
  readNumericCsv,
} from "./numeric.js";
export { LOWEST_PITCH, PIANO_KEYS, type PianoRollSplits, type PianoRolls, parsePianoRolls } from "./piano-roll.js";
export { DATASETS, type DatasetInfo, datasetInfo } from "./registry.js";
export {
  fitScaler,
  inverseValue,
  SCALER_KINDS,
  type Scaler,
  type ScalerKind,
  scalerFromJson,
  transform,
  transformValue,
} from "./scaler.js";
export { chronologicalSplits, parseSplit, type Range, type Splits } from "./split.js";
export { assertWindows, makeWindows, type WindowMode, type WindowOptions, type WindowSet } from "./windows.js";
