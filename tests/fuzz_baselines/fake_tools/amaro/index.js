// A stand-in for Amaro used by the fuzz test: returns the source unchanged.
exports.transformSync = (source) => ({ code: source });
