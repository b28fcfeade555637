'use strict';
// The ONE place the server loads libdms. Today: the repository's bindings/node, which finds the
// addon through DMS_NODE_ADDON or the build tree (build/dev/node/dms.node). When bindings/node
// is installable with npm, this line becomes `module.exports = require('dms');`.
module.exports = require('../../bindings/node');
