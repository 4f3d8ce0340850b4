export { defaultCacheDir, type Resolved, type ResolveOptions, readDataset, resolveDataset, sha256 } from "./resolve.js";
