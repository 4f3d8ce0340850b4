export { Adagrad, type AdagradConfig, type AdagradHyper, adagradUpdate } from "./adagrad.js";
export { Adam, type AdamConfig, type AdamHyper, AdamW, adamUpdate } from "./adam.js";
export { clipGradNorm, clipGradValue } from "./clip.js";
export { createOptimizer, OPTIMIZER_KINDS, type OptimizerConfig, restoreOptimizer } from "./create.js";
export { BaseOptimizer, type Optimizer, type OptimizerKind, type OptimizerState } from "./optimizer.js";
export { Rmsprop, type RmspropConfig, type RmspropHyper, rmspropUpdate } from "./rmsprop.js";
export { createSchedule, restoreSchedule, type Schedule, type ScheduleConfig, type ScheduleState } from "./schedule.js";
export { Sgd, type SgdConfig, sgdUpdate } from "./sgd.js";
