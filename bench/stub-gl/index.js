// See package.json: a stand-in for headless-gl, which the benchmarks never use.
module.exports = function gl() {
  throw new Error("headless-gl is not installed: the benchmarks run brain.js on the CPU");
};
