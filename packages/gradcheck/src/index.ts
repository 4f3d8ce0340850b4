export {
  type CoordinateResult,
  checkGradients,
  type DirectionalResult,
  type GradCheckOptions,
  type GradCheckReport,
  type TensorReport,
} from "./check.js";
export { coordinateName, layoutOf, layoutSize, type TensorSlot, type TensorSpec } from "./layout.js";
