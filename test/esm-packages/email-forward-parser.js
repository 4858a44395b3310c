// email-forward-parser ships as an ES module only. Node loads it with require (require(esm), Node 20.19 and
// later), which is how the compiled service loads it; jest's own module loader cannot, so under jest it is
// loaded by Node's require instead (jest.config.js maps the package here).
const { createRequire } = process.getBuiltinModule('node:module');
module.exports = createRequire(__filename)('email-forward-parser');
